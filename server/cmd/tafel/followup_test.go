package main

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/tafel-met/tafel/server/meeting"
	"github.com/tafel-met/tafel/server/store"
)

// TestFollowUpMeeting plays a follow-up over the real server and websockets: it
// opens with the last plan, the table reviews the action and rescores the worry,
// carries it over beside a new one, and the new plan's export says what changed.
func TestFollowUpMeeting(t *testing.T) {
	srv := startServer(t, store.SQLite)
	coord := srv.coordinator("Gemeente Voorbeeld")
	first := closeQuickly(t, srv, coord)

	var fu struct {
		ID       string `json:"id"`
		JoinCode string `json:"joinCode"`
		Existing bool   `json:"existing"`
	}
	coord.call("POST", "/api/meetings/"+first.ID+"/follow-up", map[string]string{"date": "2027-03-01"}, &fu, 201)
	// A second click finds the same follow-up instead of making another.
	var again struct {
		ID       string `json:"id"`
		Existing bool   `json:"existing"`
	}
	coord.call("POST", "/api/meetings/"+first.ID+"/follow-up", nil, &again, 200)
	if again.ID != fu.ID || !again.Existing {
		t.Fatalf("second follow-up request = %+v, want the first one again", again)
	}

	v := coord.snapshot(fu.ID)
	if v.Previous == nil || len(v.Previous.Worries) != 1 || v.Previous.Worries[0].Text != "Te weinig geld" ||
		len(v.Previous.Version.Plan.Actions) != 1 || v.Previous.Version.Plan.Actions[0].ID != first.ActionID {
		t.Fatalf("follow-up does not open with the last plan: %+v", v.Previous)
	}
	party := map[string]string{}
	for _, p := range v.Parties {
		party[p.Name] = p.ID // the follow-up has the same parties, under its own ids
	}
	if len(party) != 2 || party["Moeder"] == "" || party["Wijkteam"] == "" {
		t.Fatalf("follow-up parties = %+v", v.Parties)
	}
	cws := coord.connect(fu.ID, "")
	ph := srv.join(fu.JoinCode, "Sanne", party["Moeder"])
	must(t, cws, "participant.admit", map[string]string{"participantId": ph.ID})

	must(t, cws, "phase.set", map[string]string{"phase": "review"})
	must(t, cws, "review.action.set", map[string]string{"actionId": first.ActionID, "outcome": "partly", "note": "Aangevraagd, nog geen afspraak"})
	must(t, cws, "review.score.set", map[string]any{"worryId": first.WorryID, "score": 5})
	refused(t, cws, "review.score.set", map[string]any{"worryId": first.WorryID, "score": 11}, meeting.ECodeInvalidInput)

	must(t, cws, "phase.set", map[string]string{"phase": "worries"})
	must(t, cws, "worry.carry", map[string]string{"worryId": first.WorryID})
	fresh := fmt.Sprintf("w%d", must(t, ph.WS, "worry.add", map[string]string{"text": "Kim slaapt slecht"}))
	must(t, cws, "reveal", map[string]string{"kind": "worry"})
	carried := ""
	for _, it := range coord.snapshot(fu.ID).Items {
		if it.Continues == first.WorryID {
			carried = it.ID
		}
	}
	if carried == "" {
		t.Fatal("the carried worry is not on the table")
	}
	must(t, cws, "phase.set", map[string]string{"phase": "cluster"})
	must(t, cws, "phase.set", map[string]string{"phase": "rank"})
	must(t, ph.WS, "ranking.set", map[string]any{"worryIds": []string{fresh, carried}})
	must(t, cws, "phase.set", map[string]string{"phase": "agree"})
	must(t, cws, "agree.confirm", map[string]any{"worryIds": []string{fresh, carried}})
	must(t, cws, "phase.set", map[string]string{"phase": "plan"})
	must(t, cws, "plan.goal.set", map[string]any{"worryId": carried, "goal": "Rondkomen", "scoreNow": 6})
	must(t, cws, "plan.details.set", map[string]any{"regisseurPartyId": party["Wijkteam"], "regisseurRole": "Gezinscoach", "nextEvaluation": "2027-06-01"})
	must(t, cws, "meeting.close", map[string]any{})

	// The closed follow-up's JSON export says what changed.
	var export struct {
		Changes *meeting.ChangeSet `json:"changes"`
	}
	resp, body := srv.request("GET", "/api/meetings/"+fu.ID+"/export.json", coord.cookie, nil)
	if resp.StatusCode != 200 || json.Unmarshal(body, &export) != nil || export.Changes == nil {
		t.Fatalf("export: %d %.300s", resp.StatusCode, body)
	}
	ch := export.Changes
	if !ch.Decided || len(ch.Kept) != 1 || len(ch.New) != 1 || len(ch.Dropped) != 0 || len(ch.Actions) != 1 {
		t.Fatalf("what changed = %+v", ch)
	}
	kept := ch.Kept[0]
	if kept.PreviousText != "Te weinig geld" || kept.Rank != 2 || val(kept.PreviousScore) != 3 || val(kept.ReviewScore) != 5 || val(kept.ScoreNow) != 6 {
		t.Fatalf("kept worry = %+v, want rank 2 and scores 3 → 5 → 6", kept)
	}
	if ch.New[0].Text != "Kim slaapt slecht" || ch.New[0].Rank != 1 {
		t.Fatalf("new worry = %+v", ch.New[0])
	}
	if a := ch.Actions[0]; a.Outcome != "partly" || a.Note != "Aangevraagd, nog geen afspraak" {
		t.Fatalf("reviewed action = %+v", a)
	}
	// The family's timeline shows both meetings in order.
	var timeline struct {
		Meetings []struct {
			ID string `json:"id"`
		} `json:"meetings"`
	}
	info, _ := srv.main.Store.FindMeeting(t.Context(), srv.mustOrg(coord), fu.ID)
	coord.call("GET", "/api/families/"+info.FamilyID+"/timeline", nil, &timeline, 200)
	if len(timeline.Meetings) != 2 || timeline.Meetings[0].ID != first.ID || timeline.Meetings[1].ID != fu.ID {
		t.Fatalf("timeline = %+v", timeline)
	}
}

func val(p *int) int {
	if p == nil {
		return -1
	}
	return *p
}
