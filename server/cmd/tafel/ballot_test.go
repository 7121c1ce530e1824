package main

import (
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/tafel-met/tafel/server/meeting"
	"github.com/tafel-met/tafel/server/realtime/wsclient"
	"github.com/tafel-met/tafel/server/store/storetest"
)

// TestSecretBallotsOverSockets ranks three ballots in every order over real
// websockets and checks what each socket received: no socket but the voter's
// gets a ballot, no result moves while the round is open (so the difference of
// two results is never a ballot), and the one result at the close holds no
// single voter's ballot.
func TestSecretBallotsOverSockets(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			srv := startServer(t, d)
			coord := srv.coordinator("Gemeente Voorbeeld")
			for i, order := range [][]int{{0, 1, 2}, {0, 2, 1}, {1, 0, 2}, {1, 2, 0}, {2, 0, 1}, {2, 1, 0}} {
				t.Run(fmt.Sprint(order), func(t *testing.T) { secretBallots(t, srv, coord, i, order) })
			}
		})
	}
}

func secretBallots(t *testing.T, srv *testServer, coord *coordinator, n int, order []int) {
	m := coord.meeting(fmt.Sprintf("Gezin S%d.", n), "Moeder:family", "Vader:family", "Veilig Thuis:professional")
	party := coord.partyIDs(m.ID)
	cws := coord.connect(m.ID, "")
	screen := coord.connect(m.ID, "screen")
	var phones []*phone
	for _, p := range []struct{ name, party string }{{"Sanne", "Moeder"}, {"Henk", "Vader"}, {"Anouk", "Veilig Thuis"}} {
		ph := srv.join(m.JoinCode, p.name, party[p.party])
		must(t, cws, "participant.admit", map[string]string{"participantId": ph.ID})
		phones = append(phones, ph)
	}
	must(t, cws, "phase.set", map[string]string{"phase": "worries"})
	var w []string
	for i, ph := range phones {
		w = append(w, fmt.Sprintf("w%d", must(t, ph.WS, "worry.add", map[string]string{"text": fmt.Sprintf("Zorg %d", i+1)})))
	}
	must(t, cws, "reveal", map[string]string{"kind": "worry"})
	must(t, cws, "phase.set", map[string]string{"phase": "cluster"})
	must(t, cws, "phase.set", map[string]string{"phase": "rank"})
	ballots := [][]string{{w[0], w[1], w[2]}, {w[1], w[0]}, {w[2], w[0]}}
	sockets := map[string]*wsclient.Client{"coordinator": cws, "screen": screen}
	for i, ph := range phones {
		sockets[ph.ID] = phones[i].WS
	}
	var last int64
	for _, i := range order {
		last = must(t, phones[i].WS, "ranking.set", map[string]any{"worryIds": ballots[i]})
		for name, ws := range sockets {
			if err := ws.WaitSeq(last, 5*time.Second); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
		}
	}
	last = must(t, cws, "ranking.close", map[string]any{})
	for name, ws := range sockets {
		if err := ws.WaitSeq(last, 5*time.Second); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
	// Sockets that come later: a snapshot and a resume from before the ballots.
	sockets["new screen"] = coord.connect(m.ID, "screen")
	sockets["resumed coordinator"] = coord.resume(m.ID, "", last-7)
	for name, ws := range sockets {
		if err := ws.WaitSeq(last, 5*time.Second); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
	voter := map[string]int{}
	for i, ph := range phones {
		voter[ph.ID] = i
	}
	for name, ws := range sockets {
		own, isVoter := voter[name]
		prev := map[string]float64{}
		closed := 0
		for _, r := range rankingResults(t, ws) {
			cur := map[string]float64{}
			for _, rw := range r.Worries {
				if rw.Points != 0 {
					cur[rw.WorryID] = rw.Points
				}
				if len(rw.ByParty) != 0 {
					t.Fatalf("%s got points per party: %+v", name, rw)
				}
			}
			if !r.Closed && len(cur) != 0 {
				t.Fatalf("%s got points while the round was open: %+v", name, r)
			}
			diff := map[string]float64{}
			for k, v := range cur {
				if v != prev[k] {
					diff[k] = v - prev[k]
				}
			}
			for i, b := range ballots {
				if isVoter && i == own || len(diff) == 0 {
					continue
				}
				ballot := map[string]float64{}
				for place, id := range b {
					ballot[id] = float64(3 - place)
				}
				if reflect.DeepEqual(diff, ballot) {
					t.Fatalf("%s can compute %s's ballot as the difference of two results", name, phones[i].ID)
				}
			}
			if r.Closed {
				closed++
				// Every party has one voter: no party top 3, no professionals' top 3.
				if len(r.PartyTop3) != 0 || len(r.ProfessionalTop3) != 0 || len(r.PersonTop3) != 0 || r.Voters != 3 {
					t.Fatalf("%s's result holds a single voter's ballot: %+v", name, r)
				}
				// Sanne 3/2/1, Henk w2 3 w1 2, Anouk w3 3 w1 2: w1 7, w2 5, w3 4.
				if !slices.Equal(r.Top3, []string{w[0], w[1], w[2]}) {
					t.Fatalf("%s's top 3 %v", name, r.Top3)
				}
			}
			prev = cur
		}
		if closed == 0 {
			t.Fatalf("%s never got the result", name)
		}
		for _, f := range ws.Events() {
			var d struct{ ParticipantID string }
			if f.Name == meeting.EvRankingMine && (json.Unmarshal(f.Data, &d) != nil || d.ParticipantID != name) {
				t.Fatalf("%s received the ballot of %s", name, d.ParticipantID)
			}
		}
	}
}

// rankingResults is every ranking result a socket received, from events and snapshots, in order.
func rankingResults(t *testing.T, ws *wsclient.Client) []meeting.RankingResult {
	t.Helper()
	var out []meeting.RankingResult
	for _, f := range ws.Frames() {
		var r meeting.RankingResult
		switch {
		case f.Type == "event" && (f.Name == meeting.EvRankingProgress || f.Name == meeting.EvRankingResult):
			var d struct{ Result meeting.RankingResult }
			if err := json.Unmarshal(f.Data, &d); err != nil {
				t.Fatal(err)
			}
			r = d.Result
		case f.Type == "snapshot":
			var v meeting.View
			if err := json.Unmarshal(f.Meeting, &v); err != nil {
				t.Fatal(err)
			}
			r = v.Ranking
		default:
			continue
		}
		out = append(out, r)
	}
	return out
}
