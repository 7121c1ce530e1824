package httpapi

import (
	"context"
	"errors"
	"fmt"
	"net/mail"
	"strconv"
	"strings"
	"time"

	"github.com/alexedwards/argon2id"
	"github.com/gofiber/fiber/v2"

	"github.com/tafel-met/tafel/server/meeting"
	"github.com/tafel-met/tafel/server/store"
)

// sessionCookie is the session cookie's name; under TLS the __Host- prefix makes
// browsers refuse it unless it is Secure, host-only and for path /.
func (s *Server) sessionCookie() string {
	if s.secureCookies() {
		return "__Host-tafel_session"
	}
	return "tafel_session"
}

// HashPassword hashes a password with argon2id.
func HashPassword(password string) (string, error) {
	return argon2id.CreateHash(password, argon2id.DefaultParams)
}

// CheckPasswordRules refuses passwords that are too short or too long.
func CheckPasswordRules(password string) error {
	n := utf8Len(password)
	if n < 12 || n > 200 {
		return meeting.Fail(meeting.ECodeInvalidInput, "password_length", "password needs 12-200 characters", "min", 12, "max", 200)
	}
	return nil
}

func utf8Len(s string) int { return len([]rune(s)) }

// user is the signed-in coordinator of a request.
type user struct {
	store.User
	Organisation string
}

func currentUser(c *fiber.Ctx) *user {
	u, _ := c.Locals("user").(*user)
	return u
}

// authenticate returns the signed-in coordinator of a request, or nil when the
// request has no valid session. A session that could not be checked (the
// database did not answer) is an internal error, never "no user": the client
// must retry, not sign in again.
func (s *Server) authenticate(c *fiber.Ctx) (*user, error) {
	sid := c.Cookies(s.sessionCookie())
	if sid == "" {
		return nil, nil
	}
	ctx := c.UserContext()
	sess, err := s.store.TouchSession(ctx, store.HashToken(sid), s.cfg.Now().Add(-s.cfg.IdleTimeout))
	if err != nil {
		return nil, unchecked(err)
	}
	u, err := s.store.FindUserByID(ctx, sess.UserID)
	if err != nil {
		return nil, unchecked(err)
	}
	org, err := s.store.FindOrganisationByID(ctx, u.OrganisationID)
	if err != nil {
		return nil, unchecked(err)
	}
	return &user{User: u, Organisation: org.Name}, nil
}

// unchecked maps a failed session lookup: not found is no user (nil), any
// other failure is internal.
func unchecked(err error) error {
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	return meeting.Errorf(meeting.ECodeInternal, "session not checked: %v", err)
}

// requireUser lets only signed-in coordinators through.
func (s *Server) requireUser(c *fiber.Ctx) error {
	u, err := s.authenticate(c)
	if err != nil {
		return err
	}
	if u == nil {
		return errUnauthorized
	}
	c.Locals("user", u)
	return c.Next()
}

// startSession signs u in: the session and its audit row (a login, with detail
// saying how) are stored together, then the cookie is set.
func (s *Server) startSession(c *fiber.Ctx, u store.User, detail string) error {
	sid := store.NewToken()
	e := s.auditEntry(c, store.AuditEntry{OrganisationID: u.OrganisationID, ActorType: "user", ActorID: u.ID, ActorRole: u.Role,
		Action: store.AuditLogin, ObjectType: "account", ObjectID: u.ID, Detail: detail})
	err := s.store.CreateSession(c.UserContext(), store.HashToken(sid), store.Session{UserID: u.ID, OrganisationID: u.OrganisationID,
		ExpiresAt: s.cfg.Now().Add(s.cfg.MaxSession)}, e)
	if err != nil {
		return err
	}
	c.Cookie(&fiber.Cookie{Name: s.sessionCookie(), Value: sid, Path: "/", HTTPOnly: true, SameSite: "Lax",
		Secure: s.secureCookies(), Expires: s.cfg.Now().Add(s.cfg.MaxSession)})
	return nil
}

func (s *Server) login(c *fiber.Ctx) error {
	var in struct {
		Email    string `json:"email"`
		Password string `json:"password"`
		Code     string `json:"code"` // the second factor, when the account has one
	}
	if err := decodeBody(c, &in); err != nil {
		return err
	}
	email := strings.ToLower(strings.TrimSpace(in.Email))
	keys := []string{"email:" + email, "ip:" + c.IP()}
	for _, k := range keys {
		if d := s.logins.wait(k); d > 0 {
			return tooManyAttempts(c, d)
		}
	}
	u, err := s.store.FindUserByEmail(c.UserContext(), email)
	ok := false
	if err == nil && u.PasswordHash != "" {
		ok, _ = argon2id.ComparePasswordAndHash(in.Password, u.PasswordHash)
	} else {
		// Spend the same time on an unknown email, so timing tells nothing.
		_, _ = argon2id.ComparePasswordAndHash(in.Password, dummyHash)
	}
	if ok && u.TOTPEnabled {
		if strings.TrimSpace(in.Code) == "" {
			return meeting.Fail(ECodeTOTPRequired, "totp_required", "authenticator code required")
		}
		if ok, err = s.checkTOTP(c.UserContext(), u, strings.TrimSpace(in.Code)); err != nil {
			return err
		}
	}
	if !ok {
		for _, k := range keys {
			s.logins.fail(k)
		}
		e := store.AuditEntry{ActorType: "anonymous", Action: store.AuditLoginFailed, ObjectType: "account", Outcome: "denied"}
		if err == nil {
			e.OrganisationID, e.ActorType, e.ActorID, e.ObjectID = u.OrganisationID, "user", u.ID, u.ID
		}
		if err := s.audit(c, e); err != nil {
			return err
		}
		return meeting.Fail(meeting.ECodeUnauthorized, "wrong_credentials", "wrong email or password")
	}
	for _, k := range keys {
		s.logins.succeed(k)
	}
	if err := s.startSession(c, u, ""); err != nil {
		return err
	}
	return c.JSON(fiber.Map{"id": u.ID, "name": u.Name, "email": u.Email, "role": u.Role})
}

// tooManyAttempts answers 429 with the time to wait.
func tooManyAttempts(c *fiber.Ctx, d time.Duration) error {
	secs := int(d.Seconds() + 0.999)
	c.Set(fiber.HeaderRetryAfter, strconv.Itoa(secs))
	return meeting.Fail(meeting.ECodeRateLimited, "too_many_attempts", fmt.Sprintf("too many attempts, wait %d s", secs), "n", secs)
}

// dummyHash is an argon2id hash of a random string, compared against for unknown emails.
const dummyHash = "$argon2id$v=19$m=65536,t=1,p=2$c29tZXNhbHRzb21lc2FsdA$3nK9e8bXo5m4a7lqfJq2aH0V0cP3v6p3Qy2kq8rQm7E"

func (s *Server) logout(c *fiber.Ctx) error {
	u := currentUser(c)
	e := s.auditEntry(c, store.AuditEntry{Action: store.AuditLogout, ObjectType: "account", ObjectID: u.ID})
	if err := s.store.DeleteSession(c.UserContext(), u.OrganisationID, store.HashToken(c.Cookies(s.sessionCookie())), e); err != nil {
		return err
	}
	c.ClearCookie(s.sessionCookie())
	return c.SendStatus(fiber.StatusNoContent)
}

func (s *Server) me(c *fiber.Ctx) error {
	u := currentUser(c)
	return c.JSON(fiber.Map{"id": u.ID, "name": u.Name, "email": u.Email, "role": u.Role, "organisation": u.Organisation, "totpEnabled": u.TOTPEnabled})
}

func (s *Server) setupNeeded(c *fiber.Ctx) error {
	n, err := s.store.CountUsers(c.UserContext())
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"needed": n == 0, "oidc": s.oidc != nil})
}

// setup uses a one-time link: the first organisation and its admin, or a new
// account's password.
func (s *Server) setup(c *fiber.Ctx) error {
	var in struct {
		Token        string `json:"token"`
		Organisation string `json:"organisation"`
		Name         string `json:"name"`
		Email        string `json:"email"`
		Password     string `json:"password"`
	}
	if err := decodeBody(c, &in); err != nil {
		return err
	}
	if err := CheckPasswordRules(in.Password); err != nil {
		return err
	}
	hash, err := HashPassword(in.Password)
	if err != nil {
		return err
	}
	ctx := c.UserContext()
	userID, err := s.store.UseSetupToken(ctx, store.HashToken(in.Token))
	if errors.Is(err, store.ErrTokenUsed) {
		return meeting.Fail(meeting.ECodeForbidden, "setup_link_used", "setup link expired or used")
	}
	if err != nil {
		return err
	}
	var u store.User
	if userID == "" {
		u, err = s.firstAccount(ctx, in.Organisation, in.Name, in.Email, hash)
	} else {
		err = s.store.SetPassword(ctx, userID, hash)
		if err == nil {
			u, err = s.store.FindUserByID(ctx, userID)
		}
	}
	if err != nil {
		return err
	}
	if err := s.startSession(c, u, "setup"); err != nil {
		return err
	}
	return c.JSON(fiber.Map{"id": u.ID, "name": u.Name, "email": u.Email, "role": u.Role})
}

func (s *Server) firstAccount(ctx context.Context, orgName, name, email, hash string) (store.User, error) {
	acc, err := CheckAccount(orgName, name, email)
	if err != nil {
		return store.User{}, err
	}
	_, u, err := s.store.CreateOrganisationWithAdmin(ctx, acc.Organisation, store.User{Email: acc.Email, Name: acc.Name, Role: "admin", PasswordHash: hash})
	if errors.Is(err, store.ErrDuplicate) {
		return store.User{}, meeting.Fail(meeting.ECodeConflict, "email_taken", "email taken")
	}
	return u, err
}

// Account is a checked organisation name, person's name and email.
type Account struct{ Organisation, Name, Email string }

// CheckAccount cleans and checks what a new account is made of.
func CheckAccount(orgName, name, email string) (Account, error) {
	org, err := meeting.CleanText("organisation", orgName, meeting.MaxNameLen, false, false)
	if err != nil {
		return Account{}, err
	}
	n, err := meeting.CleanText("name", name, meeting.MaxNameLen, false, false)
	if err != nil {
		return Account{}, err
	}
	// An address is typed text too: net/mail accepts any UTF-8 in it, bidi
	// overrides included, and the console lists it.
	e, err := meeting.CleanText("email", email, 254, false, true)
	if err != nil {
		return Account{}, err
	}
	e = strings.ToLower(e)
	if a, err := mail.ParseAddress(e); err != nil || a.Address != e || len(e) > 254 {
		return Account{}, meeting.Fail(meeting.ECodeInvalidInput, "bad_email", "invalid email")
	}
	return Account{Organisation: org, Name: n, Email: e}, nil
}
