package main

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/tafel-met/tafel/server/meeting"
	"github.com/tafel-met/tafel/server/store"
	"github.com/tafel-met/tafel/server/store/storetest"
)

// TestSnapshotSince: two instances on one Postgres, Redis cut. The meeting
// moves on on A; B hears of it only from the database, a while later. A REST
// snapshot asked of B with ?since= the seq the client saw on A is never older
// than that, for a phone and for a coordinator; a since that is not a seq is
// refused and the route keeps working.
func TestSnapshotSince(t *testing.T) {
	rd := startRedis(t)
	db := storetest.URL(t, store.Postgres)
	a := startServerWith(t, db, rd.url())
	b := startServerWith(t, db, rd.url())
	coord := a.coordinator("Gemeente Sinds")
	m := coord.meeting("Gezin S.", "Moeder:family", "Wijkteam:professional")
	parties := coord.partyIDs(m.ID)
	cws := coord.connect(m.ID, "")
	sanne := b.join(m.JoinCode, "Sanne", parties["Moeder"]) // her socket keeps the meeting live on B
	admitted := must(t, cws, "participant.admit", map[string]string{"participantId": sanne.ID})
	if err := sanne.WS.WaitSeq(admitted, faultTimeout); err != nil {
		t.Fatal(err)
	}
	rd.stop()

	snapshotOnB := func(t *testing.T, cookie, query string) (int, []byte) {
		t.Helper()
		resp, body := b.request("GET", "/api/meetings/"+m.ID+"/snapshot"+query, cookie, nil)
		return resp.StatusCode, body
	}
	view := func(t *testing.T, cookie, query string) meeting.View {
		t.Helper()
		status, body := snapshotOnB(t, cookie, query)
		if status != 200 {
			t.Fatalf("snapshot%s on B: %d %s", query, status, body)
		}
		var v meeting.View
		if err := json.Unmarshal(body, &v); err != nil {
			t.Fatal(err)
		}
		return v
	}
	// Each round changes the meeting on A and asks B at once, before B's
	// database check (every 2 s) can have caught it up.
	for i, cmd := range []string{"meeting.lock", "meeting.unlock", "meeting.lock"} {
		n := must(t, cws, cmd, map[string]string{})
		for who, cookie := range map[string]string{"phone": "Bearer " + sanne.Token, "coordinator": coord.cookie} {
			if v := view(t, cookie, fmt.Sprintf("?since=%d", n)); v.Seq < n || v.Locked != (cmd == "meeting.lock") {
				t.Fatalf("round %d, %s: snapshot on B with since=%d is at seq %d (locked %v): older than what the client saw", i, who, n, v.Seq, v.Locked)
			}
		}
	}
	last := coord.snapshot(m.ID).Seq
	// A client ahead of the database (restored from a backup) gets what it holds.
	if v := view(t, coord.cookie, fmt.Sprintf("?since=%d", last+100)); v.Seq != last {
		t.Fatalf("since past the database: seq %d, want the database's %d", v.Seq, last)
	}

	t.Run("ErrBadSince", func(t *testing.T) {
		for _, q := range []string{"?since=abc", "?since=-1", "?since=1.5", "?since=%2B3", "?since=99999999999999999999", "?since=0x10"} {
			status, body := snapshotOnB(t, "Bearer "+sanne.Token, q)
			var e struct{ Code, Reason string }
			_ = json.Unmarshal(body, &e)
			if status != 400 || e.Code != meeting.ECodeInvalidInput || e.Reason != "bad_since" {
				t.Fatalf("snapshot%s: %d %s, want 400 invalid_input / bad_since", q, status, body)
			}
		}
		if v := view(t, "Bearer "+sanne.Token, ""); v.Seq == 0 || v.ID != m.ID {
			t.Fatalf("snapshot without since after the refusals: %+v", v.Header)
		}
		if v := coord.snapshot(m.ID); v.Seq != last {
			t.Fatalf("the refusals changed the meeting: seq %d, want %d", v.Seq, last)
		}
	})
}
