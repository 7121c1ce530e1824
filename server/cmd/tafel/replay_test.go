package main

import (
	"strconv"
	"testing"

	"golang.org/x/time/rate"

	"github.com/tafel-met/tafel/server/meeting"
	"github.com/tafel-met/tafel/server/store"
)

// TestResumeCountsWhatTheViewerSees: the resume window counts the events the
// viewer may see. A coordinator who missed 420 events of the table, with more
// than 500 events of the meeting in between (a phone's draft edited over and
// over), gets exactly those 420 and no snapshot; one who missed more than 500
// they may see gets a snapshot.
func TestResumeCountsWhatTheViewerSees(t *testing.T) {
	srv := startServer(t, store.SQLite)
	srv.main.Hub.SetCommandRate(rate.Inf, 0)
	coord := srv.coordinator("Gemeente Venster")
	tab := srv.newTable(coord, "Gezin V.", meeting.PhaseWorries)
	draft := must(t, tab.mother.WS, "worry.add", map[string]string{"text": "Concept"})
	coordinator := meeting.Viewer{Role: meeting.RoleCoordinator}
	locked := false
	toggle := func(n int) int64 {
		t.Helper()
		var seq int64
		ids := make([]string, 0, n)
		for range n {
			name := map[bool]string{false: "meeting.lock", true: "meeting.unlock"}[locked]
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
				t.Fatalf("%s: %s %v", id, f.Raw, err)
			}
			seq = f.Seq
		}
		return seq
	}
	edits := func(n int) {
		t.Helper()
		for i := range n {
			must(t, tab.mother.WS, "worry.edit", map[string]string{"itemId": "w" + strconv.FormatInt(draft, 10), "text": "Concept " + strconv.Itoa(i)})
		}
	}
	for _, tc := range []struct {
		name         string
		edits, table int
		snapshot     bool
	}{
		{"EventsWhenFewVisible", 150, 420, false},
		{"SnapshotWhenManyVisible", 0, 520, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// The coordinator's laptop drops; the meeting goes on from another tab.
			away := coord.connect(tab.m.ID, "")
			lastSeen := seenSeq(away)
			away.Close()
			edits(tc.edits / 2)
			toggle(tc.table)
			edits(tc.edits - tc.edits/2)
			last := toggle(1)
			log, err := srv.main.Store.EventsSince(t.Context(), tab.m.ID, lastSeen, last)
			if err != nil {
				t.Fatal(err)
			}
			var want []meeting.Event
			for _, ev := range log {
				if coordinator.CanSee(ev) {
					want = append(want, ev)
				}
			}
			if !tc.snapshot && (len(log) <= 500 || len(want) > 500) {
				t.Fatalf("test setup: %d events missed, %d the coordinator may see; want more than 500 and at most 500", len(log), len(want))
			}
			if tc.snapshot && len(want) <= 500 {
				t.Fatalf("test setup: the coordinator may see %d of the missed events; want more than 500", len(want))
			}
			ws := coord.resume(tab.m.ID, "", lastSeen)
			if err := ws.WaitSeq(last, faultTimeout); err != nil {
				t.Fatal(err)
			}
			if tc.snapshot {
				if n, ev := snapshots(ws), len(ws.Events()); n != 1 || ev != 0 {
					t.Fatalf("resumed with %d snapshots and %d events, want one snapshot", n, ev)
				}
				return
			}
			if n := snapshots(ws); n != 0 {
				t.Fatalf("resumed with %d snapshots, want the %d missed events", n, len(want))
			}
			got := ws.Events()
			if len(got) != len(want) {
				t.Fatalf("resumed with %d events, want %d", len(got), len(want))
			}
			for i, ev := range want {
				if got[i].Seq != ev.Seq || got[i].Name != ev.Name {
					t.Fatalf("event %d: seq %d %s, want seq %d %s", i, got[i].Seq, got[i].Name, ev.Seq, ev.Name)
				}
			}
		})
	}
}
