package httpapi

import (
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/tafel-met/tafel/server/app"
	"github.com/tafel-met/tafel/server/meeting"
	"github.com/tafel-met/tafel/server/store"
)

func (s *Server) listFamilies(c *fiber.Ctx) error {
	fams, err := s.store.ListFamilies(c.UserContext(), currentUser(c).OrganisationID)
	if err != nil {
		return err
	}
	return c.JSON(fams)
}

func (s *Server) createFamily(c *fiber.Ctx) error {
	var in struct {
		Label string `json:"label"`
	}
	if err := decodeBody(c, &in); err != nil {
		return err
	}
	label, err := meeting.CleanText("label", in.Label, meeting.MaxNameLen, false, false)
	if err != nil {
		return err
	}
	f, err := s.store.CreateFamily(c.UserContext(), currentUser(c).OrganisationID, label,
		s.auditEntry(c, meeting.AuditEntry{Action: meeting.AuditCreate}))
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(f)
}

func (s *Server) listMeetings(c *fiber.Ctx) error {
	ms, err := s.store.ListMeetings(c.UserContext(), currentUser(c).OrganisationID)
	if err != nil {
		return err
	}
	return c.JSON(ms)
}

func (s *Server) createMeeting(c *fiber.Ctx) error {
	var in struct {
		FamilyID       string             `json:"familyId"`
		Title          string             `json:"title"`
		Date           string             `json:"date"`
		StrengthsRound bool               `json:"strengthsRound"`
		Weighting      meeting.Weighting  `json:"weighting"`
		Shape          meeting.Shape      `json:"shape"`
		Parties        []meeting.NewParty `json:"parties"`
	}
	if err := decodeBody(c, &in); err != nil {
		return err
	}
	title, date, err := titleAndDate(in.Title, in.Date, "Top-3-gesprek")
	if err != nil {
		return err
	}
	in.Date = date
	if in.Weighting == "" {
		in.Weighting = meeting.WeightParty
	}
	if in.Weighting != meeting.WeightParty && in.Weighting != meeting.WeightPerson {
		return meeting.Fail(meeting.ECodeInvalidInput, "bad_weighting", "weighting must be party or person")
	}
	if !meeting.ValidShape(in.Shape) {
		return meeting.Fail(meeting.ECodeInvalidInput, "bad_shape", "shape top3 or signs_of_safety")
	}
	if in.Shape == "top3" {
		in.Shape = meeting.ShapePlain
	}
	if len(in.Parties) > 40 {
		return meeting.Fail(meeting.ECodeInvalidInput, "too_many_parties", "at most 40 parties")
	}
	u := currentUser(c)
	info, err := s.store.CreateMeeting(c.UserContext(), store.NewMeeting{OrganisationID: u.OrganisationID, FamilyID: in.FamilyID,
		Title: title, Date: in.Date, Options: meeting.Options{StrengthsRound: in.StrengthsRound, Weighting: in.Weighting, Shape: in.Shape}},
		func(m *meeting.Meeting) (*meeting.Meeting, []meeting.Event, error) {
			return m.PrepareParties(in.Parties)
		}, s.auditEntry(c, meeting.AuditEntry{Action: meeting.AuditCreate}))
	if errors.Is(err, store.ErrNotFound) {
		return meeting.Fail(meeting.ECodeNotFound, "unknown_family", "unknown family")
	}
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(fiber.Map{"id": info.ID, "joinCode": info.JoinCode})
}

// ownMeeting returns the meeting in the path if it belongs to the coordinator's organisation.
func (s *Server) ownMeeting(c *fiber.Ctx) (store.MeetingInfo, error) {
	return s.store.FindMeeting(c.UserContext(), currentUser(c).OrganisationID, c.Params("id"))
}

func (s *Server) addParty(c *fiber.Ctx) error {
	info, err := s.ownMeeting(c)
	if err != nil {
		return err
	}
	var in meeting.NewParty
	if err := decodeBody(c, &in); err != nil {
		return err
	}
	data, _ := json.Marshal(in)
	u := currentUser(c)
	// The party and the audit record of adding it commit together.
	res, err := s.live.Execute(c.UserContext(), info.ID, app.Change{
		Command: meeting.Command{Name: "party.add", Data: data, Actor: meeting.Actor{Role: meeting.RoleCoordinator, UserID: u.ID, UserName: u.Name}},
		Audit:   s.auditEntry(c, meeting.AuditEntry{Action: meeting.AuditUpdate, Detail: "party.add"}),
	})
	if err != nil {
		return err
	}
	last := res.Meeting.Parties[len(res.Meeting.Parties)-1]
	return c.Status(fiber.StatusCreated).JSON(last)
}

// snapshot answers a participant with their token as a bearer token, a coordinator
// of the meeting's organisation, or a participant with the participant cookie.
// With ?since=N (the highest seq the client saw) it is never older than N, as
// the websocket's hello with lastSeq: another instance may be ahead of this one.
func (s *Server) snapshot(c *fiber.Ctx) error {
	ctx := c.UserContext()
	id := c.Params("id")
	since, err := sinceOf(c)
	if err != nil {
		return err
	}
	tok, bearer := s.participantToken(c)
	var u *user
	if !bearer {
		var err error
		if u, err = s.authenticate(c); err != nil {
			return err
		}
	}
	if u == nil && tok != "" {
		pt, err := s.findParticipant(c, id, tok)
		if err != nil {
			return err
		}
		// No log, no access: the read is recorded in the meeting's chain first.
		if err := s.live.Audit(ctx, id, s.auditEntry(c, meeting.AuditEntry{ActorType: "participant", ActorID: pt.ParticipantID,
			ActorRole: "participant", Action: meeting.AuditRead})); err != nil {
			return err
		}
		view, err := s.live.ViewSince(ctx, id, meeting.Viewer{Role: meeting.RoleParticipant, ParticipantID: pt.ParticipantID}, since)
		if err != nil {
			return err
		}
		view.Online = s.hub.Online(id)
		return c.JSON(view)
	}
	if u == nil {
		return errUnauthorized
	}
	c.Locals("user", u)
	info, err := s.ownMeeting(c)
	if err != nil {
		return err
	}
	if err := s.live.Audit(ctx, info.ID, s.auditEntry(c, meeting.AuditEntry{Action: meeting.AuditRead})); err != nil {
		return err
	}
	view, err := s.live.ViewSince(ctx, info.ID, meeting.Viewer{Role: meeting.RoleCoordinator}, since)
	if err != nil {
		return err
	}
	view.Online = s.hub.Online(info.ID)
	return c.JSON(view)
}

// sinceOf reads the snapshot's optional ?since=: a seq, 0 when absent.
func sinceOf(c *fiber.Ctx) (int64, error) {
	raw := c.Query("since")
	if raw == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || n < 0 || strings.TrimLeft(raw, "0123456789") != "" {
		return 0, meeting.Fail(meeting.ECodeInvalidInput, "bad_since", "since must be a seq: a whole number, 0 or more", "field", "since")
	}
	return n, nil
}

// titleAndDate checks a new meeting's title and date: a title of at most 80
// characters (def when empty), a date YYYY-MM-DD (today when empty).
func titleAndDate(title, date, def string) (string, string, error) {
	title, err := meeting.CleanText("title", title, meeting.MaxNameLen, false, true)
	if err != nil {
		return "", "", err
	}
	if title == "" {
		title = def
	}
	if date == "" {
		date = today()
	}
	if _, err := time.Parse("2006-01-02", date); err != nil {
		return "", "", meeting.Fail(meeting.ECodeInvalidInput, "bad_date", "date YYYY-MM-DD", "field", "date")
	}
	return title, date, nil
}
