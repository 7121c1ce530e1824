package httpapi

import (
	"errors"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/tafel-met/tafel/server/meeting"
	"github.com/tafel-met/tafel/server/store"
)

// normaliseCode accepts a code typed with spaces, dashes or in lower case.
func normaliseCode(code string) string {
	code = strings.ToUpper(code)
	return strings.NewReplacer(" ", "", "-", "").Replace(code)
}

// findByCode looks up a join code; an address that guesses wrong too often waits
// longer and longer, so the codes cannot be enumerated.
func (s *Server) findByCode(c *fiber.Ctx) (store.MeetingInfo, error) {
	key := "ip:" + c.IP()
	if d := s.joinCodes.wait(key); d > 0 {
		return store.MeetingInfo{}, tooManyAttempts(c, d)
	}
	code := normaliseCode(c.Params("code"))
	var info store.MeetingInfo
	err := store.ErrNotFound
	if len(code) == store.JoinCodeLength {
		info, err = s.store.FindMeetingByJoinCode(c.UserContext(), code)
	}
	if errors.Is(err, store.ErrNotFound) {
		s.joinCodes.fail(key)
		return store.MeetingInfo{}, meeting.Fail(meeting.ECodeNotFound, "unknown_code", "unknown join code")
	}
	if err != nil {
		return store.MeetingInfo{}, err
	}
	if info.Phase == meeting.PhaseClosed {
		return store.MeetingInfo{}, meeting.Fail(meeting.ECodeConflict, "meeting_closed", "meeting closed")
	}
	return info, nil
}

func (s *Server) joinInfo(c *fiber.Ctx) error {
	info, err := s.findByCode(c)
	if err != nil {
		return err
	}
	view, err := s.live.View(c.UserContext(), info.ID, meeting.Viewer{Role: meeting.RoleJoiner})
	if err != nil {
		return err
	}
	out := fiber.Map{"meetingId": info.ID, "familyLabel": info.FamilyLabel, "title": info.Title,
		"parties": view.Parties, "locked": view.Locked, "closed": false}
	// A phone that joined before (the QR code scanned again, the back button)
	// goes back in as that person.
	pt, _, joined, err := s.joinedAlready(c, info.ID)
	if err != nil {
		return err
	}
	if joined {
		out["joined"] = fiber.Map{"participantId": pt.ParticipantID}
	}
	return c.JSON(out)
}

func (s *Server) join(c *fiber.Ctx) error {
	info, err := s.findByCode(c)
	if err != nil {
		return err
	}
	var in struct {
		Name    string `json:"name"`
		PartyID string `json:"partyId"`
		// NewPerson says someone else joins on a phone that is in the meeting already.
		NewPerson bool `json:"newPerson"`
	}
	if err := decodeBody(c, &in); err != nil {
		return err
	}
	if !in.NewPerson {
		pt, token, joined, err := s.joinedAlready(c, info.ID)
		if err != nil {
			return err
		}
		if joined {
			// The same person again: no second one at the table. The token
			// stays in the cookies; the body does not repeat it.
			s.setParticipantCookie(c, info.ID, token)
			return c.JSON(fiber.Map{"meetingId": info.ID, "participantId": pt.ParticipantID, "existing": true})
		}
	}
	if !s.joinsPerMeeting.allow(info.ID, c.IP()) {
		return tooManyAttempts(c, time.Minute/joinsPerMeetingPerMinute)
	}
	// The participant and the audit record of their joining commit together.
	token := store.NewToken()
	pid, err := s.live.Join(c.UserContext(), info.ID, in.Name, in.PartyID, store.HashToken(token), s.auditEntry(c, meeting.AuditEntry{
		ActorType: "participant", ActorRole: "participant", Action: meeting.AuditCreate, ObjectType: "participant"}))
	if err != nil {
		return err
	}
	// A browser keeps the token in the HttpOnly cookie and ignores the body; the
	// token in the body is for non-browser clients, which send it in hello.
	s.setParticipantCookie(c, info.ID, token)
	s.setRejoinCookie(c, token)
	return c.Status(fiber.StatusCreated).JSON(fiber.Map{"meetingId": info.ID, "participantId": pid, "token": token})
}
