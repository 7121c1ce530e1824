package httpapi

import (
	"errors"
	"sort"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/tafel-met/tafel/server/export"
	"github.com/tafel-met/tafel/server/meeting"
	"github.com/tafel-met/tafel/server/store"
)

// followUpRoutes adds what happens after the meeting: the follow-up meeting, a
// family's timeline, the organisation's overview, and the pilot measures.
func (s *Server) followUpRoutes(api fiber.Router) {
	api.Post("/meetings/:id/follow-up", s.requireUser, s.createFollowUp)
	api.Get("/families/:id/timeline", s.requireUser, s.familyTimeline)
	api.Get("/families/:id/measures.csv", s.requireUser, s.familyMeasures)
	api.Get("/overview", s.requireUser, s.overview)
	api.Get("/measures.csv", s.requireUser, s.organisationMeasures)
}

// today is the date the overview counts from: the server's local date, as the
// meeting dates are.
func today() string { return time.Now().Format("2006-01-02") }

// createFollowUp makes a follow-up of a closed meeting: the same family and
// parties, starting from its last plan. When an open follow-up of it exists
// already, that one is returned (200) instead of making a second.
func (s *Server) createFollowUp(c *fiber.Ctx) error {
	info, err := s.ownMeeting(c)
	if err != nil {
		return err
	}
	var in struct {
		Title string `json:"title"`
		Date  string `json:"date"`
	}
	if len(c.Body()) > 0 {
		if err := decodeBody(c, &in); err != nil {
			return err
		}
	}
	title, date, err := titleAndDate(in.Title, in.Date, "Vervolggesprek")
	if err != nil {
		return err
	}
	in.Date = date
	ctx := c.UserContext()
	u := currentUser(c)
	if open, err := s.store.OpenFollowUp(ctx, u.OrganisationID, info.ID); err == nil {
		return c.JSON(fiber.Map{"id": open.ID, "joinCode": open.JoinCode, "existing": true})
	} else if !errors.Is(err, store.ErrNotFound) {
		return err
	}
	prev, _, err := s.store.LoadMeeting(ctx, info.ID)
	if err != nil {
		return err
	}
	p, err := meeting.PreviousOf(prev)
	if err != nil {
		return err
	}
	next, err := s.store.CreateMeeting(ctx, store.NewMeeting{OrganisationID: u.OrganisationID, FamilyID: info.FamilyID,
		Title: title, Date: in.Date, Options: prev.Options, FollowsMeetingID: info.ID},
		func(m *meeting.Meeting) (*meeting.Meeting, []meeting.Event, error) { return m.FollowUp(p) },
		s.auditEntry(c, meeting.AuditEntry{Action: meeting.AuditCreate, Detail: "follow-up"}))
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(fiber.Map{"id": next.ID, "joinCode": next.JoinCode, "existing": false})
}

// familyRef names a family in an answer.
type familyRef struct {
	ID    string `json:"id"`
	Label string `json:"label"`
}

// familyTimeline answers with a family's meetings and plans in time order, the
// open actions of its current plan (overdue ones marked) and the next evaluation.
func (s *Server) familyTimeline(c *fiber.Ctx) error {
	u := currentUser(c)
	fm, err := s.store.FamilyMeetings(c.UserContext(), u.OrganisationID, c.Params("id"))
	if err != nil {
		return err
	}
	day := today()
	out := struct {
		Family familyRef `json:"family"`
		Today  string    `json:"today"`
		meeting.Timeline
	}{familyRef{fm.FamilyID, fm.FamilyLabel}, day, meeting.FamilyTimeline(fm.Meetings, day)}
	if err := s.audit(c, store.AuditEntry{Action: store.AuditRead, ObjectType: "family", ObjectID: fm.FamilyID, FamilyID: fm.FamilyID,
		Detail: "timeline"}); err != nil {
		return err
	}
	return c.JSON(out)
}

// familyMeasures is the pilot measures CSV of one family.
func (s *Server) familyMeasures(c *fiber.Ctx) error {
	u := currentUser(c)
	fm, err := s.store.FamilyMeetings(c.UserContext(), u.OrganisationID, c.Params("id"))
	if err != nil {
		return err
	}
	if err := s.audit(c, store.AuditEntry{Action: store.AuditExport, ObjectType: "family", ObjectID: fm.FamilyID, FamilyID: fm.FamilyID,
		Detail: "measures.csv"}); err != nil {
		return err
	}
	fams := []meeting.FamilyMeetings{fm}
	heard, err := s.heardSummaries(c, u.OrganisationID, fams)
	if err != nil {
		return err
	}
	return sendCSV(c, export.MeasuresFilename(fm.FamilyLabel, today()), export.WriteMeasuresCSV(fams, heard))
}

// organisationFamilies returns every family of the coordinator's organisation,
// by label, each with its meetings oldest first.
func (s *Server) organisationFamilies(c *fiber.Ctx) ([]meeting.FamilyMeetings, error) {
	u := currentUser(c)
	ctx := c.UserContext()
	fams, err := s.store.ListFamilies(ctx, u.OrganisationID)
	if err != nil {
		return nil, err
	}
	withMeetings, err := s.store.OrganisationMeetings(ctx, u.OrganisationID)
	if err != nil {
		return nil, err
	}
	byID := map[string]meeting.FamilyMeetings{}
	for _, f := range withMeetings {
		byID[f.FamilyID] = f
	}
	out := make([]meeting.FamilyMeetings, 0, len(fams))
	for _, f := range fams {
		fm, ok := byID[f.ID]
		if !ok {
			fm = meeting.FamilyMeetings{FamilyID: f.ID, FamilyLabel: f.Label}
		}
		out = append(out, fm)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].FamilyLabel < out[j].FamilyLabel })
	return out, nil
}

// overview answers with the organisation's upcoming (and late) evaluations and
// overdue actions, and a line per family. Reading it is logged for every family
// whose plan it shows (an evaluation date, an overdue action); the other lines
// hold no more than the family list does.
func (s *Server) overview(c *fiber.Ctx) error {
	fams, err := s.organisationFamilies(c)
	if err != nil {
		return err
	}
	day := today()
	out := struct {
		Today string `json:"today"`
		meeting.Overview
	}{day, meeting.OrganisationOverview(fams, day)}
	shown := map[string]bool{}
	for _, e := range out.Evaluations {
		shown[e.FamilyID] = true
	}
	for _, a := range out.OverdueActions {
		shown[a.FamilyID] = true
	}
	for _, f := range fams {
		if !shown[f.FamilyID] {
			continue
		}
		if err := s.audit(c, store.AuditEntry{Action: store.AuditRead, ObjectType: "family", ObjectID: f.FamilyID, FamilyID: f.FamilyID,
			Detail: "overview"}); err != nil {
			return err
		}
	}
	return c.JSON(out)
}

// organisationMeasures is the pilot measures CSV of every family of the organisation.
func (s *Server) organisationMeasures(c *fiber.Ctx) error {
	fams, err := s.organisationFamilies(c)
	if err != nil {
		return err
	}
	for _, f := range fams {
		if err := s.audit(c, store.AuditEntry{Action: store.AuditExport, ObjectType: "family", ObjectID: f.FamilyID, FamilyID: f.FamilyID,
			Detail: "measures.csv"}); err != nil {
			return err
		}
	}
	heard, err := s.heardSummaries(c, currentUser(c).OrganisationID, fams)
	if err != nil {
		return err
	}
	return sendCSV(c, export.MeasuresFilename("", today()), export.WriteMeasuresCSV(fams, heard))
}

func sendCSV(c *fiber.Ctx, filename string, body []byte) error {
	c.Set(fiber.HeaderContentType, export.CSV.ContentType())
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+filename+`"`)
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Send(body)
}
