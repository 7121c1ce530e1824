package httpapi_test

import (
	"encoding/json"
	"io"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"github.com/tafel-met/tafel/server/httpapi"
	"github.com/tafel-met/tafel/server/store"
)

func TestAdminManagesAccounts(t *testing.T) {
	ts := newTenancyServer(t, store.SQLite)
	a := ts.tenant("Organisatie A", "a@example.org")
	coord := ts.login(t, "Organisatie A", "c@example.org", "coordinator")
	// A coordinator may not manage accounts.
	wantStatus(t, ts, 403, "GET", "/api/users", coord, nil)
	wantStatus(t, ts, 403, "POST", "/api/users", coord, map[string]string{"email": "n@example.org", "name": "Nieuw"})

	body := wantStatus(t, ts, 201, "POST", "/api/users", a.cookie, map[string]string{"email": "n@example.org", "name": "Nieuw"})
	var created struct{ ID, SetupURL string }
	_ = json.Unmarshal(body, &created)
	token := created.SetupURL[strings.Index(created.SetupURL, "token=")+6:]
	wantStatus(t, ts, 409, "POST", "/api/users", a.cookie, map[string]string{"email": "n@example.org", "name": "Nog eens"})
	// The new account chooses its password through the one-time link, once.
	wantStatus(t, ts, 200, "POST", "/api/setup", "", map[string]string{"token": token, "password": "nieuw-en-lang-genoeg"})
	wantStatus(t, ts, 403, "POST", "/api/setup", "", map[string]string{"token": token, "password": "nog-een-keer-proberen"})
	wantStatus(t, ts, 200, "POST", "/api/auth/login", "", map[string]string{"email": "n@example.org", "password": "nieuw-en-lang-genoeg"})

	if body := wantStatus(t, ts, 200, "GET", "/api/users", a.cookie, nil); !strings.Contains(string(body), "n@example.org") {
		t.Fatalf("list lacks the new account: %s", body)
	}
	wantStatus(t, ts, 204, "DELETE", "/api/users/"+created.ID, a.cookie, nil)
	wantStatus(t, ts, 401, "POST", "/api/auth/login", "", map[string]string{"email": "n@example.org", "password": "nieuw-en-lang-genoeg"})
}

func TestTOTPSecondFactor(t *testing.T) {
	ts := newTenancyServer(t, store.SQLite)
	a := ts.tenant("Organisatie A", "a@example.org")
	body := wantStatus(t, ts, 200, "POST", "/api/auth/totp/setup", a.cookie, nil)
	var setup struct{ Secret, URL string }
	_ = json.Unmarshal(body, &setup)
	if setup.Secret == "" || !strings.HasPrefix(setup.URL, "otpauth://totp/") {
		t.Fatalf("setup = %s", body)
	}
	// Not on yet: the password alone still signs in.
	wantStatus(t, ts, 200, "POST", "/api/auth/login", "", map[string]string{"email": "a@example.org", "password": "een-lang-wachtwoord"})
	wantStatus(t, ts, 400, "POST", "/api/auth/totp/enable", a.cookie, map[string]string{"code": "000000"})
	code, _ := totp.GenerateCode(setup.Secret, time.Now())
	wantStatus(t, ts, 204, "POST", "/api/auth/totp/enable", a.cookie, map[string]string{"code": code})

	login := map[string]string{"email": "a@example.org", "password": "een-lang-wachtwoord"}
	if body := wantStatus(t, ts, 401, "POST", "/api/auth/login", "", login); !strings.Contains(string(body), "totp_required") {
		t.Fatalf("login without code: %s", body)
	}
	login["code"] = "000000"
	wantStatus(t, ts, 401, "POST", "/api/auth/login", "", login)
	// The code that turned the factor on was used: it does not sign in again.
	login["code"] = code
	wantStatus(t, ts, 401, "POST", "/api/auth/login", "", login)
	// The next step's code (a clock a little ahead) works, once.
	login["code"], _ = totp.GenerateCode(setup.Secret, time.Now().Add(30*time.Second))
	wantStatus(t, ts, 200, "POST", "/api/auth/login", "", login)
	wantStatus(t, ts, 401, "POST", "/api/auth/login", "", login)
}

// Session limits on a clock the test moves: no sleeps, so a loaded machine
// cannot make a request late and a limit pass early.
func TestSessionLifetime(t *testing.T) {
	type clock struct {
		mu sync.Mutex
		at time.Time
	}
	newServer := func(idle, max time.Duration) (*tenancyServer, func(time.Duration)) {
		ts := newTenancyServer(t, store.SQLite)
		c := &clock{at: time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC)}
		now := func() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.at }
		ts.st.SetClock(now)
		log := slog.New(slog.NewTextHandler(io.Discard, nil))
		ts.srv = newAPI(httpapi.Config{BaseURL: "http://tafel.test", IdleTimeout: idle, MaxSession: max, Now: now}, ts.st, log)
		return ts, func(d time.Duration) { c.mu.Lock(); c.at = c.at.Add(d); c.mu.Unlock() }
	}
	t.Run("Logout", func(t *testing.T) {
		ts, _ := newServer(time.Hour, time.Hour)
		a := ts.tenant("Organisatie A", "a@example.org")
		wantStatus(t, ts, 204, "POST", "/api/auth/logout", a.cookie, nil)
		wantStatus(t, ts, 401, "GET", "/api/auth/me", a.cookie, nil)
	})
	t.Run("NewSessionAtEveryLogin", func(t *testing.T) {
		ts, _ := newServer(time.Hour, time.Hour)
		a := ts.tenant("Organisatie A", "a@example.org")
		again := ts.login(t, "Organisatie A", "c@example.org", "coordinator")
		if a.cookie == again || len(strings.TrimPrefix(again, "tafel_session=")) < 26 {
			t.Fatalf("session ids %q and %q: want distinct, at least 128 bits", a.cookie, again)
		}
	})
	t.Run("Idle", func(t *testing.T) {
		ts, advance := newServer(30*time.Minute, 12*time.Hour)
		a := ts.tenant("Organisatie A", "a@example.org")
		advance(29 * time.Minute)
		wantStatus(t, ts, 200, "GET", "/api/auth/me", a.cookie, nil) // used: the idle time starts again
		advance(29 * time.Minute)
		wantStatus(t, ts, 200, "GET", "/api/auth/me", a.cookie, nil)
		advance(31 * time.Minute)
		wantStatus(t, ts, 401, "GET", "/api/auth/me", a.cookie, nil)
	})
	t.Run("Absolute", func(t *testing.T) {
		ts, advance := newServer(30*time.Minute, 2*time.Hour)
		a := ts.tenant("Organisatie A", "a@example.org")
		for i := 0; i < 7; i++ { // in use all the time (every 17 minutes), and still it ends
			wantStatus(t, ts, 200, "GET", "/api/auth/me", a.cookie, nil)
			advance(17 * time.Minute)
		}
		advance(2 * time.Minute) // 2 h 1 min after the sign-in
		wantStatus(t, ts, 401, "GET", "/api/auth/me", a.cookie, nil)
	})
}

func TestTOTPQRCode(t *testing.T) {
	ts := newTenancyServer(t, store.SQLite)
	a := ts.tenant("Organisatie A", "a@example.org")
	wantStatus(t, ts, 404, "GET", "/api/auth/totp/qr.svg", a.cookie, nil)
	body := wantStatus(t, ts, 200, "POST", "/api/auth/totp/setup", a.cookie, nil)
	var setup struct{ Secret, URL string }
	_ = json.Unmarshal(body, &setup)
	// While being set up, the app can scan the secret; the picture is not cached.
	code, svg := ts.do("GET", "/api/auth/totp/qr.svg", a.cookie, nil)
	if code != 200 || !strings.HasPrefix(string(svg), "<svg") || !strings.Contains(string(svg), `role="img"`) {
		t.Fatalf("qr: %d %.100s", code, svg)
	}
	totpCode, _ := totp.GenerateCode(setup.Secret, time.Now())
	wantStatus(t, ts, 204, "POST", "/api/auth/totp/enable", a.cookie, map[string]string{"code": totpCode})
	// Once on, the secret is never shown again.
	wantStatus(t, ts, 404, "GET", "/api/auth/totp/qr.svg", a.cookie, nil)
}
