package main

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/tafel-met/tafel/server/meeting"
	"github.com/tafel-met/tafel/server/realtime/wsclient"
	"github.com/tafel-met/tafel/server/store"
	"github.com/tafel-met/tafel/server/store/storetest"
)

// TestRedisCut cuts Redis between two instances on one Postgres in the middle
// of a meeting. The meeting goes on on both (every command is acknowledged),
// each instance's sockets catch up with the other's changes from the database
// while Redis is gone and after it is back, a phone that moves to the
// instance that is behind never gets state older than what it saw, and at the
// end every socket equals a fresh snapshot for its viewer.
func TestRedisCut(t *testing.T) {
	rd := startRedis(t)
	db := storetest.URL(t, store.Postgres)
	a := startServerWith(t, db, rd.url())
	b := startServerWith(t, db, rd.url())
	coord := a.coordinator("Gemeente Knip")
	m := coord.meeting("Gezin K.", "Moeder:family", "Buurvrouw:family", "Wijkteam:professional")
	parties := coord.partyIDs(m.ID)
	cws := coord.connect(m.ID, "")
	sanne := b.join(m.JoinCode, "Sanne", parties["Moeder"]) // served by B
	anouk := a.join(m.JoinCode, "Anouk", parties["Buurvrouw"])
	must(t, cws, "participant.admit", map[string]string{"participantId": sanne.ID})
	must(t, cws, "participant.admit", map[string]string{"participantId": anouk.ID})
	phase := must(t, cws, "phase.set", map[string]string{"phase": "worries"})
	for _, ws := range []*wsclient.Client{sanne.WS, anouk.WS} {
		if err := ws.WaitSeq(phase, faultTimeout); err != nil {
			t.Fatalf("before the cut: %v", err)
		}
	}
	clients := map[string]*soakClient{
		"coordinator on A": {ws: cws},
		"Sanne on B":       {ws: sanne.WS, token: sanne.Token, id: sanne.ID},
		"Anouk on A":       {ws: anouk.WS, token: anouk.Token, id: anouk.ID},
	}
	rd.stop()

	// Both instances keep answering every command while Redis is gone.
	acks, sent := 0, 0
	for i := range 10 {
		sent += 2
		must(t, sanne.WS, "worry.add", map[string]string{"text": fmt.Sprintf("Zorg van Sanne %d", i)})
		acks++
		must(t, anouk.WS, "worry.add", map[string]string{"text": fmt.Sprintf("Zorg van Anouk %d", i)})
		acks++
	}
	if acks != sent {
		t.Fatalf("%d of %d commands acknowledged while Redis was down", acks, sent)
	}
	revealed := must(t, cws, "reveal", map[string]string{"kind": "worry"})
	sent++
	acks++
	// Sanne on B sees the reveal the coordinator made on A: B learns it from
	// the database (its seq check), as Redis is down.
	if err := sanne.WS.WaitSeq(revealed, faultTimeout); err != nil {
		t.Fatalf("B never caught up with A while Redis was down: %v", err)
	}
	if !sanne.WS.Saw("Zorg van Anouk 9") {
		t.Fatal("Sanne on B got the reveal's seq but not Anouk's revealed worry")
	}
	// And A, which made the reveal, had B's drafts: the table on A shows Sanne's worries.
	if !cws.Saw("Zorg van Sanne 9") || !anouk.WS.Saw("Zorg van Sanne 9") {
		t.Fatal("the reveal on A did not bring the worries Sanne wrote on B while Redis was down")
	}

	t.Run("HelloNeverOlderThanLastSeq", func(t *testing.T) {
		// Anouk saw everything up to seq n on A; her phone moves to B with
		// lastSeq n while Redis is still down, so B's meeting may be behind.
		must(t, anouk.WS, "worry.add", map[string]string{"text": "Laatste zorg op A"})
		n := must(t, cws, "meeting.lock", map[string]string{})
		sent, acks = sent+2, acks+2
		if err := anouk.WS.WaitSeq(n, faultTimeout); err != nil {
			t.Fatal(err)
		}
		old := clients["Anouk on A"]
		if err := old.catchUp(); err != nil {
			t.Fatal(err)
		}
		if old.picture.Seq != n {
			t.Fatalf("Anouk's picture is at seq %d, want %d", old.picture.Seq, n)
		}
		anouk.WS.Close()
		ws := b.connectPhone(m.ID, anouk.Token, n)
		anouk.WS = ws
		delete(clients, "Anouk on A")
		clients["Anouk on B"] = &soakClient{ws: ws, token: anouk.Token, id: anouk.ID, picture: old.picture}
		welcome, err := ws.WaitFor(func(f wsclient.Frame) bool { return f.Type == "welcome" || f.Type == "error" }, faultTimeout)
		if err != nil || welcome.Type != "welcome" {
			t.Fatalf("hello on B: %s %v", welcome.Raw, err)
		}
		if welcome.Seq < n {
			t.Fatalf("hello with lastSeq %d on B was welcomed at seq %d: older than what the phone saw", n, welcome.Seq)
		}
		if welcome.Seq > n {
			if err := ws.WaitSeq(welcome.Seq, faultTimeout); err != nil {
				t.Fatal(err)
			}
		}
		for _, f := range ws.Frames() {
			if (f.Type == "snapshot" || f.Type == "event") && f.Seq < n {
				t.Fatalf("hello with lastSeq %d on B answered a %s at seq %d: older than what the phone saw", n, f.Type, f.Seq)
			}
		}
	})

	// Redis comes back; the meeting goes on across instances.
	rd.restart()
	must(t, cws, "meeting.unlock", map[string]string{})
	last := must(t, sanne.WS, "worry.add", map[string]string{"text": "Na de storing"})
	sent, acks = sent+2, acks+2
	if acks != sent {
		t.Fatalf("%d of %d commands acknowledged", acks, sent)
	}
	final := must(t, cws, "phase.set", map[string]string{"phase": "cluster"})
	if final < last {
		t.Fatalf("seq went back: %d after %d", final, last)
	}
	for name, c := range clients {
		if err := c.ws.WaitSeq(final, faultTimeout); err != nil {
			t.Fatalf("%s never got seq %d: %v", name, final, err)
		}
		if err := c.catchUp(); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		var fresh meeting.View
		if c.token == "" {
			fresh = coord.snapshot(m.ID)
		} else {
			fresh = b.participantSnapshot(m.ID, c.token)
		}
		want, got := pictureOf(fresh), c.picture
		if got.Seq != want.Seq || got.Phase != want.Phase || got.Locked != want.Locked ||
			!sameMap(got.Participants, want.Participants) || !sameMap(got.Items, want.Items) {
			gj, _ := json.Marshal(got)
			wj, _ := json.Marshal(want)
			t.Fatalf("%s differs from a fresh snapshot:\n got %s\nwant %s", name, gj, wj)
		}
	}
	// Every command is stored exactly once: the log holds each worry text once.
	log, err := a.main.Store.EventsSince(t.Context(), m.ID, 0, 1<<40)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 10 {
		for _, who := range []string{"Sanne", "Anouk"} {
			if n := countText(log, fmt.Sprintf("Zorg van %s %d\"", who, i)); n != 1 {
				t.Fatalf("worry %d of %s stored %d times, want once", i, who, n)
			}
		}
	}
}

// countText counts the item.upserted events whose data contains s.
func countText(log []meeting.Event, s string) int {
	n := 0
	for _, ev := range log {
		if ev.Name == meeting.EvItemUpserted && json.Valid(ev.Data) && strings.Contains(string(ev.Data), s) {
			n++
		}
	}
	return n
}
