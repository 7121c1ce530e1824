package httpapi_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

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
	login["code"], _ = totp.GenerateCode(setup.Secret, time.Now())
	wantStatus(t, ts, 200, "POST", "/api/auth/login", "", login)
}
