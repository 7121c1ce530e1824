package main

import (
	"context"
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"slices"
	"syscall"
	"testing"
	"time"

	"github.com/fasthttp/websocket"
	"golang.org/x/time/rate"

	"github.com/tafel-met/tafel/server/meeting"
	"github.com/tafel-met/tafel/server/realtime"
	"github.com/tafel-met/tafel/server/realtime/wsclient"
	"github.com/tafel-met/tafel/server/store"
)

// TestSlowConsumer: a phone that stops reading (a receive buffer of a few KB
// it never drains) in a meeting that keeps going is disconnected, and nobody
// else waits for it: every other socket receives every event, in order. What
// the stalled phone can observe once it reads again is every frame the server
// got into its socket, complete and in order, and then either the close frame
// 4008 (its queue filled) or the end of the TCP connection (the close frame
// could not be written within slowCloseWait, or a write blocked for
// writeWait); never a normal close. It then resumes.
func TestSlowConsumer(t *testing.T) {
	srv := startServer(t, store.SQLite)
	// The flood comes from one coordinator: no rate limit for this test's sockets.
	srv.main.Hub.SetCommandRate(rate.Inf, 0)
	coord := srv.coordinator("Gemeente Traag")
	tab := srv.newTable(coord, "Gezin T.", meeting.PhaseWorries)
	mentor := srv.join(tab.m.JoinCode, "Ruud", tab.party["Mentor"])
	slowID, slowToken := srv.joinOnly(tab.m.JoinCode, "Ans", tab.party["Moeder"])
	must(t, tab.cws, "participant.admit", map[string]string{"participantId": mentor.ID})
	must(t, tab.cws, "participant.admit", map[string]string{"participantId": slowID})

	slow := dialStalled(t, srv.addr, tab.m.ID)
	if err := slow.WriteJSON(map[string]any{"type": "hello", "token": slowToken, "lastSeq": 0}); err != nil {
		t.Fatal(err)
	}
	online := func(ids []string) bool { return slices.Contains(ids, slowID) }
	if _, err := tab.cws.WaitFor(func(f wsclient.Frame) bool { return f.Type == "presence" && online(f.Online) }, faultTimeout); err != nil {
		t.Fatalf("the stalled phone never came online: %v", err)
	}
	floodFrom := seenSeq(tab.cws)

	// Flood until the server gave up on the stalled phone: the coordinator
	// sees it go offline. A bound on the flood, not a time, stops a broken server.
	const maxCommands = 20000
	locked, sent := false, 0
	for !slowGone(tab.cws, slowID) {
		if sent >= maxCommands {
			t.Fatalf("%d events sent and the stalled phone is still connected", sent)
		}
		ids := make([]string, 0, 50)
		for range 50 {
			name := "meeting.lock"
			if locked {
				name = "meeting.unlock"
			}
			locked = !locked
			id, err := tab.cws.Send(name, map[string]string{})
			if err != nil {
				t.Fatal(err)
			}
			ids = append(ids, id)
		}
		for _, id := range ids {
			f, err := tab.cws.Answer(id, faultTimeout)
			if err != nil || f.Type != "ack" {
				t.Fatalf("flood command %s: %s %v", id, f.Raw, err)
			}
		}
		sent += len(ids)
	}
	// Two rules drop a phone that stopped reading: its queue of 512 frames
	// filled (close 4008, counted), or one write to it blocked for writeWait
	// (10 s: the flood was slower than that, as on a loaded machine). Which
	// came first depends on the pace; each has its own outcome below.
	slowClosed := counter(t, srv, "tafel_slow_client_closes_total")
	if slowClosed != 0 && slowClosed != 1 {
		t.Fatalf("%v slow closes counted for one stalled phone", slowClosed)
	}
	// One more change after the drop, which the others must get too.
	last := must(t, tab.cws, map[bool]string{true: "meeting.unlock", false: "meeting.lock"}[locked], map[string]string{})
	t.Logf("%d events flooded before the stalled phone was dropped", sent)

	// Everyone else got every event, in order.
	log, err := srv.main.Store.EventsSince(t.Context(), tab.m.ID, floodFrom, 1<<40)
	if err != nil {
		t.Fatal(err)
	}
	for name, ws := range map[string]*wsclient.Client{"coordinator": tab.cws, "screen": tab.screen, "mother": tab.mother.WS, "mentor": mentor.WS} {
		if err := ws.WaitSeq(last, faultTimeout); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		var got []int64
		for _, f := range ws.Events() {
			if f.Seq > floodFrom {
				got = append(got, f.Seq)
			}
		}
		if len(got) != len(log) {
			t.Fatalf("%s received %d of the %d events since the flood began", name, len(got), len(log))
		}
		for i, ev := range log {
			if got[i] != ev.Seq {
				t.Fatalf("%s: event %d is seq %d, want %d", name, i, got[i], ev.Seq)
			}
		}
		if ws.Closed() {
			t.Fatalf("%s was disconnected too (code %d)", name, ws.CloseCode)
		}
	}

	// The stalled phone reads again: complete frames in order, then 4008 or the cut.
	p := &soakClient{}
	var end error
	for {
		_, msg, err := slow.ReadMessage()
		if err != nil {
			end = err
			break
		}
		var f wsclient.Frame
		if err := json.Unmarshal(msg, &f); err != nil {
			t.Fatalf("the stalled phone read an incomplete frame: %v (%d bytes)", err, len(msg))
		}
		f.Raw = msg
		if err := p.picture.apply(f); err != nil {
			t.Fatalf("the stalled phone: %v", err)
		}
	}
	var ce *websocket.CloseError
	switch {
	case errors.As(end, &ce) && ce.Code == realtime.CloseSlow && slowClosed == 1:
		t.Logf("queue full: the stalled phone read up to seq %d, then close 4008", p.picture.Seq)
	case errors.As(end, &ce) && ce.Code == websocket.CloseAbnormalClosure:
		// The end of TCP without a close frame, as a browser reports it too.
		t.Logf("queue full %v: the stalled phone read up to seq %d, then the TCP cut (1006 %q)", slowClosed == 1, p.picture.Seq, ce.Text)
	default:
		t.Fatalf("the stalled phone's socket ended with %v (slow closes %v), want close 4008 after a full queue or the TCP cut (1006)", end, slowClosed)
	}
	if p.picture.Seq <= floodFrom || p.picture.Seq >= last {
		t.Fatalf("the stalled phone read up to seq %d; want within the flood (%d, %d)", p.picture.Seq, floodFrom, last)
	}

	// It resumes from what it saw and ends equal to a fresh snapshot.
	ws := srv.connectPhone(tab.m.ID, slowToken, p.picture.Seq)
	p.ws = ws
	if err := ws.WaitSeq(last, faultTimeout); err != nil {
		t.Fatalf("the stalled phone did not resume: %v", err)
	}
	if err := p.catchUp(); err != nil {
		t.Fatal(err)
	}
	want := pictureOf(srv.participantSnapshot(tab.m.ID, slowToken))
	if p.picture.Seq != want.Seq || p.picture.Locked != want.Locked || !sameMap(p.picture.Participants, want.Participants) {
		t.Fatalf("the resumed phone is at seq %d locked %v, a fresh snapshot at %d locked %v", p.picture.Seq, p.picture.Locked, want.Seq, want.Locked)
	}
}

// slowGone says whether the last presence a coordinator's socket received
// leaves the participant out.
func slowGone(ws *wsclient.Client, id string) bool {
	frames := ws.Frames()
	for i := len(frames) - 1; i >= 0; i-- {
		if frames[i].Type == "presence" {
			return !slices.Contains(frames[i].Online, id)
		}
	}
	return false
}

// dialStalled opens a websocket with a receive buffer of a few KB that the
// test reads only when it chooses: a phone that stopped reading.
func dialStalled(t *testing.T, addr, meetingID string) *websocket.Conn {
	t.Helper()
	nd := net.Dialer{Control: func(_, _ string, rc syscall.RawConn) error {
		var serr error
		err := rc.Control(func(fd uintptr) { serr = syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_RCVBUF, 2048) })
		if err != nil {
			return err
		}
		return serr
	}}
	d := websocket.Dialer{HandshakeTimeout: 5 * time.Second, ReadBufferSize: 1024,
		NetDialContext: func(ctx context.Context, network, a string) (net.Conn, error) { return nd.DialContext(ctx, network, a) }}
	h := http.Header{}
	h.Set("Origin", "http://"+addr)
	conn, _, err := d.Dial("ws://"+addr+"/api/meetings/"+meetingID+"/ws", h)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	return conn
}

// joinOnly joins by code and returns the participant's id and token, with no socket.
func (s *testServer) joinOnly(code, name, partyID string) (string, string) {
	s.t.Helper()
	resp, b := s.request("POST", "/api/join/"+code, "", map[string]string{"name": name, "partyId": partyID})
	if resp.StatusCode != 201 {
		s.t.Fatalf("join: %d %s", resp.StatusCode, b)
	}
	var out struct{ ParticipantID, Token string }
	_ = json.Unmarshal(b, &out)
	return out.ParticipantID, out.Token
}

// counter is the value of one of the server's counters.
func counter(t *testing.T, s *testServer, name string) float64 {
	t.Helper()
	mfs, err := s.main.Metrics.Registry().Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() == name {
			var sum float64
			for _, m := range mf.GetMetric() {
				sum += m.GetCounter().GetValue()
			}
			return sum
		}
	}
	return 0
}
