package main

import (
	"context"
	"testing"
	"time"

	"github.com/tafel-met/tafel/server/meeting"
	"github.com/tafel-met/tafel/server/store"
)

// TestDemo plays the demo as a newcomer would: the simulated phones join, and as
// the coordinator moves the meeting on they add strengths and worries, rank, and
// the family says akkoord.
func TestDemo(t *testing.T) {
	srv := startServer(t, store.SQLite)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	meetingID, code, err := seedDemo(ctx, srv.main, "http://"+srv.addr)
	if err != nil || len(code) != store.JoinCodeLength {
		t.Fatalf("seed: %q %v", code, err)
	}
	startDemoPhones(ctx, srv.main, meetingID, 10*time.Millisecond)

	resp, body := srv.request("POST", "/api/auth/login", "", map[string]string{"email": demoEmail, "password": demoPassword})
	if resp.StatusCode != 200 {
		t.Fatalf("demo sign-in: %d %s", resp.StatusCode, body)
	}
	coord := &coordinator{s: srv, cookie: resp.Cookies()[0].Name + "=" + resp.Cookies()[0].Value}
	cws := coord.connect(meetingID, "")
	until := func(what string, ok func(meeting.View) bool, act func()) meeting.View {
		t.Helper()
		deadline := time.Now().Add(20 * time.Second)
		for time.Now().Before(deadline) {
			if act != nil {
				act()
			}
			if v := coord.snapshot(meetingID); ok(v) {
				return v
			}
			time.Sleep(50 * time.Millisecond)
		}
		t.Fatalf("demo: %s did not happen", what)
		return meeting.View{}
	}
	v := until("five phones joining", func(v meeting.View) bool { return len(v.Participants) == len(demoPeople) }, nil)
	for _, p := range v.Participants {
		must(t, cws, "participant.admit", map[string]string{"participantId": p.ID})
	}
	count := func(v meeting.View, kind meeting.ItemKind) int {
		n := 0
		for _, it := range v.Items {
			if it.Kind == kind && it.Revealed {
				n++
			}
		}
		return n
	}
	reveal := func(kind string) func() {
		return func() { _, _ = cws.Do("reveal", map[string]string{"kind": kind}) }
	}
	must(t, cws, "phase.set", map[string]string{"phase": "strengths"})
	until("a strength from every phone", func(v meeting.View) bool { return count(v, meeting.KindStrength) == len(demoPeople) }, reveal("strength"))
	must(t, cws, "phase.set", map[string]string{"phase": "worries"})
	worries := 0
	for _, p := range demoPeople {
		worries += len(p.worries)
	}
	v = until("every demo worry", func(v meeting.View) bool { return count(v, meeting.KindWorry) == worries }, reveal("worry"))
	must(t, cws, "phase.set", map[string]string{"phase": "cluster"})
	must(t, cws, "phase.set", map[string]string{"phase": "rank"})
	v = until("everyone ranking", func(v meeting.View) bool { return len(v.Ranking.RankedBy) == len(demoPeople) }, nil)
	// Moving on to agree closes the ranking round: only then is there a result.
	must(t, cws, "phase.set", map[string]string{"phase": "agree"})
	v = until("the ranking result", func(v meeting.View) bool { return v.Ranking.Closed }, nil)
	must(t, cws, "agree.confirm", map[string]any{"worryIds": v.Ranking.Top3})
	until("the family's akkoord", func(v meeting.View) bool { return len(v.Agreement.Akkoord) == 2 }, nil)
}
