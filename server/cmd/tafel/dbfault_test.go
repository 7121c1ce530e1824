package main

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/tafel-met/tafel/server/internal/faultproxy"
	"github.com/tafel-met/tafel/server/meeting"
	"github.com/tafel-met/tafel/server/realtime/wsclient"
	"github.com/tafel-met/tafel/server/store"
	"github.com/tafel-met/tafel/server/store/storetest"
)

// faultTimeout bounds how long a test waits for an answer during a fault: a
// generous upper bound of the server's own deadlines (10 s for a command),
// never a speed the test asserts.
const faultTimeout = 30 * time.Second

// postgresBehind returns a fresh Postgres DATABASE_URL that goes through a
// fault proxy, and the proxy.
func postgresBehind(t *testing.T) (string, *faultproxy.Proxy) {
	t.Helper()
	direct := storetest.URL(t, store.Postgres)
	u, err := url.Parse(direct)
	if err != nil {
		t.Fatal(err)
	}
	p, err := faultproxy.Start(u.Host)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	u.Host = p.Addr()
	return u.String(), p
}

// TestDatabaseOutage cuts (resets) and then holds (black holes) Postgres in
// the middle of a meeting. While it is gone every answer says "retry"
// (internal, 503 with Retry-After, close 1011), never "stop" (4001, 401),
// /readyz says 503; once it is back everything converges, and no acknowledged
// change is lost or stored twice.
func TestDatabaseOutage(t *testing.T) {
	dbURL, proxy := postgresBehind(t)
	srv := startServerOn(t, dbURL)
	coord := srv.coordinator("Gemeente Storing")
	tab := srv.newTable(coord, "Gezin D.", meeting.PhaseWorries)
	acked := map[string]bool{} // worry texts the server acknowledged
	add := func(text string) {
		t.Helper()
		must(t, tab.mother.WS, "worry.add", map[string]string{"text": text})
		acked[text] = true
	}
	add("Voor de storing")

	for _, fault := range []struct {
		name string
		mode faultproxy.Mode
	}{{"Reset", faultproxy.Reset}, {"BlackHole", faultproxy.Hold}} {
		t.Run(fault.name, func(t *testing.T) {
			proxy.Set(fault.mode)
			t.Cleanup(func() { proxy.Set(faultproxy.Pass) })
			// A command during the outage: internal, and the socket stays open.
			id := tab.mother.WS.NewID()
			text := "Tijdens de storing " + fault.name
			if err := tab.mother.WS.SendCommand(id, "worry.add", map[string]string{"text": text}); err != nil {
				t.Fatal(err)
			}
			type answer struct {
				name string
				err  string
			}
			answers := make(chan answer, 4)
			go func() {
				f, err := tab.mother.WS.Answer(id, faultTimeout)
				switch {
				case err != nil:
					answers <- answer{"command", err.Error()}
				case f.Type != "error" || f.Code != meeting.ECodeInternal:
					answers <- answer{"command", "got " + f.Type + " " + f.Code + ", want error internal"}
				default:
					answers <- answer{"command", ""}
				}
			}()
			// The coordinator's session and a phone's token cannot be checked:
			// REST says 503 with Retry-After, hello says internal and 1011.
			go func() {
				resp, body := srv.request("GET", "/api/auth/me", coord.cookie, nil)
				if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") == "" || !strings.Contains(string(body), `"internal"`) {
					answers <- answer{"REST", resp.Status + " Retry-After=" + resp.Header.Get("Retry-After") + " " + string(body)}
					return
				}
				answers <- answer{"REST", ""}
			}()
			for _, who := range []struct{ cookie, token, view string }{{coord.cookie, "", "screen"}, {"", tab.mother.Token, ""}} {
				go func() {
					answers <- answer{"hello " + who.view, helloRetries(srv, tab.m.ID, who.cookie, who.token, who.view)}
				}()
			}
			// /readyz answers, and says 503.
			client := http.Client{Timeout: faultTimeout}
			resp, err := client.Get("http://" + srv.addr + "/readyz")
			if err != nil {
				t.Fatalf("/readyz did not answer: %v", err)
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusServiceUnavailable {
				t.Fatalf("/readyz during the outage: %d, want 503", resp.StatusCode)
			}
			for range 4 {
				if a := <-answers; a.err != "" {
					t.Errorf("%s during the outage: %s", a.name, a.err)
				}
			}
			if t.Failed() {
				t.FailNow()
			}

			// The database returns: the same command id, resent, is stored once.
			proxy.Set(faultproxy.Pass)
			waitReady(t, srv)
			resendUntilAcked(t, tab.mother.WS, id, "worry.add", map[string]string{"text": text})
			acked[text] = true
			add("Na de storing " + fault.name)
			if resp, _ := srv.request("GET", "/api/auth/me", coord.cookie, nil); resp.StatusCode != 200 {
				t.Fatalf("/api/auth/me after the outage: %d", resp.StatusCode)
			}
		})
	}

	// Every acknowledged worry is stored exactly once, and every socket that
	// stayed open got every event it may see, in order, once.
	count := map[string]int{}
	for _, it := range srv.participantSnapshot(tab.m.ID, tab.mother.Token).Items {
		count[it.Text]++
	}
	for text := range acked {
		if count[text] != 1 {
			t.Errorf("acknowledged %q is stored %d times", text, count[text])
		}
	}
	log, err := srv.main.Store.EventsSince(t.Context(), tab.m.ID, 0, 1<<40)
	if err != nil {
		t.Fatal(err)
	}
	last := log[len(log)-1].Seq
	checkWatcher(t, &watcher{name: "coordinator", ws: tab.cws, viewer: meeting.Viewer{Role: meeting.RoleCoordinator}, from: firstSnapshot(tab.cws)}, log, last)
	// The mother's phone had its internal errors; its events came in order, once each.
	inOrderOnce(t, "mother", tab.mother.WS)
}

// helloRetries opens a socket during an outage and says hello: it must be
// answered with error internal and closed with 1011 (retry), never 4001. It
// returns what was wrong, or "".
func helloRetries(srv *testServer, meetingID, cookie, token, view string) string {
	ws, err := wsclient.Dial(srv.addr, meetingID, cookie)
	if err != nil {
		// The upgrade itself was refused; a browser would retry, but say it.
		return "dial: " + err.Error()
	}
	defer ws.Close()
	if err := ws.Hello(token, view, 0); err != nil {
		return err.Error()
	}
	f, err := ws.WaitFor(func(f wsclient.Frame) bool { return f.Type == "welcome" || f.Type == "error" }, faultTimeout)
	if err != nil {
		return "no answer to hello: " + err.Error()
	}
	if f.Type != "error" || f.Code != meeting.ECodeInternal {
		return "hello answered " + f.Type + " " + f.Code + ", want error internal"
	}
	code, err := ws.WaitClosed(faultTimeout)
	if err != nil || code != 1011 {
		return fmt.Sprintf("closed with %d, want 1011", code)
	}
	return ""
}

// resendUntilAcked resends a command, as the phone's outbox does, while the
// server answers internal (retry); it must end acknowledged.
func resendUntilAcked(t *testing.T, ws *wsclient.Client, id, name string, data any) wsclient.Frame {
	t.Helper()
	for end := time.Now().Add(faultTimeout); ; {
		mark := ws.Received()
		if err := ws.SendCommand(id, name, data); err != nil {
			t.Fatal(err)
		}
		f, err := ws.AnswerSince(id, mark, faultTimeout)
		if err != nil {
			t.Fatalf("%s %s: no answer: %v", name, id, err)
		}
		if f.Type == "ack" {
			return f
		}
		if f.Code != meeting.ECodeInternal || time.Now().After(end) {
			t.Fatalf("%s %s resent: %s %s", name, id, f.Code, f.Message)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// inOrderOnce checks that a socket's events came in seq order, none twice.
func inOrderOnce(t *testing.T, name string, ws *wsclient.Client) {
	t.Helper()
	var seq int64
	for _, f := range ws.Frames() {
		switch f.Type {
		case "snapshot":
			if f.Seq < seq {
				t.Fatalf("%s: snapshot at seq %d after seq %d", name, f.Seq, seq)
			}
			seq = f.Seq
		case "event":
			if f.Seq <= seq {
				t.Fatalf("%s: event seq %d after seq %d: repeated or out of order", name, f.Seq, seq)
			}
			seq = f.Seq
		}
	}
}

// firstSnapshot is the seq of the first snapshot a socket received: where its
// events start.
func firstSnapshot(ws *wsclient.Client) int64 {
	for _, f := range ws.Frames() {
		if f.Type == "snapshot" {
			return f.Seq
		}
	}
	return 0
}

// waitReady waits until /readyz says the database is back.
func waitReady(t *testing.T, srv *testServer) {
	t.Helper()
	client := http.Client{Timeout: faultTimeout}
	for end := time.Now().Add(faultTimeout); ; {
		resp, err := client.Get("http://" + srv.addr + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return
			}
		}
		if time.Now().After(end) {
			t.Fatalf("not ready again after the database returned: %v", err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
