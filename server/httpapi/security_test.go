package httpapi_test

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/tafel-met/tafel/server/httpapi"
	"github.com/tafel-met/tafel/server/realtime/wsclient"

	"github.com/tafel-met/tafel/server/store"
)

func TestLoginLockout(t *testing.T) {
	ts := newTenancyServer(t, store.SQLite)
	ts.tenant("Organisatie A", "a@example.org")
	wrong := map[string]string{"email": "a@example.org", "password": "fout-wachtwoord-123"}
	for i := 0; i < 6; i++ {
		wantStatus(t, ts, 401, "POST", "/api/auth/login", "", wrong)
	}
	// Now even the right password waits: the account is locked for a while.
	code, body := ts.do("POST", "/api/auth/login", "", map[string]string{"email": "a@example.org", "password": "een-lang-wachtwoord"})
	if code != 429 || !strings.Contains(string(body), "rate_limited") {
		t.Fatalf("after 6 failures: %d %s, want 429 rate_limited", code, body)
	}
}

func TestJoinCodeGuessingThrottled(t *testing.T) {
	ts := newTenancyServer(t, store.SQLite)
	a := ts.tenant("Organisatie A", "a@example.org")
	for i := 0; i < 10; i++ {
		wantStatus(t, ts, 404, "GET", "/api/join/GUESS"+strings.Repeat("X", i%3+1)+"QQ", "", nil)
	}
	wantStatus(t, ts, 404, "GET", "/api/join/ZZZZZZZZ", "", nil)
	// The eleventh wrong guess started a delay: even the right code waits now.
	code, body := ts.do("GET", "/api/join/"+a.code, "", nil)
	if code != 429 {
		t.Fatalf("after 11 wrong codes: %d %s, want 429", code, body)
	}
}

func TestCrossSiteRequestRefused(t *testing.T) {
	ts := newTenancyServer(t, store.SQLite)
	a := ts.tenant("Organisatie A", "a@example.org")
	for _, c := range []struct {
		name   string
		hdr    []string
		status int
	}{
		{"ForeignOrigin", []string{"Origin", "https://evil.example"}, 403},
		{"NullOrigin", []string{"Origin", "null"}, 403},
		{"CrossSiteFetchWithoutOrigin", []string{"Sec-Fetch-Site", "cross-site"}, 403},
		{"OwnOrigin", []string{"Origin", "http://tafel.test"}, 201},
		{"NoOriginNonBrowser", nil, 201},
	} {
		t.Run(c.name, func(t *testing.T) {
			code, body := ts.do("POST", "/api/families", a.cookie, map[string]string{"label": "Gezin " + c.name}, c.hdr...)
			if code != c.status {
				t.Fatalf("%d %s, want %d", code, body, c.status)
			}
			code, list := ts.do("GET", "/api/families", a.cookie, nil)
			if created := strings.Contains(string(list), "Gezin "+c.name); code != 200 || created != (c.status == 201) {
				t.Fatalf("family created = %v after status %d", created, c.status)
			}
		})
	}
}

func TestSecurityHeaders(t *testing.T) {
	ts := newTenancyServer(t, store.SQLite)
	a := ts.tenant("Organisatie A", "a@example.org")
	for _, path := range []string{"/", "/join/ABC", "/api/meetings", "/api/meetings/" + a.meetingID + "/snapshot", "/api/nothing"} {
		req := newRequest("GET", path, a.cookie)
		resp, err := ts.srv.App().Test(req, -1)
		if err != nil {
			t.Fatal(err)
		}
		for h, want := range map[string]string{
			"X-Content-Type-Options":  "nosniff",
			"Referrer-Policy":         "no-referrer",
			"Content-Security-Policy": "object-src 'none'",
		} {
			if got := resp.Header.Get(h); !strings.Contains(got, want) {
				t.Errorf("%s: %s = %q, want %q", path, h, got, want)
			}
		}
		csp := resp.Header.Get("Content-Security-Policy")
		for _, want := range []string{"base-uri 'none'", "frame-ancestors 'none'", "default-src 'self'"} {
			if !strings.Contains(csp, want) || strings.Contains(csp, "script-src 'unsafe-inline'") {
				t.Errorf("%s: CSP %q lacks %q", path, csp, want)
			}
		}
		if strings.HasPrefix(path, "/api/") && resp.Header.Get("Cache-Control") != "no-store" {
			t.Errorf("%s: Cache-Control = %q, want no-store", path, resp.Header.Get("Cache-Control"))
		}
	}
}

func TestEraseFamily(t *testing.T) {
	ts := newTenancyServer(t, store.SQLite)
	a := ts.tenant("Organisatie A", "a@example.org")
	ws, err := wsclient.Dial(ts.addr, a.meetingID, "")
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	if err := ws.Hello(a.token, "", 0); err != nil {
		t.Fatal(err)
	}
	if _, err := ws.WaitFor(func(f wsclient.Frame) bool { return f.Type == "snapshot" }, 5*time.Second); err != nil {
		t.Fatal(err)
	}
	// A coordinator who is not an admin may not erase.
	coordCookie := ts.login(t, "Organisatie A", "c@example.org", "coordinator")
	wantStatus(t, ts, 403, "DELETE", "/api/families/"+a.familyID, coordCookie, nil)
	wantStatus(t, ts, 200, "GET", "/api/meetings/"+a.meetingID+"/snapshot", a.cookie, nil)

	wantStatus(t, ts, 200, "DELETE", "/api/families/"+a.familyID, a.cookie, nil)
	if _, err := ws.WaitClosed(time.Second); err != nil {
		t.Fatalf("participant's socket still open after erasure: %v", err)
	}
	wantStatus(t, ts, 404, "GET", "/api/meetings/"+a.meetingID+"/snapshot", a.cookie, nil)
	wantStatus(t, ts, 404, "GET", "/api/meetings/"+a.meetingID+"/snapshot", "Bearer "+a.token, nil)
	wantStatus(t, ts, 404, "GET", "/api/join/"+a.code, "", nil)
	body := wantStatus(t, ts, 200, "GET", "/api/families/"+a.familyID+"/audit", a.cookie, nil)
	if !strings.Contains(string(body), `"detail":"erasure"`) {
		t.Fatalf("erasure not in the family's audit log: %s", body)
	}
}

// login adds an account with role to an existing organisation and signs it in.
func (ts *tenancyServer) login(t *testing.T, org, email, role string) string {
	t.Helper()
	o, err := ts.st.FindOrganisationByName(context.Background(), org)
	if err != nil {
		t.Fatal(err)
	}
	hash, _ := httpapi.HashPassword("een-lang-wachtwoord")
	if _, err := ts.st.CreateUser(context.Background(), store.User{OrganisationID: o.ID, Email: email, Name: "Coördinator", Role: role, PasswordHash: hash}); err != nil {
		t.Fatal(err)
	}
	req := newRequestBody("POST", "/api/auth/login", "", strings.NewReader(`{"email":"`+email+`","password":"een-lang-wachtwoord"}`))
	resp, err := ts.srv.App().Test(req, -1)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("login: %v", err)
	}
	for _, c := range resp.Cookies() {
		if c.Name == "tafel_session" {
			return c.Name + "=" + c.Value
		}
	}
	t.Fatal("no session cookie")
	return ""
}

// Behind a reverse proxy every request comes from the proxy: only a trusted
// proxy's X-Forwarded-For names the client, or one guesser would lock out everyone.
func TestTrustedProxies(t *testing.T) {
	for _, c := range []struct {
		name    string
		proxies []string
		want    int // status of another client's right code after one client's wrong guesses
	}{
		{"Trusted", []string{"0.0.0.0"}, 200},
		{"NotTrusted", nil, 429},
	} {
		t.Run(c.name, func(t *testing.T) {
			ts := newTenancyServer(t, store.SQLite)
			a := ts.tenant("Organisatie A", "a@example.org")
			log := slog.New(slog.NewTextHandler(io.Discard, nil))
			ts.srv = newAPI(httpapi.Config{BaseURL: "http://tafel.test", TrustedProxies: c.proxies}, ts.st, log)
			for i := 0; i < 11; i++ {
				ts.do("GET", "/api/join/ZZZZZZZZ", "", nil, "X-Forwarded-For", "192.0.2.1")
			}
			if code, body := ts.do("GET", "/api/join/"+a.code, "", nil, "X-Forwarded-For", "192.0.2.2"); code != c.want {
				t.Fatalf("another client: %d %s, want %d", code, body, c.want)
			}
		})
	}
}
