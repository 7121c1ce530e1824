package httpapi

import (
	"context"
	"errors"
	"strings"
	"sync"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"github.com/gofiber/fiber/v2"
	"golang.org/x/oauth2"

	"github.com/tafel-met/tafel/server/meeting"
	"github.com/tafel-met/tafel/server/store"
)

// OIDCConfig names the organisation's identity provider; empty Issuer turns it off.
type OIDCConfig struct {
	Issuer       string
	ClientID     string
	ClientSecret string
}

const oidcCookie = "tafel_oidc"

// oidcClient discovers the provider once, on first use.
type oidcClient struct {
	cfg  OIDCConfig
	mu   sync.Mutex
	prov *oidc.Provider
}

func (o *oidcClient) provider(ctx context.Context) (*oidc.Provider, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.prov != nil {
		return o.prov, nil
	}
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	p, err := oidc.NewProvider(ctx, o.cfg.Issuer)
	if err != nil {
		return nil, err
	}
	o.prov = p
	return p, nil
}

func (s *Server) oauthConfig(p *oidc.Provider) *oauth2.Config {
	return &oauth2.Config{ClientID: s.oidc.cfg.ClientID, ClientSecret: s.oidc.cfg.ClientSecret, Endpoint: p.Endpoint(),
		RedirectURL: strings.TrimRight(s.cfg.BaseURL, "/") + "/api/auth/oidc/callback", Scopes: []string{oidc.ScopeOpenID, "email", "profile"}}
}

// oidcStart sends the browser to the identity provider, with a state and a nonce
// kept in a short-lived cookie to tie the answer to this browser.
func (s *Server) oidcStart(c *fiber.Ctx) error {
	if s.oidc == nil {
		return errNotFound
	}
	p, err := s.oidc.provider(c.UserContext())
	if err != nil {
		return err
	}
	state, nonce := store.NewToken(), store.NewToken()
	c.Cookie(&fiber.Cookie{Name: oidcCookie, Value: state + "." + nonce, Path: "/api/auth/oidc", HTTPOnly: true,
		SameSite: "Lax", Secure: s.secureCookies(), Expires: time.Now().Add(10 * time.Minute)})
	return c.Redirect(s.oauthConfig(p).AuthCodeURL(state, oidc.Nonce(nonce)), fiber.StatusFound)
}

var errOIDCRefused = meeting.Fail(meeting.ECodeForbidden, "sign_in_refused", "sign-in refused: no account")

// oidcCallback finishes sign-in: an account already linked to this issuer and
// subject signs in; an account with the same verified email and no link yet is
// linked once; anyone else is refused.
func (s *Server) oidcCallback(c *fiber.Ctx) error {
	if s.oidc == nil {
		return errNotFound
	}
	ctx := c.UserContext()
	state, nonce, _ := strings.Cut(c.Cookies(oidcCookie), ".")
	c.ClearCookie(oidcCookie)
	if state == "" || c.Query("state") != state {
		return meeting.Fail(meeting.ECodeForbidden, "sign_in_state", "OIDC state mismatch")
	}
	p, err := s.oidc.provider(ctx)
	if err != nil {
		return err
	}
	tok, err := s.oauthConfig(p).Exchange(ctx, c.Query("code"))
	if err != nil {
		s.log.Warn("oidc code exchange failed", "err", err)
		return errOIDCRefused
	}
	raw, _ := tok.Extra("id_token").(string)
	idt, err := p.Verifier(&oidc.Config{ClientID: s.oidc.cfg.ClientID}).Verify(ctx, raw)
	if err != nil || idt.Nonce != nonce {
		s.log.Warn("oidc id token refused", "err", err)
		return errOIDCRefused
	}
	var claims struct {
		Email         string `json:"email"`
		EmailVerified bool   `json:"email_verified"`
	}
	if err := idt.Claims(&claims); err != nil {
		return errOIDCRefused
	}
	u, err := s.store.FindUserByOIDC(ctx, idt.Issuer, idt.Subject)
	if errors.Is(err, store.ErrNotFound) && claims.EmailVerified && claims.Email != "" {
		if u, err = s.store.FindUserByEmail(ctx, strings.ToLower(claims.Email)); err == nil {
			err = s.store.LinkOIDC(ctx, u.ID, idt.Issuer, idt.Subject)
		}
	}
	if err != nil {
		_ = s.audit(c, store.AuditEntry{ActorType: "anonymous", ActorID: idt.Subject, Action: store.AuditLoginFailed,
			ObjectType: "account", Outcome: "denied", Detail: "oidc"})
		return errOIDCRefused
	}
	if err := s.startSession(c, u, "oidc"); err != nil {
		return err
	}
	return c.Redirect("/", fiber.StatusFound)
}
