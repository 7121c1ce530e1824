package httpapi

import (
	"context"
	"encoding/base32"
	"errors"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"

	"github.com/tafel-met/tafel/server/meeting"
	"github.com/tafel-met/tafel/server/store"
)

// ECodeTOTPRequired asks the client for the second factor's code.
const ECodeTOTPRequired = "totp_required"

// requireAdmin lets only an organisation's admins through.
func requireAdmin(c *fiber.Ctx) error {
	if currentUser(c).Role != "admin" {
		return meeting.Fail(meeting.ECodeForbidden, "admins_only", "admins only")
	}
	return c.Next()
}

type accountView struct {
	ID          string `json:"id"`
	Email       string `json:"email"`
	Name        string `json:"name"`
	Role        string `json:"role"`
	TOTPEnabled bool   `json:"totpEnabled"`
	Active      bool   `json:"active"` // has a password
}

func (s *Server) listUsers(c *fiber.Ctx) error {
	users, err := s.store.ListUsers(c.UserContext(), currentUser(c).OrganisationID)
	if err != nil {
		return err
	}
	out := make([]accountView, len(users))
	for i, u := range users {
		out[i] = accountView{ID: u.ID, Email: u.Email, Name: u.Name, Role: u.Role, TOTPEnabled: u.TOTPEnabled, Active: u.PasswordHash != ""}
	}
	return c.JSON(out)
}

// createUser adds an account to the admin's organisation and returns a one-time
// link, valid for an hour, where its owner chooses a password.
func (s *Server) createUser(c *fiber.Ctx) error {
	var in struct {
		Email string `json:"email"`
		Name  string `json:"name"`
		Role  string `json:"role"`
	}
	if err := decodeBody(c, &in); err != nil {
		return err
	}
	admin := currentUser(c)
	acc, err := CheckAccount(admin.Organisation, in.Name, in.Email)
	if err != nil {
		return err
	}
	if in.Role == "" {
		in.Role = "coordinator"
	}
	if in.Role != "admin" && in.Role != "coordinator" {
		return meeting.Fail(meeting.ECodeInvalidInput, "bad_role", "role must be admin or coordinator")
	}
	u, err := s.store.CreateUser(c.UserContext(), store.User{OrganisationID: admin.OrganisationID, Email: acc.Email, Name: acc.Name, Role: in.Role},
		s.auditEntry(c, meeting.AuditEntry{Action: meeting.AuditCreate, Detail: in.Role}))
	if errors.Is(err, store.ErrDuplicate) {
		return meeting.Fail(meeting.ECodeConflict, "email_taken", "email taken")
	}
	if err != nil {
		return err
	}
	token := store.NewToken()
	if err := s.store.CreateSetupToken(c.UserContext(), store.HashToken(token), u.ID, time.Now().Add(time.Hour)); err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(fiber.Map{"id": u.ID, "setupUrl": strings.TrimRight(s.cfg.BaseURL, "/") + "/setup?token=" + token})
}

func (s *Server) deleteUser(c *fiber.Ctx) error {
	admin := currentUser(c)
	id := c.Params("id")
	if id == admin.ID {
		return meeting.Fail(meeting.ECodeConflict, "own_account", "cannot remove your own account")
	}
	if err := s.store.DeleteUser(c.UserContext(), admin.OrganisationID, id,
		s.auditEntry(c, meeting.AuditEntry{Action: meeting.AuditDelete, ObjectType: "account", ObjectID: id})); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

// totpSetup makes a new secret for the signed-in account; it is used only once
// confirmed with a code from the app (totpEnable).
func (s *Server) totpSetup(c *fiber.Ctx) error {
	u := currentUser(c)
	if u.TOTPEnabled {
		return meeting.Fail(meeting.ECodeConflict, "totp_enabled", "two-step verification already enabled")
	}
	key, err := totp.Generate(totp.GenerateOpts{Issuer: "Tafel", AccountName: u.Email})
	if err != nil {
		return err
	}
	if err := s.store.SetTOTP(c.UserContext(), u.ID, key.Secret(), false); err != nil {
		return err
	}
	return c.JSON(fiber.Map{"secret": key.Secret(), "url": key.URL()})
}

// totpQRCode draws the otpauth URL of a second factor being set up, for the
// authenticator app to scan. Nothing once it is on: the secret is not shown again.
func (s *Server) totpQRCode(c *fiber.Ctx) error {
	u := currentUser(c)
	if u.TOTPSecret == "" || u.TOTPEnabled {
		return errNotFound
	}
	// The same key setup made: same issuer, account and secret give the same URL.
	secret, err := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(u.TOTPSecret)
	if err != nil {
		return err
	}
	key, err := totp.Generate(totp.GenerateOpts{Issuer: "Tafel", AccountName: u.Email, Secret: secret})
	if err != nil {
		return err
	}
	return sendQRCode(c, key.URL(), "QR-code voor je app")
}

func (s *Server) totpCode(c *fiber.Ctx) (string, error) {
	var in struct {
		Code string `json:"code"`
	}
	if err := decodeBody(c, &in); err != nil {
		return "", err
	}
	return strings.TrimSpace(in.Code), nil
}

func (s *Server) totpEnable(c *fiber.Ctx) error {
	u := currentUser(c)
	code, err := s.totpCode(c)
	if err != nil {
		return err
	}
	if u.TOTPSecret == "" || u.TOTPEnabled {
		return meeting.Fail(meeting.ECodeConflict, "totp_setup_first", "start setup first")
	}
	if ok, err := s.checkTOTP(c.UserContext(), u.User, code); err != nil || !ok {
		return meeting.Fail(meeting.ECodeInvalidInput, "wrong_totp", "wrong code")
	}
	if err := s.store.SetTOTP(c.UserContext(), u.ID, u.TOTPSecret, true,
		s.auditEntry(c, meeting.AuditEntry{Action: meeting.AuditUpdate, ObjectType: "account", ObjectID: u.ID, Detail: "totp on"})); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

func (s *Server) totpDisable(c *fiber.Ctx) error {
	u := currentUser(c)
	code, err := s.totpCode(c)
	if err != nil {
		return err
	}
	if !u.TOTPEnabled {
		return meeting.Fail(meeting.ECodeInvalidInput, "wrong_totp", "wrong code")
	}
	if ok, err := s.checkTOTP(c.UserContext(), u.User, code); err != nil || !ok {
		return meeting.Fail(meeting.ECodeInvalidInput, "wrong_totp", "wrong code")
	}
	if err := s.store.SetTOTP(c.UserContext(), u.ID, "", false,
		s.auditEntry(c, meeting.AuditEntry{Action: meeting.AuditUpdate, ObjectType: "account", ObjectID: u.ID, Detail: "totp off"})); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

// checkTOTP accepts a code of the current 30-second step or one step either side
// (clocks drift), once: a code seen before for this account is refused (ASVS 2.8.4).
func (s *Server) checkTOTP(ctx context.Context, u store.User, code string) (bool, error) {
	now := time.Now()
	for _, skew := range []time.Duration{0, -30 * time.Second, 30 * time.Second} {
		t := now.Add(skew)
		ok, err := totp.ValidateCustom(code, u.TOTPSecret, t, totp.ValidateOpts{Period: 30, Skew: 0, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
		if err != nil || !ok {
			continue
		}
		return s.store.UseTOTPStep(ctx, u.ID, t.Unix()/30)
	}
	return false, nil
}
