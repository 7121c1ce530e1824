package main

import (
	"testing"
	"time"

	"github.com/tafel-met/tafel/server/meeting"
	"github.com/tafel-met/tafel/server/realtime"
	"github.com/tafel-met/tafel/server/store"
)

// TestRepeatsAndLobbyOverSockets: a repeated identical action is acknowledged
// with no error and no event; the coordinator clears a flooded lobby in one
// command and the flooders' sockets are closed; a dissent is sent as the one
// entry that changed.
func TestRepeatsAndLobbyOverSockets(t *testing.T) {
	srv := startServer(t, store.SQLite)
	coord := srv.coordinator("Gemeente Voorbeeld")
	m := coord.meeting("Gezin H.", "Moeder:family", "Veilig Thuis:professional")
	party := coord.partyIDs(m.ID)
	cws := coord.connect(m.ID, "")
	sanne := srv.join(m.JoinCode, "Sanne", party["Moeder"])
	first := must(t, cws, "participant.admit", map[string]string{"participantId": sanne.ID})
	// The same admit again, as a double tap with a new command id: ack, same seq, no event.
	if again := must(t, cws, "participant.admit", map[string]string{"participantId": sanne.ID}); again != first {
		t.Fatalf("a repeated admit moved the meeting to seq %d from %d", again, first)
	}
	must(t, cws, "meeting.lock", map[string]any{})
	must(t, cws, "meeting.lock", map[string]any{})
	must(t, cws, "meeting.unlock", map[string]any{})

	// A flood of joins from one address, cleared in one command.
	var flood []*phone
	for i := 0; i < 5; i++ {
		flood = append(flood, srv.join(m.JoinCode, "Spam", party["Moeder"]))
	}
	cleared := must(t, cws, "lobby.dismissAll", map[string]any{})
	for _, p := range flood {
		if code, err := p.WS.WaitClosed(5 * time.Second); err != nil || code != realtime.CloseRemoved {
			t.Fatalf("a dismissed joiner's socket: code %d, %v", code, err)
		}
	}
	for _, p := range coord.snapshot(m.ID).Participants {
		if p.ID != sanne.ID && p.Status != meeting.StatusRemoved {
			t.Fatalf("%s is %s after clearing the lobby", p.ID, p.Status)
		}
	}
	if err := sanne.WS.WaitSeq(cleared, 5*time.Second); err != nil {
		t.Fatal(err)
	}
	if sanne.WS.Closed() {
		t.Fatal("clearing the lobby closed a seated person's socket")
	}

	// Agree: akkoord twice is one akkoord; a dissent is its own small event.
	must(t, cws, "phase.set", map[string]string{"phase": "worries"})
	must(t, sanne.WS, "worry.add", map[string]string{"text": "Te weinig geld"})
	must(t, cws, "reveal", map[string]string{})
	must(t, cws, "phase.set", map[string]string{"phase": "cluster"})
	must(t, cws, "phase.set", map[string]string{"phase": "rank"})
	v := coord.snapshot(m.ID)
	must(t, sanne.WS, "ranking.set", map[string]any{"worryIds": []string{v.Items[0].ID}})
	must(t, cws, "phase.set", map[string]string{"phase": "agree"})
	must(t, cws, "agree.confirm", map[string]any{"worryIds": []string{v.Items[0].ID}})
	a := must(t, sanne.WS, "agree.akkoord", map[string]any{})
	if b := must(t, sanne.WS, "agree.akkoord", map[string]any{}); b != a {
		t.Fatalf("a second akkoord moved the meeting")
	}
	must(t, sanne.WS, "agree.dissent", map[string]string{"text": "Eerste versie"})
	last := must(t, sanne.WS, "agree.dissent", map[string]string{"text": "Tweede versie"})
	if err := cws.WaitSeq(last, 5*time.Second); err != nil {
		t.Fatal(err)
	}
	for _, f := range cws.Events() {
		if f.Seq == last && (f.Name != meeting.EvDissentUpserted || len(f.Data) > 200) {
			t.Fatalf("the dissent was sent as %s (%d bytes)", f.Name, len(f.Data))
		}
	}
	if got := coord.snapshot(m.ID).Agreement; len(got.Akkoord) != 1 || len(got.Dissent) != 1 || got.Dissent[0].Text != "Tweede versie" {
		t.Fatalf("agreement %+v", got)
	}
}
