package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/tafel-met/tafel/server/httpapi"
	"github.com/tafel-met/tafel/server/meeting"
	"github.com/tafel-met/tafel/server/realtime/wsclient"
	"github.com/tafel-met/tafel/server/store"
	"github.com/tafel-met/tafel/server/store/storetest"
)

// testServer is the real Main on a loopback port 0 with a fresh database.
type testServer struct {
	t    testing.TB
	main *Main
	addr string
}

func startServer(t testing.TB, d store.Dialect) *testServer {
	t.Helper()
	return startServerOn(t, storetest.URL(t, d))
}

// startServerOn starts the real Main on a given database.
func startServerOn(t testing.TB, databaseURL string) *testServer {
	t.Helper()
	return startServerWith(t, databaseURL, "")
}

// startServerWith starts the real Main on a given database and, when redisURL is
// set, sharing its meetings with other instances through that Redis.
func startServerWith(t testing.TB, databaseURL, redisURL string) *testServer {
	t.Helper()
	cfg, err := LoadConfig(func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	cfg.Addr = "127.0.0.1:0"
	cfg.DataDir = t.TempDir()
	cfg.DatabaseURL = databaseURL
	cfg.RedisURL = redisURL
	cfg.LogLevel = "warn"
	cfg.PurgeEvery = 0
	var out io.Writer = io.Discard
	if os.Getenv("TAFEL_TEST_LOG") != "" {
		out = os.Stderr
	}
	m := NewMain(cfg, out)
	if err := m.Run(context.Background()); err != nil {
		t.Fatalf("start server: %v", err)
	}
	t.Cleanup(func() { m.Close() })
	return &testServer{t: t, main: m, addr: m.Addr()}
}

// coordinator is a signed-in coordinator's REST session.
type coordinator struct {
	s      *testServer
	cookie string
}

var accountSeq int

func (s *testServer) coordinator(org string) *coordinator {
	s.t.Helper()
	return s.coordinatorNamed(org, "Coördinator")
}

// coordinatorNamed signs in a new coordinator of org with the given name.
func (s *testServer) coordinatorNamed(org, name string) *coordinator {
	s.t.Helper()
	return s.signedIn(org, name, "coordinator")
}

// signedIn signs in a new account of org with the given name and role.
func (s *testServer) signedIn(org, name, role string) *coordinator {
	s.t.Helper()
	accountSeq++
	email := fmt.Sprintf("coordinator%d@example.org", accountSeq)
	hash, err := httpapi.HashPassword("een-lang-wachtwoord")
	if err != nil {
		s.t.Fatal(err)
	}
	ctx := context.Background()
	u := store.User{Email: email, Name: name, Role: role, PasswordHash: hash}
	if o, err := s.main.Store.FindOrganisationByName(ctx, org); err == nil {
		u.OrganisationID = o.ID
		_, err = s.main.Store.CreateUser(ctx, u)
		if err != nil {
			s.t.Fatal(err)
		}
	} else if _, _, err := s.main.Store.CreateOrganisationWithAdmin(ctx, org, u); err != nil {
		s.t.Fatal(err)
	}
	resp, body := s.request("POST", "/api/auth/login", "", map[string]string{"email": email, "password": "een-lang-wachtwoord"})
	if resp.StatusCode != 200 {
		s.t.Fatalf("login: %d %s", resp.StatusCode, body)
	}
	for _, ck := range resp.Cookies() {
		if ck.Name == "tafel_session" {
			return &coordinator{s: s, cookie: ck.Name + "=" + ck.Value}
		}
	}
	s.t.Fatal("login set no session cookie")
	return nil
}

// request sends a JSON request and returns the response with its body.
func (s *testServer) request(method, path, cookie string, body any) (*http.Response, []byte) {
	s.t.Helper()
	var r io.Reader
	if body != nil {
		if raw, ok := body.([]byte); ok {
			r = bytes.NewReader(raw)
		} else {
			b, _ := json.Marshal(body)
			r = bytes.NewReader(b)
		}
	}
	req, err := http.NewRequest(method, "http://"+s.addr+path, r)
	if err != nil {
		s.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if strings.HasPrefix(cookie, "Bearer ") {
		req.Header.Set("Authorization", cookie)
	} else if cookie != "" {
		req.Header.Set("Cookie", cookie)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		s.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, b
}

// call sends a request that must answer want, and decodes the answer into out.
func (c *coordinator) call(method, path string, body, out any, want int) {
	c.s.t.Helper()
	resp, b := c.s.request(method, path, c.cookie, body)
	if resp.StatusCode != want {
		c.s.t.Fatalf("%s %s: %d %s, want %d", method, path, resp.StatusCode, b, want)
	}
	if out != nil {
		if err := json.Unmarshal(b, out); err != nil {
			c.s.t.Fatalf("%s %s: %v in %s", method, path, err, b)
		}
	}
}

type createdMeeting struct {
	ID       string `json:"id"`
	JoinCode string `json:"joinCode"`
}

// meeting prepares a family's meeting with the given parties ("Name:kind").
func (c *coordinator) meeting(label string, parties ...string) createdMeeting {
	c.s.t.Helper()
	var fam struct{ ID string }
	c.call("POST", "/api/families", map[string]string{"label": label}, &fam, 201)
	var ps []map[string]string
	for _, p := range parties {
		name, kind, _ := strings.Cut(p, ":")
		ps = append(ps, map[string]string{"name": name, "kind": kind})
	}
	var m createdMeeting
	c.call("POST", "/api/meetings", map[string]any{"familyId": fam.ID, "title": "Top-3-gesprek", "date": "2026-12-01", "parties": ps}, &m, 201)
	return m
}

func (c *coordinator) snapshot(meetingID string) meeting.View {
	c.s.t.Helper()
	var v meeting.View
	c.call("GET", "/api/meetings/"+meetingID+"/snapshot", nil, &v, 200)
	return v
}

// connect opens a coordinator's (or with view "screen", a shared screen's) socket.
func (c *coordinator) connect(meetingID, view string) *wsclient.Client {
	c.s.t.Helper()
	ws, err := wsclient.Dial(c.s.addr, meetingID, c.cookie)
	if err != nil {
		c.s.t.Fatal(err)
	}
	c.s.t.Cleanup(func() { ws.Close() })
	if err := ws.Hello("", view, 0); err != nil {
		c.s.t.Fatal(err)
	}
	if _, err := ws.WaitFor(func(f wsclient.Frame) bool { return f.Type == "snapshot" }, 5*time.Second); err != nil {
		c.s.t.Fatalf("no snapshot: %v", err)
	}
	return ws
}

// phone is a participant on their own device.
type phone struct {
	ID, Token string
	WS        *wsclient.Client
}

// join joins by code as name for partyID and connects the phone's socket.
func (s *testServer) join(code, name, partyID string) *phone {
	s.t.Helper()
	resp, b := s.request("POST", "/api/join/"+code, "", map[string]string{"name": name, "partyId": partyID})
	if resp.StatusCode != 201 {
		s.t.Fatalf("join: %d %s", resp.StatusCode, b)
	}
	var out struct{ MeetingID, ParticipantID, Token string }
	_ = json.Unmarshal(b, &out)
	p := &phone{ID: out.ParticipantID, Token: out.Token}
	p.WS = s.connectPhone(out.MeetingID, out.Token, 0)
	return p
}

func (s *testServer) connectPhone(meetingID, token string, lastSeq int64) *wsclient.Client {
	s.t.Helper()
	ws, err := wsclient.Dial(s.addr, meetingID, "")
	if err != nil {
		s.t.Fatal(err)
	}
	s.t.Cleanup(func() { ws.Close() })
	if err := ws.Hello(token, "", lastSeq); err != nil {
		s.t.Fatal(err)
	}
	if _, err := ws.WaitFor(func(f wsclient.Frame) bool { return f.Type == "welcome" || f.Type == "error" }, 5*time.Second); err != nil {
		s.t.Fatalf("no welcome: %v", err)
	}
	return ws
}

// must runs a command that must be acknowledged and returns its seq.
func must(t testing.TB, ws *wsclient.Client, name string, data any) int64 {
	t.Helper()
	f, err := ws.Do(name, data)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if f.Type != "ack" {
		t.Fatalf("%s: %s %s", name, f.Code, f.Message)
	}
	return f.Seq
}

// refused runs a command that must get an error with code.
func refused(t testing.TB, ws *wsclient.Client, name string, data any, code string) {
	t.Helper()
	f, err := ws.Do(name, data)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if f.Type != "error" || f.Code != code {
		t.Fatalf("%s: got %s %s %s, want error %s", name, f.Type, f.Code, f.Message, code)
	}
}

// partyIDs returns a meeting's party ids by party name.
func (c *coordinator) partyIDs(meetingID string) map[string]string {
	c.s.t.Helper()
	ids := map[string]string{}
	for _, p := range c.snapshot(meetingID).Parties {
		ids[p.Name] = p.ID
	}
	return ids
}
