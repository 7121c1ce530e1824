package main

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/tafel-met/tafel/server/meeting"
	"github.com/tafel-met/tafel/server/realtime/wsclient"
	"github.com/tafel-met/tafel/server/store"
	"github.com/tafel-met/tafel/server/store/storetest"
)

// watcher is one socket and who it is, to check what it received against the log.
type watcher struct {
	name   string
	ws     *wsclient.Client
	viewer meeting.Viewer
	from   int64 // the seq when it connected
}

// TestWholeMeeting plays a meeting from lobby to closed plan over REST and real
// websockets, on SQLite and on Postgres: a coordinator, a shared screen, two
// family members and two professional parties.
func TestWholeMeeting(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(string(d), func(t *testing.T) { playWholeMeeting(t, d) })
	}
}

func playWholeMeeting(t *testing.T, d store.Dialect) {
	srv := startServer(t, d)
	coord := srv.coordinator("Gemeente Voorbeeld")
	m := coord.meeting("Gezin J.", "Moeder:family", "Vader:family", "Veilig Thuis:professional", "Jeugdreclassering:professional")
	snap := coord.snapshot(m.ID)
	party := map[string]string{}
	for _, p := range snap.Parties {
		party[p.Name] = p.ID
	}
	cws := coord.connect(m.ID, "")
	screen := coord.connect(m.ID, "screen")
	start := coord.snapshot(m.ID).Seq
	watchers := []*watcher{
		{name: "coordinator", ws: cws, viewer: meeting.Viewer{Role: meeting.RoleCoordinator}, from: start},
		{name: "screen", ws: screen, viewer: meeting.Viewer{Role: meeting.RoleScreen}, from: start},
	}
	phones := map[string]*phone{}
	for _, p := range []struct{ name, party string }{{"Sanne", "Moeder"}, {"Henk", "Vader"}, {"Anouk", "Veilig Thuis"}, {"Daan", "Jeugdreclassering"}} {
		before := coord.snapshot(m.ID).Seq
		ph := srv.join(m.JoinCode, p.name, party[p.party])
		phones[p.name] = ph
		// The join event itself (seq before+1) happened before the socket was open.
		watchers = append(watchers, &watcher{name: p.name, ws: ph.WS, viewer: meeting.Viewer{Role: meeting.RoleParticipant, ParticipantID: ph.ID}, from: before + 1})
		must(t, cws, "participant.admit", map[string]string{"participantId": ph.ID})
	}
	sanne, henk, anouk, daan := phones["Sanne"], phones["Henk"], phones["Anouk"], phones["Daan"]

	must(t, cws, "phase.set", map[string]string{"phase": "worries"})
	worry := func(ph *phone, text, domain string) string {
		return fmt.Sprintf("w%d", must(t, ph.WS, "worry.add", map[string]string{"text": text, "domain": domain}))
	}
	wMoney := worry(sanne, "Er is te weinig geld voor eten", "financien")
	wSleep := worry(henk, "Ik slaap slecht door de ruzies", "huiselijke_relaties")
	wDebt := worry(anouk, "Schulden lopen op", "financien")
	wSchool := worry(daan, "Kim gaat niet naar school", "werk_opleiding")
	wMoney2 := worry(henk, "Geld is elke maand op", "financien")
	onBehalf := fmt.Sprintf("w%d", must(t, cws, "worry.add", map[string]string{"text": "Kim is bang thuis", "partyId": party["Moeder"]}))

	// Drafts stay with their authors until the coordinator reveals them, party by party.
	if screen.Saw("te weinig geld") || henk.WS.Saw("te weinig geld") || cws.Saw("te weinig geld") {
		t.Fatal("a draft reached another socket before it was revealed")
	}
	for _, name := range []string{"Moeder", "Vader", "Veilig Thuis", "Jeugdreclassering"} {
		must(t, cws, "reveal", map[string]string{"kind": "worry", "partyId": party[name]})
	}
	must(t, cws, "phase.set", map[string]string{"phase": "cluster"})
	must(t, cws, "worry.merge", map[string]string{"intoId": wMoney, "fromId": wMoney2})
	must(t, cws, "phase.set", map[string]string{"phase": "rank"})
	must(t, sanne.WS, "ranking.set", map[string]any{"worryIds": []string{wMoney, onBehalf, wSleep}})
	must(t, henk.WS, "ranking.set", map[string]any{"worryIds": []string{wSleep, wMoney}})
	must(t, anouk.WS, "ranking.set", map[string]any{"worryIds": []string{wDebt, wMoney, wSchool}})
	must(t, daan.WS, "ranking.set", map[string]any{"worryIds": []string{wSchool, wDebt, wMoney}})
	must(t, cws, "phase.set", map[string]string{"phase": "agree"})

	top3 := coord.snapshot(m.ID).Ranking.Top3
	if len(top3) != 3 || top3[0] != wMoney {
		t.Fatalf("top 3 = %v, want %s first", top3, wMoney)
	}
	must(t, cws, "agree.confirm", map[string]any{"worryIds": top3})
	must(t, daan.WS, "agree.dissent", map[string]string{"text": "School hoort in de top 3"})
	must(t, sanne.WS, "agree.akkoord", map[string]string{})
	must(t, cws, "phase.set", map[string]string{"phase": "plan"})
	for i, w := range top3 {
		must(t, cws, "plan.goal.set", map[string]any{"worryId": w, "goal": "Doel " + fmt.Sprint(i+1), "scoreNow": 3 + i})
		must(t, cws, "plan.action.add", map[string]any{"worryId": w, "what": "Actie " + fmt.Sprint(i+1), "ownerPartyId": party["Veilig Thuis"], "due": "2027-01-15"})
	}
	must(t, cws, "plan.details.set", map[string]any{"regisseurPartyId": party["Veilig Thuis"], "regisseurRole": "Gezinscoach", "nextEvaluation": "2027-03-01"})
	last := must(t, cws, "meeting.close", map[string]any{})

	// Every socket saw exactly the events it may see, in log order, byte for byte.
	log, err := srv.main.Store.EventsSince(context.Background(), m.ID, 0, last)
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range watchers {
		checkWatcher(t, w, log, last)
	}
	// The closed plan is in the database.
	versions, err := srv.main.Store.PlanVersions(context.Background(), m.ID)
	if err != nil || len(versions) != 1 {
		t.Fatalf("plan versions: %v, %v", versions, err)
	}
	v := versions[0]
	if len(v.Plan.Actions) != 3 || v.Plan.RegisseurRole != "Gezinscoach" || v.Top3[0] != wMoney {
		t.Fatalf("stored plan = %+v", v)
	}
	if info, _ := srv.main.Store.FindMeeting(context.Background(), srv.mustOrg(coord), m.ID); info.Phase != meeting.PhaseClosed {
		t.Fatalf("meeting phase in database = %s", info.Phase)
	}
	// After closing, nothing changes any more.
	refused(t, cws, "plan.goal.set", map[string]any{"worryId": wMoney, "goal": "Anders"}, meeting.ECodeWrongPhase)
	// A participant trying a coordinator's command is refused, and that is logged.
	refused(t, sanne.WS, "meeting.lock", map[string]any{}, meeting.ECodeForbidden)
	checkMeetingAudit(t, srv, coord, m.ID, sanne.ID, party["Moeder"])
}

// checkMeetingAudit shows the audit log holds who opened the meeting, each change
// with its command, on whose behalf, and the refusal, and that its chain is intact.
func checkMeetingAudit(t *testing.T, srv *testServer, coord *coordinator, meetingID, participantID, onBehalfParty string) {
	t.Helper()
	ctx := context.Background()
	org := srv.mustOrg(coord)
	info, err := srv.main.Store.FindMeeting(ctx, org, meetingID)
	if err != nil {
		t.Fatal(err)
	}
	log, err := srv.main.Store.FamilyAudit(ctx, org, info.FamilyID, 1000)
	if err != nil {
		t.Fatal(err)
	}
	var opened, added, onBehalf, denied bool
	for _, r := range log {
		if r.Address == "" || r.ObjectID != meetingID && r.ObjectType == "meeting" {
			t.Fatalf("audit record without address or for another meeting: %+v", r)
		}
		switch {
		case r.Action == "read" && r.ActorID == participantID && r.Detail == "open":
			opened = true
		case r.Action == "update" && r.ActorID == participantID && r.Detail == "worry.add":
			added = true
		case r.Action == "update" && r.ActorType == "user" && r.Detail == "worry.add" && r.OnBehalfOf == onBehalfParty:
			onBehalf = true
		case r.Action == "denied" && r.ActorID == participantID && r.Detail == "meeting.lock":
			denied = true
		}
	}
	if !opened || !added || !onBehalf || !denied {
		t.Fatalf("audit log: opened %v, worry added %v, on behalf %v, refusal %v (%d records)", opened, added, onBehalf, denied, len(log))
	}
	if _, problems, err := srv.main.Store.VerifyAudit(ctx); err != nil || len(problems) != 0 {
		t.Fatalf("audit chain: %v %v", problems, err)
	}
}

func (s *testServer) mustOrg(c *coordinator) string {
	s.t.Helper()
	var me struct{ Organisation string }
	c.call("GET", "/api/auth/me", nil, &me, 200)
	o, err := s.main.Store.FindOrganisationByName(context.Background(), me.Organisation)
	if err != nil {
		s.t.Fatal(err)
	}
	return o.ID
}

// checkWatcher compares the events a socket received with what the log says it may see.
func checkWatcher(t *testing.T, w *watcher, log []meeting.Event, last int64) {
	t.Helper()
	v := w.viewer
	var want []meeting.Event
	for _, ev := range log {
		if ev.Seq <= w.from {
			continue
		}
		if v.CanSee(ev) {
			want = append(want, ev)
		}
		if ev.Name == meeting.EvParticipantUpsert && ev.ParticipantID == v.ParticipantID && v.Role == meeting.RoleParticipant {
			v.Admitted = strings.Contains(string(ev.Data), `"status":"admitted"`)
		}
	}
	if len(want) > 0 {
		if err := w.ws.WaitSeq(want[len(want)-1].Seq, 5*time.Second); err != nil {
			t.Fatalf("%s: %v", w.name, err)
		}
	}
	got := w.ws.Events()
	if len(got) != len(want) {
		t.Fatalf("%s received %d events, may see %d", w.name, len(got), len(want))
	}
	for i := range want {
		if got[i].Seq != want[i].Seq || got[i].Name != want[i].Name || string(got[i].Data) != string(want[i].Data) {
			t.Fatalf("%s: event %d is seq %d %s, want seq %d %s", w.name, i, got[i].Seq, got[i].Name, want[i].Seq, want[i].Name)
		}
	}
	for _, f := range w.ws.Frames() {
		if f.Type == "error" {
			t.Fatalf("%s got an error frame: %s", w.name, f.Raw)
		}
	}
}
