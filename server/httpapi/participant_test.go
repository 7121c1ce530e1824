package httpapi_test

import (
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/tafel-met/tafel/server/httpapi"
	"github.com/tafel-met/tafel/server/realtime"
	"github.com/tafel-met/tafel/server/realtime/wsclient"
	"github.com/tafel-met/tafel/server/store"
)

// phone is a browser-like client of the loopback server: it keeps cookies the way
// a browser does, by path, and never sees the token except in the cookie jar.
type phone struct {
	t    *testing.T
	base string
	jar  *cookiejar.Jar
	http *http.Client
}

func newPhone(t *testing.T, ts *tenancyServer) *phone {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &phone{t: t, base: "http://" + ts.addr, jar: jar, http: &http.Client{Jar: jar, Timeout: 10 * time.Second}}
}

func (p *phone) do(method, path, body string) (*http.Response, []byte) {
	p.t.Helper()
	req, err := http.NewRequest(method, p.base+path, strings.NewReader(body))
	if err != nil {
		p.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Origin", p.base)
	resp, err := p.http.Do(req)
	if err != nil {
		p.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, b
}

// join joins a meeting by code as a browser would and returns the participant id.
func (p *phone) join(code, name string) (meetingID, participantID string) {
	p.t.Helper()
	resp, b := p.do("POST", "/api/join/"+code, `{"name":"`+name+`","partyId":"party1"}`)
	if resp.StatusCode != 201 {
		p.t.Fatalf("join: %d %s", resp.StatusCode, b)
	}
	var out struct{ MeetingID, ParticipantID string }
	_ = json.Unmarshal(b, &out)
	return out.MeetingID, out.ParticipantID
}

// cookie is the participant cookie the jar would send to a path, as a Cookie header.
func (p *phone) cookie(path string) string {
	u, _ := url.Parse(p.base + path)
	for _, c := range p.jar.Cookies(u) {
		if c.Name == "tafel_p" {
			return c.Name + "=" + c.Value
		}
	}
	return ""
}

func participantCookieOf(t *testing.T, resp *http.Response) *http.Cookie {
	t.Helper()
	for _, c := range resp.Cookies() {
		if strings.HasSuffix(c.Name, "tafel_p") {
			return c
		}
	}
	t.Fatalf("no participant cookie in %v", resp.Header.Values("Set-Cookie"))
	return nil
}

// helloAs opens a websocket with a Cookie header, says hello with view, and
// returns the first welcome or error frame.
func helloAs(t *testing.T, ts *tenancyServer, meetingID, cookie, view string) (*wsclient.Client, wsclient.Frame) {
	t.Helper()
	ws, err := wsclient.Dial(ts.addr, meetingID, cookie)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ws.Close() })
	if err := ws.Hello("", view, 0); err != nil {
		t.Fatal(err)
	}
	f, err := ws.WaitFor(func(f wsclient.Frame) bool { return f.Type == "welcome" || f.Type == "error" }, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	return ws, f
}

func welcomeOf(t *testing.T, f wsclient.Frame) (role, participantID string) {
	t.Helper()
	if f.Type != "welcome" {
		t.Fatalf("got %s, want welcome", f.Raw)
	}
	var w struct{ Role, ParticipantID string }
	_ = json.Unmarshal(f.Raw, &w)
	return w.Role, w.ParticipantID
}

func TestParticipantCookie(t *testing.T) {
	ts := newTenancyServer(t, store.SQLite)
	a := ts.tenant("Organisatie A", "a@example.org")
	b := ts.tenant("Organisatie B", "b@example.org")

	t.Run("JoinSetsHttpOnlyCookieForTheMeeting", func(t *testing.T) {
		p := newPhone(t, ts)
		resp, body := p.do("POST", "/api/join/"+a.code, `{"name":"Fatima","partyId":"party1"}`)
		if resp.StatusCode != 201 {
			t.Fatalf("join: %d %s", resp.StatusCode, body)
		}
		c := participantCookieOf(t, resp)
		if c.Name != "tafel_p" || c.Path != "/api/meetings/"+a.meetingID || !c.HttpOnly || c.SameSite != http.SameSiteStrictMode || c.Secure || c.MaxAge <= 0 {
			t.Fatalf("cookie %+v: want tafel_p, HttpOnly, SameSite=Strict, not Secure over http, path of the meeting, lasting", c)
		}
		// The phone's snapshot comes with the cookie alone: Fatima sees herself, waiting.
		resp, body = p.do("GET", "/api/meetings/"+a.meetingID+"/snapshot", "")
		if resp.StatusCode != 200 || !strings.Contains(string(body), `"name":"Fatima"`) || !strings.Contains(string(body), `"status":"pending"`) {
			t.Fatalf("snapshot with cookie: %d %s", resp.StatusCode, body)
		}
		if strings.Contains(string(body), "joinCode\":\""+a.code) {
			t.Fatalf("participant snapshot shows the join code: %s", body)
		}
		// And the websocket: no token in hello.
		_, f := helloAs(t, ts, a.meetingID, p.cookie("/api/meetings/"+a.meetingID+"/ws"), "participant")
		if role, pid := welcomeOf(t, f); role != "participant" || pid == "" {
			t.Fatalf("welcome %s", f.Raw)
		}
	})

	t.Run("CookieIsScopedToItsMeeting", func(t *testing.T) {
		p := newPhone(t, ts)
		p.join(a.code, "Noor")
		// A browser does not send it to another meeting's path...
		if c := p.cookie("/api/meetings/" + b.meetingID + "/snapshot"); c != "" {
			t.Fatalf("jar sends %q to another meeting", c)
		}
		if c := p.cookie("/api/meetings/" + a.meetingID + "x/snapshot"); c != "" {
			t.Fatalf("jar sends %q to a meeting whose id starts with this one's", c)
		}
		if resp, body := p.do("GET", "/api/meetings/"+b.meetingID+"/snapshot", ""); resp.StatusCode != 401 {
			t.Fatalf("other meeting's snapshot: %d %s, want 401", resp.StatusCode, body)
		}
		// ...and sent there by hand, the server refuses it.
		stolen := p.cookie("/api/meetings/" + a.meetingID)
		wantStatus(t, ts, 404, "GET", "/api/meetings/"+b.meetingID+"/snapshot", stolen, nil)
		_, f := helloAs(t, ts, b.meetingID, stolen, "participant")
		if f.Type != "error" || f.Code != "unauthorized" {
			t.Fatalf("other meeting's websocket with this cookie: %s", f.Raw)
		}
	})

	t.Run("LinkTokenExchangedForCookie", func(t *testing.T) {
		p := newPhone(t, ts)
		// a.token is Sanne's, from a link: the exchange sets the cookie.
		resp, body := p.do("POST", "/api/meetings/"+a.meetingID+"/participant-session", `{"token":"`+a.token+`"}`)
		if resp.StatusCode != 200 || !strings.Contains(string(body), `"participantId"`) || strings.Contains(string(body), a.token) {
			t.Fatalf("exchange: %d %s", resp.StatusCode, body)
		}
		c := participantCookieOf(t, resp)
		if !c.HttpOnly || c.SameSite != http.SameSiteStrictMode || c.Path != "/api/meetings/"+a.meetingID {
			t.Fatalf("cookie %+v", c)
		}
		if resp, body := p.do("GET", "/api/meetings/"+a.meetingID+"/snapshot", ""); resp.StatusCode != 200 || !strings.Contains(string(body), "Sanne") {
			t.Fatalf("snapshot after exchange: %d %s", resp.StatusCode, body)
		}
		// Another meeting's token, or a made-up one, sets nothing.
		for _, tok := range []string{b.token, "tk_made_up", ""} {
			resp, body := newPhone(t, ts).do("POST", "/api/meetings/"+a.meetingID+"/participant-session", `{"token":"`+tok+`"}`)
			if resp.StatusCode != 404 || len(resp.Cookies()) != 0 {
				t.Fatalf("exchange of %q: %d %s %v", tok, resp.StatusCode, body, resp.Cookies())
			}
		}
	})

	t.Run("CoordinatorWhoAlsoJoined", func(t *testing.T) {
		p := newPhone(t, ts)
		p.join(a.code, "Test")
		both := a.cookie + "; " + p.cookie("/api/meetings/"+a.meetingID)
		_, f := helloAs(t, ts, a.meetingID, both, "")
		if role, _ := welcomeOf(t, f); role != "coordinator" {
			t.Fatalf("console's hello: role %s", role)
		}
		_, f = helloAs(t, ts, a.meetingID, both, "participant")
		if role, _ := welcomeOf(t, f); role != "participant" {
			t.Fatalf("phone's hello: role %s", role)
		}
		// Asking to be a participant without a cookie is refused, not turned into the coordinator.
		_, f = helloAs(t, ts, a.meetingID, a.cookie, "participant")
		if f.Type != "error" || f.Code != "unauthorized" {
			t.Fatalf("participant hello without cookie: %s", f.Raw)
		}
	})

	t.Run("RemovedParticipantsCookieStopsWorking", func(t *testing.T) {
		p := newPhone(t, ts)
		_, pid := p.join(a.code, "Weg")
		cookie := p.cookie("/api/meetings/" + a.meetingID)
		phoneWS, f := helloAs(t, ts, a.meetingID, cookie, "participant")
		welcomeOf(t, f)
		coord, f := helloAs(t, ts, a.meetingID, a.cookie, "")
		welcomeOf(t, f)
		if ack, err := coord.Do("participant.remove", map[string]string{"participantId": pid}); err != nil || ack.Type != "ack" {
			t.Fatalf("remove: %s %v", ack.Raw, err)
		}
		if code, err := phoneWS.WaitClosed(5 * time.Second); err != nil || code != realtime.CloseRemoved {
			t.Fatalf("open socket: close code %d %v, want %d", code, err, realtime.CloseRemoved)
		}
		_, f = helloAs(t, ts, a.meetingID, cookie, "participant")
		if f.Type != "error" || f.Code != "forbidden" {
			t.Fatalf("removed participant's hello: %s", f.Raw)
		}
		if resp, body := p.do("GET", "/api/meetings/"+a.meetingID+"/snapshot", ""); resp.StatusCode != 404 || strings.Contains(string(body), "Sanne") {
			t.Fatalf("removed participant's snapshot: %d %s", resp.StatusCode, body)
		}
		token := strings.TrimPrefix(cookie, "tafel_p=")
		if resp, _ := newPhone(t, ts).do("POST", "/api/meetings/"+a.meetingID+"/participant-session", `{"token":"`+token+`"}`); resp.StatusCode != 404 {
			t.Fatalf("removed participant's token exchanged: %d", resp.StatusCode)
		}
	})

	t.Run("SecureUnderHTTPS", func(t *testing.T) {
		log := slog.New(slog.NewTextHandler(io.Discard, nil))
		srv := newAPI(httpapi.Config{BaseURL: "https://tafel.test"}, ts.st, log)
		req := newRequestBody("POST", "/api/join/"+a.code, "", strings.NewReader(`{"name":"Lina","partyId":"party1"}`))
		resp, err := srv.App().Test(req, -1)
		if err != nil || resp.StatusCode != 201 {
			t.Fatalf("join: %v %v", resp, err)
		}
		c := participantCookieOf(t, resp)
		if c.Name != "__Secure-tafel_p" || !c.Secure || !c.HttpOnly || c.SameSite != http.SameSiteStrictMode {
			t.Fatalf("cookie under https %+v", c)
		}
	})
}
