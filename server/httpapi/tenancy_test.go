package httpapi_test

import (
	"bytes"
	"net"
	"net/http"
	"time"

	"github.com/fasthttp/websocket"

	"context"
	"encoding/json"
	"github.com/tafel-met/tafel/server/realtime/wsclient"
	"io"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/tafel-met/tafel/server/app"
	"github.com/tafel-met/tafel/server/httpapi"
	"github.com/tafel-met/tafel/server/realtime"
	"github.com/tafel-met/tafel/server/store"
	"github.com/tafel-met/tafel/server/store/storetest"
)

// tenant is one organisation with a signed-in coordinator, a family and a meeting
// that one participant joined.
type tenant struct {
	cookie, familyID, meetingID, code, token string
}

type tenancyServer struct {
	t    *testing.T
	srv  *httpapi.Server
	st   *store.Store
	addr string // where the same app listens on loopback, for websockets
}

func newTenancyServer(t *testing.T, d store.Dialect) *tenancyServer {
	t.Helper()
	st := storetest.Open(t, d)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	ts := &tenancyServer{t: t, st: st, srv: newAPI(httpapi.Config{BaseURL: "http://tafel.test"}, st, log)}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ts.addr = ln.Addr().String()
	go ts.srv.Listener(ln)
	t.Cleanup(func() { ts.srv.Shutdown() })
	return ts
}

// checkForeignSocket shows the websocket refuses another organisation's
// coordinator, a participant of another meeting, and a page from another site.
func checkForeignSocket(t *testing.T, ts *tenancyServer, a, b tenant) {
	t.Helper()
	for _, c := range []struct{ name, cookie, token, code string }{
		{"OtherOrganisation", b.cookie, "", "not_found"},
		{"OtherMeetingsToken", "", b.token, "unauthorized"},
		{"OtherMeetingsCookie", "tafel_p=" + b.token, "", "unauthorized"},
		{"NoCredentials", "", "", "unauthorized"},
	} {
		ws, err := wsclient.Dial(ts.addr, a.meetingID, c.cookie)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if err := ws.Hello(c.token, "", 0); err != nil {
			t.Fatal(err)
		}
		f, err := ws.WaitFor(func(f wsclient.Frame) bool { return f.Type == "error" || f.Type == "snapshot" }, 5*time.Second)
		if err != nil || f.Type != "error" || f.Code != c.code {
			t.Fatalf("%s: got %s %v, want error %s", c.name, f.Raw, err, c.code)
		}
		if _, err := ws.WaitClosed(5 * time.Second); err != nil {
			t.Fatalf("%s: socket stays open after refusal: %v", c.name, err)
		}
		if ws.Saw("Sanne") || ws.Saw("Moeder") {
			t.Fatalf("%s: refused socket received meeting data", c.name)
		}
		ws.Close()
	}
	h := http.Header{"Origin": {"https://evil.example"}, "Cookie": {a.cookie}}
	_, resp, err := websocket.DefaultDialer.Dial("ws://"+ts.addr+"/api/meetings/"+a.meetingID+"/ws", h)
	if err == nil || resp == nil || resp.StatusCode != 403 {
		t.Fatalf("foreign Origin: err %v, response %v, want 403", err, resp)
	}
}

// do sends a request through the app; cookie may be "Bearer <token>".
func (ts *tenancyServer) do(method, path, cookie string, body any, hdr ...string) (int, []byte) {
	ts.t.Helper()
	var r io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		r = bytes.NewReader(b)
	}
	req := newRequestBody(method, path, cookie, r)
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := ts.srv.App().Test(req, -1)
	if err != nil {
		ts.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

func newRequest(method, path, cookie string) *http.Request {
	return newRequestBody(method, path, cookie, nil)
}

func newRequestBody(method, path, cookie string, body io.Reader) *http.Request {
	req := httptest.NewRequest(method, "http://tafel.test"+path, body)
	req.Header.Set("Content-Type", "application/json")
	if strings.HasPrefix(cookie, "Bearer ") {
		req.Header.Set("Authorization", cookie)
	} else if cookie != "" {
		req.Header.Set("Cookie", cookie)
	}
	return req
}

func (ts *tenancyServer) tenant(org, email string) tenant {
	ts.t.Helper()
	hash, _ := httpapi.HashPassword("een-lang-wachtwoord")
	if _, _, err := ts.st.CreateOrganisationWithAdmin(context.Background(), org, store.User{Email: email, Name: "Coördinator", PasswordHash: hash}); err != nil {
		ts.t.Fatal(err)
	}
	req := httptest.NewRequest("POST", "http://tafel.test/api/auth/login", strings.NewReader(`{"email":"`+email+`","password":"een-lang-wachtwoord"}`))
	req.Header.Set("Content-Type", "application/json")
	resp, err := ts.srv.App().Test(req, -1)
	if err != nil || resp.StatusCode != 200 {
		ts.t.Fatalf("login: %v %v", resp.StatusCode, err)
	}
	var tn tenant
	for _, c := range resp.Cookies() {
		if c.Name == "tafel_session" {
			tn.cookie = c.Name + "=" + c.Value
		}
	}
	var out struct {
		ID, JoinCode, Token string
	}
	decode := func(code int, b []byte, want int) {
		ts.t.Helper()
		if code != want {
			ts.t.Fatalf("status %d, want %d: %s", code, want, b)
		}
		_ = json.Unmarshal(b, &out)
	}
	code, b := ts.do("POST", "/api/families", tn.cookie, map[string]string{"label": "Gezin J."})
	decode(code, b, 201)
	tn.familyID = out.ID
	code, b = ts.do("POST", "/api/meetings", tn.cookie, map[string]any{"familyId": tn.familyID,
		"parties": []map[string]string{{"name": "Moeder", "kind": "family"}}})
	decode(code, b, 201)
	tn.meetingID, tn.code = out.ID, out.JoinCode
	code, b = ts.do("POST", "/api/join/"+tn.code, "", map[string]string{"name": "Sanne", "partyId": "party1"})
	decode(code, b, 201)
	tn.token = out.Token
	return tn
}

// routeCase checks one route from organisation B's side against A's data.
type routeCase func(t *testing.T, ts *tenancyServer, a, b tenant)

// wantStatus asserts a request's status.
func wantStatus(t *testing.T, ts *tenancyServer, want int, method, path, cookie string, body any) []byte {
	t.Helper()
	code, b := ts.do(method, path, cookie, body)
	if code != want {
		t.Fatalf("%s %s: %d %s, want %d", method, path, code, b, want)
	}
	return b
}

// routeCases has one entry per route of the app. A new route without an entry here
// fails TestEveryRouteIsTenantScoped.
var routeCases = map[string]routeCase{
	"GET /healthz": func(t *testing.T, ts *tenancyServer, a, b tenant) {
		wantStatus(t, ts, 200, "GET", "/healthz", b.cookie, nil)
	},
	"GET /readyz": func(t *testing.T, ts *tenancyServer, a, b tenant) {
		wantStatus(t, ts, 200, "GET", "/readyz", b.cookie, nil)
	},
	"GET /api/setup": func(t *testing.T, ts *tenancyServer, a, b tenant) {
		if body := wantStatus(t, ts, 200, "GET", "/api/setup", "", nil); string(body) != `{"needed":false,"oidc":false}` {
			t.Fatalf("setup = %s", body)
		}
	},
	"POST /api/setup": func(t *testing.T, ts *tenancyServer, a, b tenant) {
		wantStatus(t, ts, 403, "POST", "/api/setup", "", map[string]string{"token": "guess", "organisation": "X", "name": "X", "email": "x@example.org", "password": "een-lang-wachtwoord"})
	},
	"POST /api/auth/login": func(t *testing.T, ts *tenancyServer, a, b tenant) {
		wantStatus(t, ts, 401, "POST", "/api/auth/login", "", map[string]string{"email": "nobody@example.org", "password": "x"})
	},
	"POST /api/auth/logout": func(t *testing.T, ts *tenancyServer, a, b tenant) {
		wantStatus(t, ts, 401, "POST", "/api/auth/logout", "", nil)
	},
	"GET /api/auth/me": func(t *testing.T, ts *tenancyServer, a, b tenant) {
		if body := wantStatus(t, ts, 200, "GET", "/api/auth/me", b.cookie, nil); !strings.Contains(string(body), "Organisatie B") {
			t.Fatalf("me = %s", body)
		}
		wantStatus(t, ts, 401, "GET", "/api/auth/me", "Bearer "+a.token, nil)
	},
	"POST /api/auth/totp/setup": func(t *testing.T, ts *tenancyServer, a, b tenant) {
		wantStatus(t, ts, 401, "POST", "/api/auth/totp/setup", "Bearer "+a.token, nil)
	},
	"POST /api/auth/totp/enable": func(t *testing.T, ts *tenancyServer, a, b tenant) {
		wantStatus(t, ts, 401, "POST", "/api/auth/totp/enable", "Bearer "+a.token, map[string]string{"code": "123456"})
	},
	"POST /api/auth/totp/disable": func(t *testing.T, ts *tenancyServer, a, b tenant) {
		wantStatus(t, ts, 401, "POST", "/api/auth/totp/disable", "", map[string]string{"code": "123456"})
	},
	"GET /api/auth/totp/qr.svg": func(t *testing.T, ts *tenancyServer, a, b tenant) {
		wantStatus(t, ts, 401, "GET", "/api/auth/totp/qr.svg", "Bearer "+a.token, nil)
		wantStatus(t, ts, 404, "GET", "/api/auth/totp/qr.svg", b.cookie, nil) // no second factor being set up
	},
	"GET /api/users": func(t *testing.T, ts *tenancyServer, a, b tenant) {
		if body := wantStatus(t, ts, 200, "GET", "/api/users", b.cookie, nil); strings.Contains(string(body), "a@example.org") {
			t.Fatalf("B lists A's accounts: %s", body)
		}
	},
	"POST /api/users": func(t *testing.T, ts *tenancyServer, a, b tenant) {
		wantStatus(t, ts, 401, "POST", "/api/users", "Bearer "+a.token, map[string]string{"email": "x@example.org", "name": "X"})
	},
	"DELETE /api/users/:id": func(t *testing.T, ts *tenancyServer, a, b tenant) {
		users, _ := ts.st.ListUsers(context.Background(), ts.orgOf(t, "Organisatie A"))
		wantStatus(t, ts, 404, "DELETE", "/api/users/"+users[0].ID, b.cookie, nil)
		wantStatus(t, ts, 200, "GET", "/api/auth/me", a.cookie, nil)
	},
	"GET /api/auth/oidc/start": func(t *testing.T, ts *tenancyServer, a, b tenant) {
		wantStatus(t, ts, 404, "GET", "/api/auth/oidc/start", "", nil) // no provider configured here
	},
	"GET /api/auth/oidc/callback": func(t *testing.T, ts *tenancyServer, a, b tenant) {
		wantStatus(t, ts, 404, "GET", "/api/auth/oidc/callback?code=x&state=y", "", nil)
	},
	"GET /api/families": func(t *testing.T, ts *tenancyServer, a, b tenant) {
		if body := wantStatus(t, ts, 200, "GET", "/api/families", b.cookie, nil); strings.Contains(string(body), a.familyID) {
			t.Fatalf("B lists A's family: %s", body)
		}
		wantStatus(t, ts, 401, "GET", "/api/families", "Bearer "+a.token, nil)
	},
	"POST /api/families": func(t *testing.T, ts *tenancyServer, a, b tenant) {
		wantStatus(t, ts, 401, "POST", "/api/families", "Bearer "+a.token, map[string]string{"label": "Gezin K."})
	},
	"GET /api/families/:id/audit": func(t *testing.T, ts *tenancyServer, a, b tenant) {
		wantStatus(t, ts, 404, "GET", "/api/families/"+a.familyID+"/audit", b.cookie, nil)
		wantStatus(t, ts, 200, "GET", "/api/meetings/"+a.meetingID+"/snapshot", "Bearer "+a.token, nil)
		body := wantStatus(t, ts, 200, "GET", "/api/families/"+a.familyID+"/audit", a.cookie, nil)
		var records []store.AuditRecord
		if err := json.Unmarshal(body, &records); err != nil {
			t.Fatal(err)
		}
		// A's coordinator sees who created and read A's family's data, from where.
		actions := map[string]bool{}
		for _, r := range records {
			actions[r.Action+" "+r.ObjectType] = true
			if r.Address == "" {
				t.Fatalf("audit record without address: %+v", r)
			}
		}
		for _, want := range []string{"create family", "create meeting", "create participant", "read meeting"} {
			if !actions[want] {
				t.Fatalf("family audit lacks %q: %v", want, actions)
			}
		}
	},
	"GET /api/families/:id/export.json": func(t *testing.T, ts *tenancyServer, a, b tenant) {
		wantStatus(t, ts, 404, "GET", "/api/families/"+a.familyID+"/export.json", b.cookie, nil)
		wantStatus(t, ts, 401, "GET", "/api/families/"+a.familyID+"/export.json", "Bearer "+a.token, nil)
		if body := wantStatus(t, ts, 200, "GET", "/api/families/"+a.familyID+"/export.json", a.cookie, nil); !strings.Contains(string(body), "Sanne") {
			t.Fatalf("family export lacks its participant: %.200s", body)
		}
	},
	"DELETE /api/families/:id": func(t *testing.T, ts *tenancyServer, a, b tenant) {
		// b's coordinator is an admin of B, and still cannot touch A's family.
		wantStatus(t, ts, 404, "DELETE", "/api/families/"+a.familyID, b.cookie, nil)
		wantStatus(t, ts, 401, "DELETE", "/api/families/"+a.familyID, "Bearer "+a.token, nil)
		wantStatus(t, ts, 200, "GET", "/api/meetings/"+a.meetingID+"/snapshot", a.cookie, nil)
	},
	"GET /api/meetings": func(t *testing.T, ts *tenancyServer, a, b tenant) {
		if body := wantStatus(t, ts, 200, "GET", "/api/meetings", b.cookie, nil); strings.Contains(string(body), a.meetingID) {
			t.Fatalf("B lists A's meeting: %s", body)
		}
	},
	"POST /api/meetings": func(t *testing.T, ts *tenancyServer, a, b tenant) {
		wantStatus(t, ts, 404, "POST", "/api/meetings", b.cookie, map[string]any{"familyId": a.familyID})
	},
	"POST /api/meetings/:id/parties": func(t *testing.T, ts *tenancyServer, a, b tenant) {
		wantStatus(t, ts, 404, "POST", "/api/meetings/"+a.meetingID+"/parties", b.cookie, map[string]string{"name": "Buurvrouw", "kind": "network"})
		wantStatus(t, ts, 401, "POST", "/api/meetings/"+a.meetingID+"/parties", "Bearer "+a.token, map[string]string{"name": "Buurvrouw", "kind": "network"})
	},
	"GET /api/heard": func(t *testing.T, ts *tenancyServer, a, b tenant) {
		wantStatus(t, ts, 401, "GET", "/api/heard", "Bearer "+a.token, nil)
		if body := wantStatus(t, ts, 200, "GET", "/api/heard", b.cookie, nil); strings.Contains(string(body), a.meetingID) {
			t.Fatalf("B's check overview names A's meeting: %s", body)
		}
	},
	"GET /api/meetings/:id/heard": func(t *testing.T, ts *tenancyServer, a, b tenant) {
		wantStatus(t, ts, 404, "GET", "/api/meetings/"+a.meetingID+"/heard", "Bearer "+b.token, nil)
		wantStatus(t, ts, 401, "GET", "/api/meetings/"+a.meetingID+"/heard", b.cookie, nil)
		wantStatus(t, ts, 200, "GET", "/api/meetings/"+a.meetingID+"/heard", "Bearer "+a.token, nil)
	},
	"POST /api/meetings/:id/heard": func(t *testing.T, ts *tenancyServer, a, b tenant) {
		body := map[string]any{"scores": map[string]int{"heard": 3, "safe": 3, "time": 3, "goals": 3}, "mark": 8}
		wantStatus(t, ts, 404, "POST", "/api/meetings/"+a.meetingID+"/heard", "Bearer "+b.token, body)
		wantStatus(t, ts, 401, "POST", "/api/meetings/"+a.meetingID+"/heard", b.cookie, body)
	},
	"GET /api/meetings/:id/heard/summary": func(t *testing.T, ts *tenancyServer, a, b tenant) {
		wantStatus(t, ts, 404, "GET", "/api/meetings/"+a.meetingID+"/heard/summary", b.cookie, nil)
		wantStatus(t, ts, 401, "GET", "/api/meetings/"+a.meetingID+"/heard/summary", "Bearer "+a.token, nil)
		wantStatus(t, ts, 200, "GET", "/api/meetings/"+a.meetingID+"/heard/summary", a.cookie, nil)
	},
	"GET /api/meetings/:id/snapshot": func(t *testing.T, ts *tenancyServer, a, b tenant) {
		wantStatus(t, ts, 404, "GET", "/api/meetings/"+a.meetingID+"/snapshot", b.cookie, nil)
		wantStatus(t, ts, 404, "GET", "/api/meetings/"+a.meetingID+"/snapshot", "Bearer "+b.token, nil)
		wantStatus(t, ts, 404, "GET", "/api/meetings/"+a.meetingID+"/snapshot", "tafel_p="+b.token, nil)
		wantStatus(t, ts, 200, "GET", "/api/meetings/"+a.meetingID+"/snapshot", "Bearer "+a.token, nil)
	},
	"GET /api/meetings/:id/export.:format": func(t *testing.T, ts *tenancyServer, a, b tenant) {
		wantStatus(t, ts, 404, "GET", "/api/meetings/"+a.meetingID+"/export.json", b.cookie, nil)
		wantStatus(t, ts, 401, "GET", "/api/meetings/"+a.meetingID+"/export.json", "Bearer "+a.token, nil)
		if body := wantStatus(t, ts, 200, "GET", "/api/meetings/"+a.meetingID+"/export.json", a.cookie, nil); !bytes.Contains(body, []byte(`"schema": "tafel.plan/v1"`)) {
			t.Fatalf("own export = %s", body)
		}
		// A participant downloads only their own meeting's family PDF.
		wantStatus(t, ts, 404, "GET", "/api/meetings/"+a.meetingID+"/export.pdf", "Bearer "+b.token, nil)
		wantStatus(t, ts, 404, "GET", "/api/meetings/"+a.meetingID+"/export.pdf", "tafel_p="+b.token, nil)
	},
	"GET /api/meetings/:id/sources": func(t *testing.T, ts *tenancyServer, a, b tenant) {
		wantStatus(t, ts, 404, "GET", "/api/meetings/"+a.meetingID+"/sources", b.cookie, nil)
		wantStatus(t, ts, 401, "GET", "/api/meetings/"+a.meetingID+"/sources", "Bearer "+a.token, nil)
		wantStatus(t, ts, 200, "GET", "/api/meetings/"+a.meetingID+"/sources", a.cookie, nil)
	},
	"GET /api/meetings/:id/child-codes": func(t *testing.T, ts *tenancyServer, a, b tenant) {
		wantStatus(t, ts, 404, "GET", "/api/meetings/"+a.meetingID+"/child-codes", b.cookie, nil)
		wantStatus(t, ts, 401, "GET", "/api/meetings/"+a.meetingID+"/child-codes", "Bearer "+a.token, nil)
		wantStatus(t, ts, 200, "GET", "/api/meetings/"+a.meetingID+"/child-codes", a.cookie, nil)
	},
	"POST /api/meetings/:id/child-codes": func(t *testing.T, ts *tenancyServer, a, b tenant) {
		wantStatus(t, ts, 404, "POST", "/api/meetings/"+a.meetingID+"/child-codes", b.cookie, nil)
		wantStatus(t, ts, 401, "POST", "/api/meetings/"+a.meetingID+"/child-codes", "Bearer "+a.token, nil)
		wantStatus(t, ts, 409, "POST", "/api/meetings/"+a.meetingID+"/child-codes", a.cookie, nil) // a plain meeting
	},
	"DELETE /api/meetings/:id/child-codes/:codeId": func(t *testing.T, ts *tenancyServer, a, b tenant) {
		cc := childCodeOf(t, ts, a)
		wantStatus(t, ts, 404, "DELETE", "/api/meetings/"+a.meetingID+"/child-codes/"+cc.ID, b.cookie, nil)
		wantStatus(t, ts, 404, "DELETE", "/api/meetings/"+b.meetingID+"/child-codes/"+cc.ID, b.cookie, nil)
		wantStatus(t, ts, 401, "DELETE", "/api/meetings/"+a.meetingID+"/child-codes/"+cc.ID, "Bearer "+a.token, nil)
		wantStatus(t, ts, 200, "GET", "/api/child/"+cc.Code, "", nil)
	},
	// A child code is the key to one child's own houses, and nothing else; guessing
	// it is throttled like a join code.
	"GET /api/child/:code": func(t *testing.T, ts *tenancyServer, a, b tenant) {
		wantStatus(t, ts, 404, "GET", "/api/child/"+a.code, "", nil)
		body := wantStatus(t, ts, 200, "GET", "/api/child/"+childCodeOf(t, ts, a).Code, b.cookie, nil)
		if strings.Contains(string(body), "Sanne") || strings.Contains(string(body), "Moeder") || strings.Contains(string(body), "Gezin") {
			t.Fatalf("the child's page shows the meeting: %s", body)
		}
	},
	"PUT /api/child/:code": func(t *testing.T, ts *tenancyServer, a, b tenant) {
		wantStatus(t, ts, 404, "PUT", "/api/child/"+a.code, "", map[string]string{"worries": "x"})
		wantStatus(t, ts, 409, "PUT", "/api/child/"+childCodeOf(t, ts, a).Code, "", map[string]string{"worries": "x"}) // a plain meeting
	},
	"POST /api/meetings/:id/follow-up": func(t *testing.T, ts *tenancyServer, a, b tenant) {
		wantStatus(t, ts, 404, "POST", "/api/meetings/"+a.meetingID+"/follow-up", b.cookie, nil)
		wantStatus(t, ts, 401, "POST", "/api/meetings/"+a.meetingID+"/follow-up", "Bearer "+a.token, nil)
		wantStatus(t, ts, 409, "POST", "/api/meetings/"+a.meetingID+"/follow-up", a.cookie, nil) // A's meeting is still open
	},
	"GET /api/families/:id/timeline": func(t *testing.T, ts *tenancyServer, a, b tenant) {
		wantStatus(t, ts, 404, "GET", "/api/families/"+a.familyID+"/timeline", b.cookie, nil)
		wantStatus(t, ts, 401, "GET", "/api/families/"+a.familyID+"/timeline", "Bearer "+a.token, nil)
		if body := wantStatus(t, ts, 200, "GET", "/api/families/"+a.familyID+"/timeline", a.cookie, nil); !strings.Contains(string(body), a.meetingID) ||
			strings.Contains(string(body), b.meetingID) {
			t.Fatalf("A's timeline = %s", body)
		}
	},
	"GET /api/families/:id/measures.csv": func(t *testing.T, ts *tenancyServer, a, b tenant) {
		wantStatus(t, ts, 404, "GET", "/api/families/"+a.familyID+"/measures.csv", b.cookie, nil)
		wantStatus(t, ts, 401, "GET", "/api/families/"+a.familyID+"/measures.csv", "Bearer "+a.token, nil)
		if body := wantStatus(t, ts, 200, "GET", "/api/families/"+a.familyID+"/measures.csv", a.cookie, nil); !strings.Contains(string(body), a.meetingID) {
			t.Fatalf("A's measures = %s", body)
		}
	},
	"GET /api/overview": func(t *testing.T, ts *tenancyServer, a, b tenant) {
		wantStatus(t, ts, 401, "GET", "/api/overview", "Bearer "+a.token, nil)
		if body := wantStatus(t, ts, 200, "GET", "/api/overview", b.cookie, nil); strings.Contains(string(body), a.familyID) || !strings.Contains(string(body), b.familyID) {
			t.Fatalf("B's overview = %s", body)
		}
	},
	"GET /api/measures.csv": func(t *testing.T, ts *tenancyServer, a, b tenant) {
		wantStatus(t, ts, 401, "GET", "/api/measures.csv", "Bearer "+a.token, nil)
		if body := wantStatus(t, ts, 200, "GET", "/api/measures.csv", b.cookie, nil); strings.Contains(string(body), a.meetingID) || !strings.Contains(string(body), b.meetingID) {
			t.Fatalf("B's measures = %s", body)
		}
	},
	"GET /api/meetings/:id/qr.svg": func(t *testing.T, ts *tenancyServer, a, b tenant) {
		wantStatus(t, ts, 404, "GET", "/api/meetings/"+a.meetingID+"/qr.svg", b.cookie, nil)
	},
	"GET /api/meetings/:id/ws": func(t *testing.T, ts *tenancyServer, a, b tenant) {
		checkForeignSocket(t, ts, a, b)
	},
	"POST /api/meetings/:id/participant-session": func(t *testing.T, ts *tenancyServer, a, b tenant) {
		// Another meeting's token, and a coordinator's session, get no participant cookie here.
		wantStatus(t, ts, 404, "POST", "/api/meetings/"+a.meetingID+"/participant-session", "", map[string]string{"token": b.token})
		wantStatus(t, ts, 404, "POST", "/api/meetings/"+a.meetingID+"/participant-session", a.cookie, map[string]string{"token": ""})
		wantStatus(t, ts, 200, "POST", "/api/meetings/"+a.meetingID+"/participant-session", "", map[string]string{"token": a.token})
	},
	// Join by code is public on purpose: the code is the key, and guessing it is
	// throttled (TestJoinCodeGuessingThrottled). It shows only the label and parties.
	"GET /api/join/:code": func(t *testing.T, ts *tenancyServer, a, b tenant) {
		body := wantStatus(t, ts, 200, "GET", "/api/join/"+a.code, "", nil)
		if strings.Contains(string(body), "Sanne") {
			t.Fatalf("join page shows who joined: %s", body)
		}
	},
	"POST /api/join/:code": func(t *testing.T, ts *tenancyServer, a, b tenant) {
		wantStatus(t, ts, 404, "POST", "/api/join/ZZZZZZZZ", "", map[string]string{"name": "X", "partyId": "party1"})
	},
}

// TestEveryRouteIsTenantScoped enumerates the app's routes: each must have a case
// in routeCases, so a new route without a tenancy check fails here. Another
// organisation's coordinator, and a participant of another meeting, get 404.
func TestEveryRouteIsTenantScoped(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			ts := newTenancyServer(t, d)
			a := ts.tenant("Organisatie A", "a@example.org")
			b := ts.tenant("Organisatie B", "b@example.org")
			seen := map[string]bool{}
			for _, r := range ts.srv.App().GetRoutes(true) {
				key := r.Method + " " + r.Path
				if r.Method == "HEAD" || strings.HasSuffix(r.Path, "/*") || seen[key] {
					continue // HEAD mirrors GET; catch-alls answer 404 or the app
				}
				seen[key] = true
				check, ok := routeCases[key]
				if !ok {
					t.Errorf("route %s has no tenancy case in routeCases", key)
					continue
				}
				t.Run(key, func(t *testing.T) { check(t, ts, a, b) })
			}
			for key := range routeCases {
				if !seen[key] {
					t.Errorf("routeCases has %s, which is no route", key)
				}
			}
		})
	}
}

// childCodeOf makes a child code for a's meeting in the store (the route refuses
// one for a's plain meeting; the store does not know shapes).
func childCodeOf(t *testing.T, ts *tenancyServer, a tenant) store.ChildCode {
	t.Helper()
	cc, err := ts.st.CreateChildCode(context.Background(), ts.orgOf(t, "Organisatie A"), a.meetingID, time.Hour,
		store.AuditEntry{ActorType: "user", ActorID: "tenancy-test", Action: store.AuditCreate, Detail: "child_code.create"})
	if err != nil {
		t.Fatal(err)
	}
	return cc
}

func (ts *tenancyServer) orgOf(t *testing.T, name string) string {
	t.Helper()
	o, err := ts.st.FindOrganisationByName(context.Background(), name)
	if err != nil {
		t.Fatal(err)
	}
	return o.ID
}

// newAPI wires an HTTP server on st as main does, with one instance's service.
func newAPI(cfg httpapi.Config, st *store.Store, log *slog.Logger) *httpapi.Server {
	svc := app.New(st, app.LocalBroker{}, log)
	return httpapi.New(cfg, st, svc, realtime.NewHub(svc, st, log), nil, log)
}
