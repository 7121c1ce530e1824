package main

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/tafel-met/tafel/server/meeting"
	"github.com/tafel-met/tafel/server/realtime/wsclient"
	"github.com/tafel-met/tafel/server/store/storetest"
)

// TestSpeakingRoundOverSockets: the round's order, turn, passes and deadline are
// server state with a seq, the same on the coordinator's console, the screen and
// every phone; the phone of the party at turn can pass, another phone cannot.
func TestSpeakingRoundOverSockets(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			srv := startServer(t, d)
			coord := srv.coordinator("Gemeente Voorbeeld")
			m := coord.meeting("Gezin R.", "Moeder:family", "Vader:family", "Veilig Thuis:professional")
			party := coord.partyIDs(m.ID)
			cws := coord.connect(m.ID, "")
			screen := coord.connect(m.ID, "screen")
			mother := srv.join(m.JoinCode, "Sanne", party["Moeder"])
			pro := srv.join(m.JoinCode, "Anouk", party["Veilig Thuis"])
			for _, p := range []*phone{mother, pro} {
				must(t, cws, "participant.admit", map[string]string{"participantId": p.ID})
			}
			must(t, cws, "phase.set", map[string]string{"phase": "worries"})
			must(t, cws, "round.start", map[string]any{"turnSeconds": 90})
			refused(t, pro.WS, "round.pass", map[string]any{}, meeting.ECodeForbidden)
			must(t, mother.WS, "round.pass", map[string]any{"turn": 0})
			last := must(t, cws, "round.next", map[string]any{"turn": 1})
			sockets := map[string]*wsclient.Client{"coordinator": cws, "screen": screen, "mother": mother.WS, "professional": pro.WS,
				"new phone": srv.connectPhone(m.ID, pro.Token, 0)}
			var want string
			for name, ws := range sockets {
				if err := ws.WaitSeq(last, 5*time.Second); err != nil {
					t.Fatalf("%s: %v", name, err)
				}
				got := lastRound(t, ws)
				if got.AtTurn() != party["Veilig Thuis"] || len(got.Passed) != 1 || got.Passed[0] != party["Moeder"] || got.Deadline == nil {
					t.Fatalf("%s sees round %+v, want Veilig Thuis at turn after the mother passed, with a deadline", name, got)
				}
				b, _ := json.Marshal(got)
				if want == "" {
					want = string(b)
				} else if string(b) != want {
					t.Fatalf("%s sees %s, another surface %s", name, b, want)
				}
			}
		})
	}
}

// lastRound is the newest speaking round a socket was sent, by event or snapshot.
func lastRound(t *testing.T, ws *wsclient.Client) meeting.Round {
	t.Helper()
	var r meeting.Round
	for _, f := range ws.Frames() {
		switch {
		case f.Type == "event" && f.Name == meeting.EvRoundUpdated:
			var d struct{ Round meeting.Round }
			if err := json.Unmarshal(f.Data, &d); err != nil {
				t.Fatal(err)
			}
			r = d.Round
		case f.Type == "snapshot":
			var v meeting.View
			if err := json.Unmarshal(f.Meeting, &v); err != nil {
				t.Fatal(err)
			}
			r = v.Round
		}
	}
	return r
}
