package httpapi

import (
	"encoding/json"
	"errors"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/tafel-met/tafel/server/app"
	"github.com/tafel-met/tafel/server/meeting"
	"github.com/tafel-met/tafel/server/store"
)

// childCodeTTL is how long a child code works: long enough to fill in the houses
// in the days before the meeting, short enough not to lie around.
const childCodeTTL = 14 * 24 * time.Hour

// childSavesPerMinute bounds how often one child code saves the houses.
const childSavesPerMinute = 20

// childRoutes are the child's own phone (a child code, never a join code) and the
// coordinator's making and revoking of those codes. They stay apart from the
// join route: a child code joins nothing, and a join code reaches no child page.
func (s *Server) childRoutes(api fiber.Router) {
	api.Get("/meetings/:id/child-codes", s.requireUser, s.listChildCodes)
	api.Post("/meetings/:id/child-codes", s.requireUser, s.createChildCode)
	api.Delete("/meetings/:id/child-codes/:codeId", s.requireUser, s.revokeChildCode)
	api.Get("/child/:code", s.childHouses)
	api.Put("/child/:code", s.saveChildHouses)
}

// childCodeOut is a child code as the coordinator sees it.
type childCodeOut struct {
	store.ChildCode
	Status string `json:"status"` // active, revoked, expired
}

func childCodeStatus(cc store.ChildCode, now time.Time) string {
	switch {
	case cc.RevokedAt != nil:
		return "revoked"
	case !now.Before(cc.ExpiresAt):
		return "expired"
	}
	return "active"
}

// safetyMeeting returns a coordinator's own meeting when it has the Signs of
// Safety shape and is not closed: the only meetings a child's houses belong to.
func (s *Server) safetyMeeting(c *fiber.Ctx) (store.MeetingInfo, error) {
	info, err := s.ownMeeting(c)
	if err != nil {
		return info, err
	}
	var shape meeting.Shape
	release, err := s.live.Attach(c.UserContext(), info.ID, func(_ meeting.Info, m *meeting.Meeting) { shape = m.Options.Shape })
	if err != nil {
		return info, err
	}
	release()
	if shape != meeting.ShapeSafety {
		return info, meeting.Fail(meeting.ECodeWrongShape, "wrong_shape", "child codes belong to the Signs of Safety shape")
	}
	if info.Phase == meeting.PhaseClosed {
		return info, meeting.Fail(meeting.ECodeWrongPhase, "meeting_closed", "meeting closed")
	}
	return info, nil
}

func (s *Server) listChildCodes(c *fiber.Ctx) error {
	info, err := s.ownMeeting(c)
	if err != nil {
		return err
	}
	codes, err := s.store.ListChildCodes(c.UserContext(), info.OrganisationID, info.ID)
	if err != nil {
		return err
	}
	now := time.Now()
	out := make([]childCodeOut, 0, len(codes))
	for _, cc := range codes {
		out = append(out, childCodeOut{cc, childCodeStatus(cc, now)})
	}
	return c.JSON(out)
}

func (s *Server) createChildCode(c *fiber.Ctx) error {
	info, err := s.safetyMeeting(c)
	if err != nil {
		return err
	}
	// The code and its audit row commit together.
	cc, err := s.store.CreateChildCode(c.UserContext(), info.OrganisationID, info.ID, childCodeTTL,
		s.auditEntry(c, meeting.AuditEntry{Action: meeting.AuditCreate, Detail: "child_code.create"}))
	if errors.Is(err, store.ErrTooManyChildCodes) {
		return meeting.Fail(meeting.ECodeConflict, "too_many_child_codes", "too many child codes for this meeting", "max", store.MaxChildCodes)
	}
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(childCodeOut{cc, childCodeStatus(cc, time.Now())})
}

func (s *Server) revokeChildCode(c *fiber.Ctx) error {
	info, err := s.ownMeeting(c)
	if err != nil {
		return err
	}
	// The revocation and its audit row commit together.
	cc, err := s.store.RevokeChildCode(c.UserContext(), info.OrganisationID, info.ID, c.Params("codeId"),
		s.auditEntry(c, meeting.AuditEntry{Action: meeting.AuditDelete, Detail: "child_code.revoke"}))
	if errors.Is(err, store.ErrNotFound) {
		return meeting.Fail(meeting.ECodeNotFound, "unknown_child_code", "unknown child code")
	}
	if err != nil {
		return err
	}
	return c.JSON(childCodeOut{cc, childCodeStatus(cc, time.Now())})
}

// findChildCode looks up a child code; like the join route, an address that
// guesses wrong too often waits longer and longer (the same count for both, so
// guessing on one route does not reset the other). A revoked or expired code
// says so, with its own reason.
func (s *Server) findChildCode(c *fiber.Ctx) (store.ChildCode, error) {
	key := "ip:" + c.IP()
	if d := s.joinCodes.wait(key); d > 0 {
		return store.ChildCode{}, tooManyAttempts(c, d)
	}
	code := normaliseCode(c.Params("code"))
	cc := store.ChildCode{}
	err := store.ErrNotFound
	if len(code) == store.JoinCodeLength {
		cc, err = s.store.FindChildCode(c.UserContext(), code)
	}
	switch {
	case errors.Is(err, store.ErrNotFound):
		s.joinCodes.fail(key)
		return cc, meeting.Fail(meeting.ECodeNotFound, "unknown_code", "unknown child code")
	case err != nil:
		return cc, err
	case cc.RevokedAt != nil:
		s.joinCodes.fail(key)
		return cc, meeting.Fail(meeting.ECodeForbidden, "child_code_revoked", "this child code was revoked")
	case !time.Now().Before(cc.ExpiresAt):
		s.joinCodes.fail(key)
		return cc, meeting.Fail(meeting.ECodeForbidden, "child_code_expired", "this child code has expired")
	}
	return cc, nil
}

// childHousesOut is all a child's phone ever gets: their own houses.
type childHousesOut struct {
	ChildName string `json:"childName"`
	Worries   string `json:"worries"`
	GoesWell  string `json:"goesWell"`
	Wishes    string `json:"wishes"`
	// Brought says the story is at the table now: the houses can no longer change.
	Brought bool `json:"brought"`
}

// childHouses answers a child's phone with what that child wrote before, and
// nothing else of the meeting: no names, no worries, no plan.
func (s *Server) childHouses(c *fiber.Ctx) error {
	cc, err := s.findChildCode(c)
	if err != nil {
		return err
	}
	var (
		voice meeting.ChildVoice
		found bool
		open  bool
	)
	release, err := s.live.Attach(c.UserContext(), cc.MeetingID, func(_ meeting.Info, m *meeting.Meeting) {
		voice, found = m.ChildVoiceOf(cc.ChildID)
		open = m.Phase != meeting.PhaseClosed
	})
	if err != nil {
		return err
	}
	release()
	if !open {
		return meeting.Fail(meeting.ECodeConflict, "meeting_closed", "meeting closed")
	}
	if found {
		if err := s.live.Audit(c.UserContext(), cc.MeetingID, s.childAudit(c, cc, meeting.AuditRead, "child.houses")); err != nil {
			return err
		}
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.JSON(childHousesOut{voice.ChildName, voice.Worries, voice.GoesWell, voice.Wishes, voice.Brought})
}

// saveChildHouses runs child.houses.submit for the code's child: the voice is
// named by the code, never by what the phone sends.
func (s *Server) saveChildHouses(c *fiber.Ctx) error {
	cc, err := s.findChildCode(c)
	if err != nil {
		return err
	}
	var in struct {
		ChildName string `json:"childName"`
		Worries   string `json:"worries"`
		GoesWell  string `json:"goesWell"`
		Wishes    string `json:"wishes"`
	}
	if err := decodeBody(c, &in); err != nil {
		return err
	}
	if !s.childSaves.allow(cc.ID) {
		return tooManyAttempts(c, time.Minute/childSavesPerMinute)
	}
	data, _ := json.Marshal(map[string]string{"childId": cc.ChildID, "childName": in.ChildName,
		"worries": in.Worries, "goesWell": in.GoesWell, "wishes": in.Wishes})
	// The houses and the audit record of the child's saving them commit together.
	res, err := s.live.Execute(c.UserContext(), cc.MeetingID, app.Change{
		Command: meeting.Command{Name: "child.houses.submit", Data: data, Actor: meeting.Actor{Role: meeting.RoleChild}},
		Audit:   s.childAudit(c, cc, meeting.AuditUpdate, "child.houses.submit"),
	})
	if err != nil {
		return err
	}
	voice, _ := res.Meeting.ChildVoiceOf(cc.ChildID)
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.JSON(childHousesOut{voice.ChildName, voice.Worries, voice.GoesWell, voice.Wishes, voice.Brought})
}

func (s *Server) childAudit(c *fiber.Ctx, cc store.ChildCode, action, detail string) meeting.AuditEntry {
	return s.auditEntry(c, meeting.AuditEntry{ActorType: "child", ActorID: cc.ID, ActorRole: "child", Action: action,
		ObjectType: "child_voice", ObjectID: cc.ChildID, Detail: detail})
}
