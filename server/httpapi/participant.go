package httpapi

import (
	"errors"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/tafel-met/tafel/server/meeting"
	"github.com/tafel-met/tafel/server/store"
)

// participantCookieAge is how long a phone keeps its place: the family's copy of
// the plan stays on their phone for as long as retention keeps the meeting
// (default 365 days; the purge ends the token with the data). 400 days is the
// most a browser keeps a cookie.
const participantCookieAge = 400 * 24 * time.Hour

// participantCookie is the name of the cookie that carries a participant's token.
// It cannot have the __Host- prefix (its path is the meeting's, not /), but under
// TLS the __Secure- prefix makes browsers refuse it unless it is Secure.
func (s *Server) participantCookie() string {
	if s.secureCookies() {
		return "__Secure-tafel_p"
	}
	return "tafel_p"
}

// participantCookiePath scopes the cookie to one meeting's API, so a browser sends
// it with that meeting's snapshot and websocket only.
func participantCookiePath(meetingID string) string { return "/api/meetings/" + meetingID }

// setParticipantCookie hands a participant's token to the browser as an HttpOnly
// cookie: page scripts cannot read it, other sites cannot make the browser send it.
func (s *Server) setParticipantCookie(c *fiber.Ctx, meetingID, token string) {
	c.Cookie(&fiber.Cookie{Name: s.participantCookie(), Value: token, Path: participantCookiePath(meetingID),
		HTTPOnly: true, SameSite: fiber.CookieSameSiteStrictMode, Secure: s.secureCookies(),
		MaxAge: int(participantCookieAge.Seconds()), Expires: time.Now().Add(participantCookieAge)})
}

// rejoinCookie is the name of the cookie by which the join page knows this
// browser is in a meeting already: the last participant token it was given,
// sent to the join routes only (the participant cookie's path is the meeting's).
func (s *Server) rejoinCookie() string {
	if s.secureCookies() {
		return "__Secure-tafel_pj"
	}
	return "tafel_pj"
}

// setRejoinCookie remembers on this browser, for the join routes, that it is a
// participant: rescanning the QR code then leads back to that person.
func (s *Server) setRejoinCookie(c *fiber.Ctx, token string) {
	c.Cookie(&fiber.Cookie{Name: s.rejoinCookie(), Value: token, Path: "/api/join",
		HTTPOnly: true, SameSite: fiber.CookieSameSiteStrictMode, Secure: s.secureCookies(),
		MaxAge: int(participantCookieAge.Seconds()), Expires: time.Now().Add(participantCookieAge)})
}

// joinedAlready returns the participant this browser is in meetingID already
// (by its rejoin cookie), if any and not removed.
func (s *Server) joinedAlready(c *fiber.Ctx, meetingID string) (store.ParticipantToken, string, bool, error) {
	token := c.Cookies(s.rejoinCookie())
	if token == "" {
		return store.ParticipantToken{}, "", false, nil
	}
	pt, err := s.findParticipant(c, meetingID, token)
	if errors.Is(err, errNotFound) {
		return store.ParticipantToken{}, "", false, nil
	}
	return pt, token, err == nil, err
}

// participantToken returns the participant token a request carries: a bearer
// token (non-browser clients), else the participant cookie.
func (s *Server) participantToken(c *fiber.Ctx) (token string, bearer bool) {
	if tok, ok := strings.CutPrefix(c.Get(fiber.HeaderAuthorization), "Bearer "); ok {
		return tok, true
	}
	return c.Cookies(s.participantCookie()), false
}

// findParticipant returns the participant a token belongs to, if that is a
// participant of this meeting who was not removed.
func (s *Server) findParticipant(c *fiber.Ctx, meetingID, token string) (store.ParticipantToken, error) {
	if token == "" {
		return store.ParticipantToken{}, errNotFound
	}
	pt, err := s.store.FindParticipantByToken(c.UserContext(), store.HashToken(token))
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		// The database did not answer: that says nothing about the token.
		return store.ParticipantToken{}, meeting.Errorf(meeting.ECodeInternal, "token not checked: %v", err)
	}
	if err != nil || pt.MeetingID != meetingID || pt.Status == meeting.StatusRemoved {
		return store.ParticipantToken{}, errNotFound
	}
	return pt, nil
}

// participantSession exchanges a token from a link (or one a phone kept from
// before) for the participant cookie, so the page no longer holds the token.
func (s *Server) participantSession(c *fiber.Ctx) error {
	var in struct {
		Token string `json:"token"`
	}
	if err := decodeBody(c, &in); err != nil {
		return err
	}
	id := c.Params("id")
	pt, err := s.findParticipant(c, id, strings.TrimSpace(in.Token))
	if err != nil {
		return err
	}
	if err := s.audit(c, store.AuditEntry{OrganisationID: pt.OrganisationID, ActorType: "participant", ActorID: pt.ParticipantID,
		ActorRole: "participant", Action: store.AuditLogin, ObjectType: "participant", ObjectID: pt.ParticipantID, FamilyID: pt.FamilyID}); err != nil {
		return err
	}
	s.setParticipantCookie(c, id, strings.TrimSpace(in.Token))
	s.setRejoinCookie(c, strings.TrimSpace(in.Token))
	return c.JSON(fiber.Map{"meetingId": id, "participantId": pt.ParticipantID})
}
