package main

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/tafel-met/tafel/server/meeting"
	"github.com/tafel-met/tafel/server/realtime/wsclient"
	"github.com/tafel-met/tafel/server/store"
	"github.com/tafel-met/tafel/server/store/storetest"
)

// halfPlan marks every text of the plan in TestAbandonedPlanNotSent.
const halfPlan = "HALFPLAN"

// TestAbandonedPlanNotSent ends a Signs of Safety meeting without a plan while
// the plan is half written, over real websockets and REST on SQLite and
// Postgres. Nobody is shown that plan afterwards, so no phone or screen
// receives it: not in the snapshot that follows the end on a connected socket,
// not when a phone that missed the plan's events resumes, not in the REST
// snapshot. The coordinator keeps it.
func TestAbandonedPlanNotSent(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(string(d), func(t *testing.T) { playAbandonedPlan(t, d) })
	}
}

// framesFrom returns the frames a socket received after the first n.
func framesFrom(ws *wsclient.Client, n int) []wsclient.Frame {
	all := ws.Frames()
	if n > len(all) {
		return nil
	}
	return all[n:]
}

func playAbandonedPlan(t *testing.T, d store.Dialect) {
	srv := startServer(t, d)
	coord := srv.coordinator("Gemeente Voorbeeld")
	var fam struct{ ID string }
	coord.call("POST", "/api/families", map[string]string{"label": "Gezin R."}, &fam, 201)
	var m createdMeeting
	coord.call("POST", "/api/meetings", map[string]any{"familyId": fam.ID, "title": "Top-3-gesprek", "date": "2026-12-01",
		"shape": "signs_of_safety", "parties": []map[string]string{{"name": "Moeder", "kind": "family"}, {"name": "Veilig Thuis", "kind": "professional"}}}, &m, 201)
	party := coord.partyIDs(m.ID)
	cws := coord.connect(m.ID, "")
	screen := coord.connect(m.ID, "screen")
	sanne := srv.join(m.JoinCode, "Sanne", party["Moeder"])
	anouk := srv.join(m.JoinCode, "Anouk", party["Veilig Thuis"])
	must(t, cws, "participant.admit", map[string]string{"participantId": sanne.ID})
	must(t, cws, "participant.admit", map[string]string{"participantId": anouk.ID})
	must(t, cws, "phase.set", map[string]string{"phase": "worries"})
	var worries []string
	for _, text := range []string{"Er is te weinig geld", "Kim is vaak alleen", "Het huis is te klein"} {
		worries = append(worries, fmt.Sprintf("w%d", must(t, sanne.WS, "worry.add", map[string]string{"text": text})))
	}
	must(t, cws, "reveal", map[string]string{"kind": "worry"})
	must(t, cws, "phase.set", map[string]string{"phase": "cluster"})
	must(t, cws, "phase.set", map[string]string{"phase": "rank"})
	must(t, sanne.WS, "ranking.set", map[string]any{"worryIds": worries})
	must(t, cws, "phase.set", map[string]string{"phase": "agree"})
	must(t, cws, "agree.confirm", map[string]any{"worryIds": worries})
	atPlan := must(t, cws, "phase.set", map[string]string{"phase": "plan"})
	if err := anouk.WS.WaitSeq(atPlan, 5*time.Second); err != nil {
		t.Fatal(err)
	}
	// Anouk's phone drops before the plan is written; it comes back after the end.
	anouk.WS.Close()

	must(t, cws, "plan.goal.set", map[string]any{"worryId": worries[0], "goal": halfPlan + " doel", "scoreNow": 4})
	must(t, cws, "plan.action.add", map[string]any{"worryId": worries[0], "what": halfPlan + " actie", "ownerPartyId": party["Veilig Thuis"], "due": ""})
	must(t, cws, "plan.contact.set", map[string]string{"role": halfPlan + " rol", "organisation": halfPlan + " wijkteam"})
	must(t, cws, "safety.statement.set", map[string]string{"worryId": worries[1], "worried": halfPlan + " wie",
		"happened": halfPlan + " gebeurd", "mayHappen": halfPlan + " kan gebeuren", "safetyGoal": halfPlan + " veiligheidsdoel"})
	must(t, sanne.WS, "safety.note.add", map[string]string{"kind": "existing", "text": halfPlan + " oma helpt"})
	written := must(t, cws, "safety.agreement.add", map[string]any{"what": halfPlan + " afspraak", "doerPartyId": party["Moeder"],
		"checkerPartyId": party["Veilig Thuis"], "planB": halfPlan + " plan B"})
	for _, ws := range []*wsclient.Client{sanne.WS, screen} {
		if err := ws.WaitSeq(written, 5*time.Second); err != nil {
			t.Fatal(err)
		}
		if !ws.Saw(halfPlan + " plan B") {
			t.Fatal("the table does not see the plan while it is written: the test would find no leak")
		}
	}

	before := map[*wsclient.Client]int{sanne.WS: len(sanne.WS.Frames()), screen: len(screen.Frames())}
	end := must(t, cws, "meeting.abandon", map[string]string{"reason": "stopped_early"})
	// A connected phone and the screen: the end, then a view without the plan.
	for name, ws := range map[string]*wsclient.Client{"phone": sanne.WS, "screen": screen} {
		if _, err := ws.WaitFor(func(f wsclient.Frame) bool { return f.Type == "snapshot" && f.Seq >= end }, 5*time.Second); err != nil {
			t.Fatalf("%s: no snapshot after the end: %v", name, err)
		}
		for _, f := range framesFrom(ws, before[ws]) {
			if strings.Contains(string(f.Raw), halfPlan) {
				t.Fatalf("%s received the plan after the end: %s", name, f.Raw)
			}
		}
	}
	// A phone that missed the plan's events resumes: no replay of them.
	back := srv.connectPhone(m.ID, anouk.Token, atPlan)
	if err := back.WaitSeq(end, 5*time.Second); err != nil {
		t.Fatal(err)
	}
	for _, f := range back.Frames() {
		if strings.Contains(string(f.Raw), halfPlan) {
			t.Fatalf("the resumed phone received the plan: %s", f.Raw)
		}
	}
	// A screen that resumes from before the plan: the same.
	again := coord.resume(m.ID, "screen", atPlan)
	if err := again.WaitSeq(end, 5*time.Second); err != nil {
		t.Fatal(err)
	}
	if again.Saw(halfPlan) {
		t.Fatal("the resumed screen received the plan")
	}
	// The REST snapshot: none for the phone, all of it for the coordinator.
	for _, tok := range []string{sanne.Token, anouk.Token} {
		resp, body := srv.request("GET", "/api/meetings/"+m.ID+"/snapshot", "Bearer "+tok, nil)
		if resp.StatusCode != 200 || strings.Contains(string(body), halfPlan) || !strings.Contains(string(body), `"endedWithoutPlan":true`) {
			t.Fatalf("phone's REST snapshot after the end: %d %s", resp.StatusCode, body)
		}
	}
	v := coord.snapshot(m.ID)
	if len(v.Plan.Goals) != 1 || v.Plan.Goals[0].Goal != halfPlan+" doel" || len(v.Plan.Actions) != 1 || v.Safety == nil ||
		len(v.Safety.Plan.Agreements) != 1 || len(v.Safety.Plan.Notes) != 1 || v.Ending == nil || v.Phase != meeting.PhaseClosed {
		t.Fatalf("the coordinator's snapshot lost the plan: %+v %+v", v.Plan, v.Safety)
	}
	// The coordinator's own socket keeps it too after a resume from before the plan.
	desk := coord.resume(m.ID, "", atPlan)
	if err := desk.WaitSeq(end, 5*time.Second); err != nil {
		t.Fatal(err)
	}
	if !desk.Saw(halfPlan + " plan B") {
		t.Fatal("the coordinator's resumed socket lost the plan")
	}
}
