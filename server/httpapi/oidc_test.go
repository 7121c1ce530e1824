package httpapi_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/oauth2-proxy/mockoidc"

	"github.com/tafel-met/tafel/server/httpapi"
	"github.com/tafel-met/tafel/server/store"
	"github.com/tafel-met/tafel/server/store/storetest"
)

// oidcSignIn walks the browser's part of the code flow against the mock provider
// and returns the callback's status and session cookie.
func oidcSignIn(t *testing.T, srv *httpapi.Server) (int, string) {
	t.Helper()
	resp, err := srv.App().Test(newRequest("GET", "/api/auth/oidc/start", ""), -1)
	if err != nil || resp.StatusCode != 302 {
		t.Fatalf("start: %v %v", resp.StatusCode, err)
	}
	var stateCookie string
	for _, c := range resp.Cookies() {
		if c.Name == "tafel_oidc" {
			stateCookie = c.Name + "=" + c.Value
		}
	}
	// The provider authenticates the user and sends the browser back with a code.
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	back, err := noFollow.Get(resp.Header.Get("Location"))
	if err != nil {
		t.Fatal(err)
	}
	back.Body.Close()
	cb, err := url.Parse(back.Header.Get("Location"))
	if err != nil || cb.Path != "/api/auth/oidc/callback" {
		t.Fatalf("provider redirected to %q", back.Header.Get("Location"))
	}
	resp, err = srv.App().Test(newRequest("GET", cb.RequestURI(), stateCookie), -1)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range resp.Cookies() {
		if c.Name == "tafel_session" && c.Value != "" {
			return resp.StatusCode, c.Name + "=" + c.Value
		}
	}
	return resp.StatusCode, ""
}

func TestOIDCSignIn(t *testing.T) {
	m, err := mockoidc.Run()
	if err != nil {
		t.Fatal(err)
	}
	defer m.Shutdown()
	cfg := m.Config()
	st := storetest.Open(t, store.SQLite)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	srv := newAPI(httpapi.Config{BaseURL: "http://tafel.test", OIDC: httpapi.OIDCConfig{Issuer: cfg.Issuer, ClientID: cfg.ClientID, ClientSecret: cfg.ClientSecret}}, st, log)
	ctx := context.Background()
	if _, _, err := st.CreateOrganisationWithAdmin(ctx, "Gemeente Voorbeeld", store.User{Email: "marieke@example.org", Name: "Marieke"}); err != nil {
		t.Fatal(err)
	}

	t.Run("ErrUnknownPerson", func(t *testing.T) {
		m.QueueUser(&mockoidc.MockUser{Subject: "sub-stranger", Email: "stranger@example.org", EmailVerified: true})
		if code, cookie := oidcSignIn(t, srv); code != 403 || cookie != "" {
			t.Fatalf("stranger: %d %q, want 403 without a session", code, cookie)
		}
	})
	t.Run("ErrUnverifiedEmail", func(t *testing.T) {
		m.QueueUser(&mockoidc.MockUser{Subject: "sub-marieke", Email: "marieke@example.org", EmailVerified: false})
		if code, cookie := oidcSignIn(t, srv); code != 403 || cookie != "" {
			t.Fatalf("unverified email: %d %q", code, cookie)
		}
	})
	t.Run("OKLinksOnFirstSignIn", func(t *testing.T) {
		m.QueueUser(&mockoidc.MockUser{Subject: "sub-marieke", Email: "marieke@example.org", EmailVerified: true})
		code, cookie := oidcSignIn(t, srv)
		if code != 302 || cookie == "" {
			t.Fatalf("first sign-in: %d %q", code, cookie)
		}
		resp, _ := srv.App().Test(newRequest("GET", "/api/auth/me", cookie), -1)
		body, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != 200 || !strings.Contains(string(body), "marieke@example.org") {
			t.Fatalf("me: %d %s", resp.StatusCode, body)
		}
	})
	t.Run("OKKeyedOnSubjectNotEmail", func(t *testing.T) {
		// The provider now reports another email for the same subject: still Marieke.
		m.QueueUser(&mockoidc.MockUser{Subject: "sub-marieke", Email: "m.devries@example.org", EmailVerified: true})
		if code, cookie := oidcSignIn(t, srv); code != 302 || cookie == "" {
			t.Fatalf("same subject, new email: %d", code)
		}
		// Another subject with Marieke's email cannot take over her linked account.
		m.QueueUser(&mockoidc.MockUser{Subject: "sub-imposter", Email: "marieke@example.org", EmailVerified: true})
		if code, cookie := oidcSignIn(t, srv); code != 403 || cookie != "" {
			t.Fatalf("other subject with her email: %d %q", code, cookie)
		}
	})
	t.Run("ErrStateMismatch", func(t *testing.T) {
		resp, _ := srv.App().Test(newRequest("GET", "/api/auth/oidc/callback?code=x&state=forged", "tafel_oidc=real.nonce"), -1)
		if resp.StatusCode != 403 {
			t.Fatalf("forged state: %d", resp.StatusCode)
		}
	})
}
