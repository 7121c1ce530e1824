package main

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/tafel-met/tafel/server/meeting"
	"github.com/tafel-met/tafel/server/realtime/wsclient"
)

// table is a meeting in progress for one test case: a coordinator's socket, a
// shared screen and one admitted family member on their phone.
type table struct {
	coord  *coordinator
	m      createdMeeting
	party  map[string]string // party name to id
	cws    *wsclient.Client
	screen *wsclient.Client
	mother *phone
}

// newTable prepares a meeting with a family party "Moeder" and a professional
// "Mentor", connects everyone, admits the mother and moves to phase (lobby or worries).
func (s *testServer) newTable(coord *coordinator, label string, phase meeting.Phase) *table {
	s.t.Helper()
	m := coord.meeting(label, "Moeder:family", "Mentor:professional")
	tab := &table{coord: coord, m: m, party: map[string]string{}}
	for _, p := range coord.snapshot(m.ID).Parties {
		tab.party[p.Name] = p.ID
	}
	tab.cws = coord.connect(m.ID, "")
	tab.screen = coord.connect(m.ID, "screen")
	tab.mother = s.join(m.JoinCode, "Sanne", tab.party["Moeder"])
	must(s.t, tab.cws, "participant.admit", map[string]string{"participantId": tab.mother.ID})
	if phase == meeting.PhaseWorries {
		must(s.t, tab.cws, "phase.set", map[string]string{"phase": "worries"})
	}
	if err := tab.mother.WS.WaitSeq(coord.snapshot(m.ID).Seq, 5*time.Second); err != nil {
		s.t.Fatalf("mother's phone did not catch up: %v", err)
	}
	return tab
}

// tableState is what a coordinator's snapshot says changed: the seq and the
// items and participants. Drafts are not in it, but any change moves the seq.
type tableState struct {
	Seq          int64
	Items        string
	Participants string
}

func (c *coordinator) state(meetingID string) tableState {
	c.s.t.Helper()
	v := c.snapshot(meetingID)
	items, _ := json.Marshal(v.Items)
	parts, _ := json.Marshal(v.Participants)
	return tableState{Seq: v.Seq, Items: string(items), Participants: string(parts)}
}

// unchanged fails the test when the meeting's state is not before.
func (c *coordinator) unchanged(t testing.TB, meetingID string, before tableState) {
	t.Helper()
	if after := c.state(meetingID); after != before {
		t.Fatalf("the meeting changed:\nbefore %+v\nafter  %+v", before, after)
	}
}

// frameAfter waits for the first frame at index from or later that ok accepts.
func frameAfter(t testing.TB, ws *wsclient.Client, from int, ok func(wsclient.Frame) bool) wsclient.Frame {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		frames := ws.Frames()
		for i := from; i < len(frames); i++ {
			if ok(frames[i]) {
				return frames[i]
			}
		}
		if ws.Closed() || time.Now().After(deadline) {
			t.Fatalf("no matching frame after %d (closed %v); frames since: %s", from, ws.Closed(), rawFrames(frames, from))
		}
		time.Sleep(2 * time.Millisecond)
	}
}

// answerAfter waits for the first ack or error at index from or later.
func answerAfter(t testing.TB, ws *wsclient.Client, from int) wsclient.Frame {
	t.Helper()
	return frameAfter(t, ws, from, func(f wsclient.Frame) bool { return f.Type == "ack" || f.Type == "error" })
}

func rawFrames(frames []wsclient.Frame, from int) string {
	out := ""
	for i := from; i < len(frames); i++ {
		out += fmt.Sprintf("\n  %s", frames[i].Raw)
	}
	return out
}

// seenSeq is the highest seq of the events and snapshots a socket received.
func seenSeq(ws *wsclient.Client) int64 {
	var seq int64
	for _, f := range ws.Frames() {
		if (f.Type == "event" || f.Type == "snapshot") && f.Seq > seq {
			seq = f.Seq
		}
	}
	return seq
}

// participantSnapshot is a participant's REST view, with their token.
func (s *testServer) participantSnapshot(meetingID, token string) meeting.View {
	s.t.Helper()
	resp, b := s.request("GET", "/api/meetings/"+meetingID+"/snapshot", "Bearer "+token, nil)
	if resp.StatusCode != 200 {
		s.t.Fatalf("participant snapshot: %d %s", resp.StatusCode, b)
	}
	var v meeting.View
	if err := json.Unmarshal(b, &v); err != nil {
		s.t.Fatal(err)
	}
	return v
}

// restError checks a REST answer is status with error code.
func restError(t testing.TB, what string, status int, body []byte, wantStatus int, wantCode string) {
	t.Helper()
	var e struct{ Code string }
	_ = json.Unmarshal(body, &e)
	if status != wantStatus || e.Code != wantCode {
		t.Fatalf("%s: %d %s, want %d %s", what, status, body, wantStatus, wantCode)
	}
}

// on returns the same server seen from test t, so that helpers fail t (a subtest,
// say) and the sockets they open close when t ends.
func (s *testServer) on(t testing.TB) *testServer {
	return &testServer{t: t, main: s.main, addr: s.addr}
}

// on returns the same coordinator's session seen from test t.
func (c *coordinator) on(t testing.TB) *coordinator {
	return &coordinator{s: c.s.on(t), cookie: c.cookie}
}

// resume opens a coordinator's or screen's socket that says hello with lastSeq and
// waits only for the welcome: what follows is a resume or a snapshot.
func (c *coordinator) resume(meetingID, view string, lastSeq int64) *wsclient.Client {
	c.s.t.Helper()
	ws, err := wsclient.Dial(c.s.addr, meetingID, c.cookie)
	if err != nil {
		c.s.t.Fatal(err)
	}
	c.s.t.Cleanup(func() { ws.Close() })
	if err := ws.Hello("", view, lastSeq); err != nil {
		c.s.t.Fatal(err)
	}
	if _, err := ws.WaitFor(func(f wsclient.Frame) bool { return f.Type == "welcome" }, 5*time.Second); err != nil {
		c.s.t.Fatalf("no welcome: %v", err)
	}
	return ws
}

// snapshots counts the snapshot frames a socket received.
func snapshots(ws *wsclient.Client) int {
	n := 0
	for _, f := range ws.Frames() {
		if f.Type == "snapshot" {
			n++
		}
	}
	return n
}

// firstFrame waits for the first frame of any kind.
func firstFrame(t testing.TB, ws *wsclient.Client) wsclient.Frame {
	t.Helper()
	return frameAfter(t, ws, 0, func(wsclient.Frame) bool { return true })
}
