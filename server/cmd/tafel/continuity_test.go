package main

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"github.com/tafel-met/tafel/server/meeting"
	"github.com/tafel-met/tafel/server/realtime/wsclient"
	"github.com/tafel-met/tafel/server/store"
)

// TestCoordinatorContinuity checks what already holds for coordinator
// continuity: two tabs of one coordinator end with the same plan field by
// field; a second coordinator of the organisation can take over a live meeting
// and close it, and the audit log names who sent each command; a participant
// can never run the meeting. TestHandover covers the take-over itself.
func TestCoordinatorContinuity(t *testing.T) {
	srv := startServer(t, store.SQLite)
	first := srv.coordinator("Gemeente Voorbeeld")
	second := srv.coordinator("Gemeente Voorbeeld")
	m := first.meeting("Gezin K.", "Moeder:family", "Gebiedsteam:professional")
	party := map[string]string{}
	for _, p := range first.snapshot(m.ID).Parties {
		party[p.Name] = p.ID
	}
	tabA := first.connect(m.ID, "")
	tabB := first.connect(m.ID, "")
	sanne := srv.join(m.JoinCode, "Sanne", party["Moeder"])
	must(t, tabA, "participant.admit", map[string]string{"participantId": sanne.ID})
	must(t, tabB, "phase.set", map[string]string{"phase": "worries"})
	must(t, sanne.WS, "worry.add", map[string]string{"text": "Te weinig geld voor eten"})
	must(t, tabA, "reveal", map[string]string{})
	must(t, tabB, "phase.set", map[string]string{"phase": "cluster"})
	must(t, tabA, "phase.set", map[string]string{"phase": "rank"})
	worry := first.snapshot(m.ID).Items[0].ID
	must(t, sanne.WS, "ranking.set", map[string]any{"worryIds": []string{worry}})
	must(t, tabA, "ranking.close", map[string]any{})
	must(t, tabA, "phase.set", map[string]string{"phase": "agree"})
	must(t, tabB, "agree.confirm", map[string]any{"worryIds": []string{worry}})
	must(t, tabA, "phase.set", map[string]string{"phase": "plan"})

	// A participant can never run the meeting.
	for _, name := range []string{"phase.set", "plan.goal.set", "plan.details.set", "meeting.close", "participant.remove"} {
		refused(t, sanne.WS, name, map[string]any{}, meeting.ECodeForbidden)
	}

	// Two tabs edit the plan in turn; each ends with the plan the server holds.
	must(t, tabA, "plan.goal.set", map[string]any{"worryId": worry, "goal": "Elke dag eten in huis", "scoreNow": 3})
	must(t, tabB, "plan.action.add", map[string]any{"worryId": worry, "what": "Afspraak bij de schuldhulp", "ownerPartyId": party["Gebiedsteam"], "due": "2027-01-15"})
	last := must(t, tabA, "plan.goal.set", map[string]any{"worryId": worry, "goal": "Elke dag genoeg eten in huis", "scoreNow": 4})
	want := first.snapshot(m.ID).Plan
	for name, tab := range map[string]*wsclient.Client{"A": tabA, "B": tabB} {
		if err := tab.WaitSeq(last, 5*time.Second); err != nil {
			t.Fatalf("tab %s: %v", name, err)
		}
	}
	for name, events := range map[string][]json.RawMessage{"A": planEvents(tabA.Events()), "B": planEvents(tabB.Events())} {
		if len(events) == 0 {
			t.Fatalf("tab %s received no plan", name)
		}
		var got struct{ Plan meeting.Plan }
		if err := json.Unmarshal(events[len(events)-1], &got); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got.Plan, want) {
			t.Fatalf("tab %s has plan %+v, the server %+v", name, got.Plan, want)
		}
	}

	// The first coordinator leaves; a colleague of the organisation takes the
	// meeting over (explicitly: until then it is not theirs to run), carries on and closes.
	var me1, me2 struct{ ID string }
	first.call("GET", "/api/auth/me", nil, &me1, 200)
	second.call("GET", "/api/auth/me", nil, &me2, 200)
	tabA.Close()
	tabB.Close()
	other := second.connect(m.ID, "")
	refused(t, other, "plan.details.set", map[string]string{"regisseurPartyId": party["Gebiedsteam"]}, meeting.ECodeForbidden)
	must(t, other, "meeting.takeover", map[string]string{"fromUserId": me1.ID})
	must(t, other, "plan.details.set", map[string]string{"regisseurPartyId": party["Gebiedsteam"], "regisseurRole": "Wijkcoach", "nextEvaluation": "2027-03-04"})
	must(t, other, "meeting.close", map[string]any{})
	if v := first.snapshot(m.ID); v.Phase != meeting.PhaseClosed {
		t.Fatalf("phase %s after the colleague closed it", v.Phase)
	}

	// The audit log names each coordinator for the commands they sent.
	var list []struct{ ID, FamilyID string }
	first.call("GET", "/api/meetings", nil, &list, 200)
	family := ""
	for _, x := range list {
		if x.ID == m.ID {
			family = x.FamilyID
		}
	}
	var audit []struct{ ActorID, Action, Detail string }
	first.call("GET", "/api/families/"+family+"/audit", nil, &audit, 200)
	by := map[string]map[string]bool{}
	for _, a := range audit {
		if by[a.ActorID] == nil {
			by[a.ActorID] = map[string]bool{}
		}
		by[a.ActorID][a.Action+" "+a.Detail] = true
	}
	if !by[me2.ID]["update meeting.close"] || by[me1.ID]["update meeting.close"] {
		t.Fatalf("meeting.close is not recorded as the colleague's: %v", by)
	}
	if !by[me1.ID]["update agree.confirm"] || by[me2.ID]["update agree.confirm"] {
		t.Fatalf("agree.confirm is not recorded as the first coordinator's: %v", by)
	}
}

func planEvents(frames []wsclient.Frame) []json.RawMessage {
	var out []json.RawMessage
	for _, f := range frames {
		if f.Name == meeting.EvPlanUpdated {
			out = append(out, f.Data)
		}
	}
	return out
}
