package main

import (
	"fmt"
	"testing"
	"time"

	"github.com/tafel-met/tafel/server/meeting"
	"github.com/tafel-met/tafel/server/realtime"
	"github.com/tafel-met/tafel/server/realtime/wsclient"
	"github.com/tafel-met/tafel/server/store"
	"github.com/tafel-met/tafel/server/store/storetest"
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

// TestSilentAckSeq: a phone repeats an action after another phone's draft, an
// event it never sees. The silent ack (and the duplicate ack of the same
// command id resent after a reconnect) names a seq this phone has received,
// never the draft's: a client waiting for the ack's seq would wait for ever.
func TestSilentAckSeq(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			srv := startServer(t, d)
			coord := srv.coordinator("Gemeente Voorbeeld")
			m := coord.meeting("Gezin S.", "Moeder:family", "Vader:family")
			party := coord.partyIDs(m.ID)
			cws := coord.connect(m.ID, "")
			sanne := srv.join(m.JoinCode, "Sanne", party["Moeder"])
			henk := srv.join(m.JoinCode, "Henk", party["Vader"])
			must(t, cws, "participant.admit", map[string]string{"participantId": sanne.ID})
			must(t, cws, "participant.admit", map[string]string{"participantId": henk.ID})
			must(t, cws, "phase.set", map[string]string{"phase": "worries"})
			own := must(t, sanne.WS, "worry.add", map[string]string{"text": "Te weinig geld"})
			draft := must(t, henk.WS, "worry.add", map[string]string{"text": "Geheim van Henk"})
			if err := cws.WaitSeq(draft-1, 5*time.Second); err != nil { // the drafts count before Henk's draft
				t.Fatal(err)
			}
			received := func(ws *wsclient.Client, seq int64) bool {
				for _, f := range ws.Frames() {
					if (f.Type == "event" || f.Type == "snapshot") && f.Seq == seq {
						return true
					}
				}
				return false
			}
			if received(sanne.WS, draft) || sanne.WS.Saw("Geheim van Henk") {
				t.Fatal("Sanne received Henk's draft: the test needs an event she cannot see")
			}
			edit := map[string]string{"itemId": fmt.Sprintf("w%d", own), "text": "Te weinig geld"}
			id := sanne.WS.NewID()
			if err := sanne.WS.SendCommand(id, "worry.edit", edit); err != nil {
				t.Fatal(err)
			}
			ack, err := sanne.WS.Answer(id, 5*time.Second)
			if err != nil || ack.Type != "ack" || ack.Duplicate {
				t.Fatalf("the repeated edit: %s %v", ack.Raw, err)
			}
			if ack.Seq != seenSeq(sanne.WS) || !received(sanne.WS, ack.Seq) {
				t.Fatalf("silent ack at seq %d; Sanne received up to %d, Henk's draft is %d", ack.Seq, seenSeq(sanne.WS), draft)
			}
			// Her phone drops and resends the same command id: the first answer
			// again, with a seq she has received.
			sanne.WS.Close()
			ws := srv.connectPhone(m.ID, sanne.Token, seenSeq(sanne.WS))
			if err := ws.SendCommand(id, "worry.edit", edit); err != nil {
				t.Fatal(err)
			}
			dup, err := ws.Answer(id, 5*time.Second)
			if err != nil || dup.Type != "ack" || !dup.Duplicate {
				t.Fatalf("the resent edit: %s %v", dup.Raw, err)
			}
			if dup.Seq >= draft || dup.Seq > seenSeq(sanne.WS) {
				t.Fatalf("duplicate ack at seq %d; Sanne received up to %d, Henk's draft is %d", dup.Seq, seenSeq(sanne.WS), draft)
			}
			// A command that makes an event still answers with that event's seq.
			next := must(t, ws, "worry.add", map[string]string{"text": "Geen rust"})
			if err := ws.WaitSeq(next, 5*time.Second); err != nil || !received(ws, next) {
				t.Fatalf("worry.add acked at %d, not received: %v", next, err)
			}
		})
	}
}
