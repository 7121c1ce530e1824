package httpapi

import (
	"time"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"github.com/tafel-met/tafel/server/meeting"
	"github.com/tafel-met/tafel/server/store"
)

// heardRoutes serve "Were you heard?" (docs/privacy.md): a participant's one
// answer after the close, and the coordinator's summaries. An answer is never a
// meeting command or event: those carry the participant, a seq and a time.
func (s *Server) heardRoutes(api fiber.Router) {
	api.Get("/heard", s.requireUser, s.organisationHeard)
	api.Get("/meetings/:id/heard", s.heardState)
	api.Post("/meetings/:id/heard", s.answerHeard)
	api.Get("/meetings/:id/heard/summary", s.requireUser, s.meetingHeard)
}

// Where a participant stands with the check, as GET /meetings/:id/heard says.
const (
	heardStateOpen     = "open"        // may answer now
	heardStateAnswered = "answered"    // answered before
	heardStateNotYet   = "not_yet"     // the meeting is not closed yet
	heardStateEnded    = "ended"       // the days to answer are over
	heardStateNotYours = "not_for_you" // not a family or network member at the table
)

// heardCheck is a participant of the meeting and what the check's rules say of
// them now: rule is nil when they may answer.
type heardCheck struct {
	pt   store.ParticipantToken
	rule error
}

// heardParticipant finds the participant of this meeting that the request
// carries, and what the check says of them now.
func (s *Server) heardParticipant(c *fiber.Ctx) (heardCheck, error) {
	tok, _ := s.participantToken(c)
	if tok == "" {
		return heardCheck{}, errUnauthorized
	}
	id := c.Params("id")
	pt, err := s.findParticipant(c, id, tok)
	if err != nil {
		return heardCheck{}, err
	}
	ctx := c.UserContext()
	answered, err := s.store.HeardAnswered(ctx, pt.OrganisationID, id, pt.ParticipantID)
	if err != nil {
		return heardCheck{}, err
	}
	var rule error
	release, err := s.live.Attach(ctx, id, func(_ meeting.Info, m *meeting.Meeting) {
		if rule = m.MayAnswerHeard(pt.ParticipantID, answered); rule == nil {
			rule = m.HeardOpen(time.Now())
		}
	})
	if err != nil {
		return heardCheck{}, err
	}
	release()
	return heardCheck{pt: pt, rule: rule}, nil
}

// heardState tells a phone whether its person may still answer the check.
func (s *Server) heardState(c *fiber.Ctx) error {
	hc, err := s.heardParticipant(c)
	if err != nil {
		return err
	}
	state := heardStateOpen
	switch meeting.ErrorReason(hc.rule) {
	case "":
	case "heard_already":
		state = heardStateAnswered
	case "heard_after_close":
		state = heardStateNotYet
	case "heard_ended":
		state = heardStateEnded
	default:
		state = heardStateNotYours
	}
	return c.JSON(fiber.Map{"state": state, "days": meeting.HeardOpenDays})
}

// answerHeard stores a participant's one answer, with the marker that they
// answered and an audit row that holds nothing of the answer.
func (s *Server) answerHeard(c *fiber.Ctx) error {
	hc, err := s.heardParticipant(c)
	if err != nil {
		return err
	}
	pt := hc.pt
	body := c.Body()
	if len(body) > meeting.MaxHeardBody {
		return meeting.Fail(meeting.ECodeTooLarge, "heard_too_large", "answer too large", "max", meeting.MaxHeardBody)
	}
	if !utf8.Valid(body) {
		return meeting.Fail(meeting.ECodeInvalidUTF8, "invalid_utf8", "invalid UTF-8")
	}
	answer, err := meeting.ParseHeardAnswer(body)
	if err != nil {
		return err
	}
	if hc.rule != nil {
		return hc.rule
	}
	audit := s.auditEntry(c, meeting.AuditEntry{OrganisationID: pt.OrganisationID, ActorType: "participant", ActorID: pt.ParticipantID,
		ActorRole: "participant", Action: meeting.AuditCreate, ObjectType: "heard_check", ObjectID: pt.MeetingID, FamilyID: pt.FamilyID,
		Detail: "heard.answer"})
	if err := s.store.AnswerHeard(c.UserContext(), pt.OrganisationID, pt.MeetingID, pt.ParticipantID, answer, audit); err != nil {
		return err // store.ErrHeardAlready when a second answer raced the first
	}
	return c.Status(fiber.StatusCreated).JSON(fiber.Map{"state": heardStateAnswered})
}

// meetingHeard answers a coordinator with the summary of one of their
// organisation's meetings: only the number of answers while its check still
// takes answers, and only that below three answers.
func (s *Server) meetingHeard(c *fiber.Ctx) error {
	info, err := s.ownMeeting(c)
	if err != nil {
		return err
	}
	ctx := c.UserContext()
	answers, err := s.store.HeardAnswers(ctx, info.OrganisationID, info.ID)
	if err != nil {
		return err
	}
	var summary meeting.HeardSummary
	eligible := 0
	release, err := s.live.Attach(ctx, info.ID, func(_ meeting.Info, m *meeting.Meeting) {
		summary = m.SummariseHeardAt(answers[info.ID], time.Now())
		eligible = m.HeardEligible()
	})
	if err != nil {
		return err
	}
	release()
	if err := s.audit(c, store.AuditEntry{Action: store.AuditRead, ObjectType: "heard_check", ObjectID: info.ID, FamilyID: info.FamilyID,
		Detail: "heard.summary"}); err != nil {
		return err
	}
	return c.JSON(fiber.Map{"meetingId": info.ID, "eligible": eligible, "days": meeting.HeardOpenDays, "summary": summary})
}

// organisationHeard answers a coordinator with the check over all their
// organisation's meetings (meeting.OrganisationHeard).
func (s *Server) organisationHeard(c *fiber.Ctx) error {
	u := currentUser(c)
	overview, err := s.heardOverview(c, u.OrganisationID)
	if err != nil {
		return err
	}
	if err := s.audit(c, store.AuditEntry{Action: store.AuditRead, ObjectType: "heard_check", ObjectID: u.OrganisationID,
		Detail: "heard.overview"}); err != nil {
		return err
	}
	return c.JSON(overview)
}

func (s *Server) heardOverview(c *fiber.Ctx, orgID string) (meeting.HeardOverview, error) {
	ctx := c.UserContext()
	fams, err := s.store.OrganisationMeetings(ctx, orgID)
	if err != nil {
		return meeting.HeardOverview{}, err
	}
	answers, err := s.store.HeardAnswers(ctx, orgID)
	if err != nil {
		return meeting.HeardOverview{}, err
	}
	return meeting.OrganisationHeard(fams, answers, time.Now()), nil
}

// heardSummaries is each meeting's summary of the check, as meetingHeard shows it.
func (s *Server) heardSummaries(c *fiber.Ctx, orgID string, fams []meeting.FamilyMeetings) (map[string]meeting.HeardSummary, error) {
	answers, err := s.store.HeardAnswers(c.UserContext(), orgID)
	if err != nil {
		return nil, err
	}
	now := time.Now()
	out := map[string]meeting.HeardSummary{}
	for _, f := range fams {
		for _, m := range f.Meetings {
			out[m.ID] = m.SummariseHeardAt(answers[m.ID], now)
		}
	}
	return out, nil
}
