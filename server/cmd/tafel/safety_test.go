package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tafel-met/tafel/server/meeting"
	"github.com/tafel-met/tafel/server/store"
	"github.com/tafel-met/tafel/server/store/storetest"
)

// The reporter's identity in the fixture: it must never reach the family or the screen.
const reporter = "Melding door juf Bakker van basisschool De Regenboog"

// TestSignsOfSafetyMeeting plays a whole meeting in the Signs of Safety shape
// over REST and real websockets: worry statements with safety goals for the top
// 3, per-party scaling with described ends, existing safety, a safety plan with a
// plan B, a condition of Veilig Thuis that blocks closing until an agreement
// answers it, the child's three houses brought by a named person, a worry with a
// protected source, and an interpreter at the table. The family then downloads
// its PDF, and a follow-up carries the safety plan forward.
func TestSignsOfSafetyMeeting(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(string(d), func(t *testing.T) { playSignsOfSafety(t, d) })
	}
}

func playSignsOfSafety(t *testing.T, d store.Dialect) {
	srv := startServer(t, d)
	coord := srv.coordinator("Gemeente Voorbeeld")
	var fam struct{ ID string }
	coord.call("POST", "/api/families", map[string]string{"label": "Gezin J."}, &fam, 201)
	var m createdMeeting
	coord.call("POST", "/api/meetings", map[string]any{"familyId": fam.ID, "title": "Top-3-gesprek", "date": "2026-12-01",
		"shape": "signs_of_safety", "parties": []map[string]string{{"name": "Moeder", "kind": "family"}, {"name": "Vader", "kind": "family"},
			{"name": "Buurvrouw", "kind": "network"}, {"name": "Tolk", "kind": "interpreter"}, {"name": "Veilig Thuis", "kind": "professional"}}}, &m, 201)
	snap := coord.snapshot(m.ID)
	if snap.Options.Shape != meeting.ShapeSafety || snap.Safety == nil {
		t.Fatalf("meeting options = %+v, safety %v", snap.Options, snap.Safety)
	}
	party := map[string]string{}
	for _, p := range snap.Parties {
		party[p.Name] = p.ID
	}
	cws := coord.connect(m.ID, "")
	screen := coord.connect(m.ID, "screen")
	probe := coord.connect(m.ID, "") // for the commands that must be refused; its error frames are expected
	start := coord.snapshot(m.ID).Seq
	watchers := []*watcher{
		{name: "coordinator", ws: cws, viewer: meeting.Viewer{Role: meeting.RoleCoordinator}, from: start},
		{name: "screen", ws: screen, viewer: meeting.Viewer{Role: meeting.RoleScreen}, from: start},
	}
	phones := map[string]*phone{}
	for _, p := range []struct{ name, party string }{{"Sanne", "Moeder"}, {"Henk", "Vader"}, {"Els", "Buurvrouw"}, {"Ali", "Tolk"}, {"Anouk", "Veilig Thuis"}} {
		before := coord.snapshot(m.ID).Seq
		ph := srv.join(m.JoinCode, p.name, party[p.party])
		phones[p.name] = ph
		watchers = append(watchers, &watcher{name: p.name, ws: ph.WS, viewer: meeting.Viewer{Role: meeting.RoleParticipant, ParticipantID: ph.ID}, from: before + 1})
		must(t, cws, "participant.admit", map[string]string{"participantId": ph.ID})
	}
	sanne, henk, els, ali, anouk := phones["Sanne"], phones["Henk"], phones["Els"], phones["Ali"], phones["Anouk"]

	must(t, cws, "phase.set", map[string]string{"phase": "worries"})
	worry := func(ph *phone, text string) string {
		return fmt.Sprintf("w%d", must(t, ph.WS, "worry.add", map[string]string{"text": text}))
	}
	wAnger := worry(sanne, "Henk wordt snel boos")
	wMoney := worry(henk, "Er is te weinig geld")
	wSafe := worry(anouk, "Er zijn zorgen over hoe veilig Kim thuis is")
	worry(els, "Kim is vaak alleen thuis")
	// The interpreter adds nothing of their own.
	refused(t, ali.WS, "worry.add", map[string]string{"text": "Ik vind ook iets"}, meeting.ECodeForbidden)
	// Veilig Thuis protects who reported, and checks the family's wording first.
	must(t, anouk.WS, "worry.source.set", map[string]string{"itemId": wSafe, "source": reporter})
	must(t, sanne.WS, "safety.note.add", map[string]string{"kind": "existing", "text": "Oma haalt Kim elke dag van school"})
	must(t, cws, "safety.note.add", map[string]string{"kind": "complicating", "text": "Vader drinkt in het weekend", "partyId": party["Veilig Thuis"]})
	// The child's three houses, filled in before the meeting, stay with the coordinator.
	must(t, cws, "child.houses.set", map[string]string{"childName": "Kim", "worries": "Als papa boos is ben ik bang",
		"goesWell": "Voetballen met oma", "wishes": "Dat papa en mama rustig praten"})
	for _, name := range []string{"Moeder", "Vader", "Buurvrouw"} {
		must(t, cws, "reveal", map[string]string{"kind": "worry", "partyId": party[name]})
	}
	refused(t, probe, "reveal", map[string]string{"kind": "worry", "partyId": party["Veilig Thuis"]}, meeting.ECodeWordingUnchecked)
	must(t, anouk.WS, "worry.wording.check", map[string]string{"itemId": wSafe})
	must(t, cws, "reveal", map[string]string{"kind": "worry", "partyId": party["Veilig Thuis"]})
	if screen.Saw("ben ik bang") || sanne.WS.Saw("ben ik bang") {
		t.Fatal("the child's houses reached the table before they were brought")
	}

	must(t, cws, "phase.set", map[string]string{"phase": "cluster"})
	must(t, cws, "phase.set", map[string]string{"phase": "rank"})
	for _, ph := range []*phone{sanne, henk, els, anouk} {
		must(t, ph.WS, "ranking.set", map[string]any{"worryIds": []string{wSafe, wAnger, wMoney}})
	}
	refused(t, ali.WS, "ranking.set", map[string]any{"worryIds": []string{wSafe}}, meeting.ECodeForbidden)
	must(t, cws, "phase.set", map[string]string{"phase": "agree"})
	top3 := coord.snapshot(m.ID).Ranking.Top3
	if strings.Join(top3, ",") != strings.Join([]string{wSafe, wAnger, wMoney}, ",") {
		t.Fatalf("top 3 = %v", top3)
	}
	must(t, cws, "agree.confirm", map[string]any{"worryIds": top3})
	must(t, sanne.WS, "agree.akkoord", map[string]string{})
	must(t, cws, "phase.set", map[string]string{"phase": "plan"})

	for i, w := range top3 {
		must(t, cws, "safety.statement.set", map[string]string{"worryId": w, "worried": "Veilig Thuis en de buurvrouw",
			"happened": fmt.Sprintf("Wat er gebeurde %d", i+1), "mayHappen": "Kim raakt gewond of wordt erg bang",
			"disagreement": "Vader vindt het overdreven", "safetyGoal": fmt.Sprintf("Veiligheidsdoel %d", i+1), "goalDuration": "6 maanden"})
	}
	scaleSeq := must(t, cws, "safety.scale.set", map[string]string{"worryId": wSafe, "question": "Hoe veilig is Kim thuis?",
		"tenMeans": "Iedereen weet dat Kim thuis veilig is", "zeroMeans": "Kim kan vandaag niet thuis blijven"})
	scale := fmt.Sprintf("sc%d", scaleSeq)
	must(t, sanne.WS, "safety.score.set", map[string]any{"scaleId": scale, "score": 7})
	must(t, henk.WS, "safety.score.set", map[string]any{"scaleId": scale, "score": 8})
	must(t, anouk.WS, "safety.score.set", map[string]any{"scaleId": scale, "score": 3})
	condSeq := must(t, anouk.WS, "safety.condition.set", map[string]string{"text": "Vader gebruikt geen alcohol in het bijzijn van Kim",
		"plain": "Papa drinkt geen alcohol als Kim thuis is"})
	cond := fmt.Sprintf("cond%d", condSeq)
	must(t, cws, "plan.details.set", map[string]any{"regisseurPartyId": party["Veilig Thuis"], "regisseurRole": "Jeugdbeschermer", "nextEvaluation": "2027-03-01"})
	must(t, cws, "plan.contact.set", map[string]string{"role": "Jeugdbeschermer", "organisation": "Veilig Thuis Voorbeeld", "email": "regie@example.org"})
	refused(t, probe, "meeting.close", map[string]any{}, meeting.ECodeConditionOpen)
	must(t, cws, "safety.agreement.add", map[string]any{"what": "Vader drinkt niet als Kim thuis is", "doerPartyId": party["Vader"],
		"checkerPartyId": party["Veilig Thuis"], "watcherPartyIds": []string{party["Buurvrouw"]}, "planB": "Oma haalt Kim op en belt Veilig Thuis",
		"answers": []string{cond}})
	child := coord.snapshot(m.ID).Safety.Children[0].ID
	must(t, cws, "child.voice.bring", map[string]string{"childId": child, "bringerId": els.ID, "story": "Kim wil graag thuis blijven wonen"})
	last := must(t, cws, "meeting.close", map[string]any{})

	log, err := srv.main.Store.EventsSince(context.Background(), m.ID, 0, last)
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range watchers {
		if w.ws != ali.WS { // the interpreter's refusals left error frames; what it received is checked below
			checkWatcher(t, w, log, last)
		}
	}
	// The source reached no family, network or screen socket, and no view of theirs.
	for _, w := range []*watcher{watchers[1], watchers[2], watchers[3], watchers[4], watchers[5]} {
		if w.ws.Saw("Bakker") {
			t.Fatalf("%s received the protected source", w.name)
		}
	}
	if cws.Saw("Bakker") || strings.Contains(string(mustMarshal(t, coord.snapshot(m.ID))), "Bakker") {
		t.Fatal("the coordinator's socket or snapshot carries the source; it is read through the audited route")
	}
	if !screen.Saw("ben ik bang") || !screen.Saw("Papa drinkt geen alcohol") {
		t.Fatal("the screen does not show the child's voice once brought, or the condition in plain words")
	}
	versions, err := srv.main.Store.PlanVersions(context.Background(), m.ID)
	if err != nil || len(versions) != 1 || versions[0].Safety == nil {
		t.Fatalf("plan versions: %v, %v", versions, err)
	}
	sp := versions[0].Safety
	if len(sp.Statements) != 3 || len(sp.Scales[0].Scores) != 3 || len(sp.Agreements) != 1 || sp.Agreements[0].PlanB == "" ||
		len(sp.Children) != 1 || sp.Children[0].BringerID != els.ID || len(sp.Notes) != 2 {
		t.Fatalf("closed safety plan = %+v", sp)
	}

	// The coordinator reads the source, and the audit log records it.
	var sources []struct{ WorryID, Source string }
	coord.call("GET", "/api/meetings/"+m.ID+"/sources", nil, &sources, 200)
	if len(sources) != 1 || sources[0].WorryID != wSafe || sources[0].Source != reporter {
		t.Fatalf("sources = %+v", sources)
	}
	checkSourceAudit(t, srv, coord, m.ID, wSafe)
	// Nor does the family's data export (AVG right of access) name the reporter.
	resp, famData := srv.request("GET", "/api/families/"+fam.ID+"/export.json", coord.cookie, nil)
	if resp.StatusCode != 200 || strings.Contains(string(famData), "Bakker") || !strings.Contains(string(famData), meeting.WithheldSource) {
		t.Fatalf("family data export: %d, names the reporter %v", resp.StatusCode, strings.Contains(string(famData), "Bakker"))
	}

	// The family downloads its own PDF; the source is not in it.
	resp, pdf := srv.request("GET", "/api/meetings/"+m.ID+"/export.pdf", "Bearer "+sanne.Token, nil)
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/pdf" {
		t.Fatalf("family PDF: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	if resp, _ := srv.request("GET", "/api/meetings/"+m.ID+"/export.json", "Bearer "+sanne.Token, nil); resp.StatusCode != 401 {
		t.Fatalf("a participant's JSON export: %d, want 401", resp.StatusCode)
	}
	if text, ok := pdfToText(t, pdf); ok {
		for _, want := range []string{"Veiligheidsdoel 1", "Papa drinkt geen alcohol als Kim thuis is", "Oma haalt Kim op en belt Veilig Thuis",
			"Ali", "Tolk", "regie@example.org", "Kim wil graag thuis blijven wonen"} {
			if !strings.Contains(text, want) {
				t.Errorf("family PDF lacks %q", want)
			}
		}
		if strings.Contains(text, "Bakker") {
			t.Fatal("the family PDF names the reporter")
		}
	}

	playSafetyFollowUp(t, srv, coord, m.ID, scale)
}

// playSafetyFollowUp shows a follow-up carries the safety plan forward and says
// which agreements held and how each party's score moved.
func playSafetyFollowUp(t *testing.T, srv *testServer, coord *coordinator, firstID, scale string) {
	t.Helper()
	var fu createdMeeting
	coord.call("POST", "/api/meetings/"+firstID+"/follow-up", map[string]string{"date": "2027-03-01"}, &fu, 201)
	v := coord.snapshot(fu.ID)
	if v.Options.Shape != meeting.ShapeSafety || v.Previous == nil || v.Previous.Version.Safety == nil {
		t.Fatalf("the follow-up does not open with the safety plan: %+v", v.Previous)
	}
	prevAgreement := v.Previous.Version.Safety.Agreements[0].ID
	prevVT := ""
	for _, p := range v.Previous.Parties {
		if p.Name == "Veilig Thuis" {
			prevVT = p.ID
		}
	}
	party := map[string]string{}
	for _, p := range v.Parties {
		party[p.Name] = p.ID
	}
	cws := coord.connect(fu.ID, "")
	sanne := srv.join(fu.JoinCode, "Sanne", party["Moeder"])
	must(t, cws, "participant.admit", map[string]string{"participantId": sanne.ID})
	must(t, cws, "phase.set", map[string]string{"phase": "review"})
	must(t, cws, "safety.review.agreement.set", map[string]string{"agreementId": prevAgreement, "held": "held", "note": "Het is goed gegaan"})
	must(t, cws, "safety.review.score.set", map[string]any{"scaleId": scale, "partyId": prevVT, "score": 5})
	must(t, cws, "phase.set", map[string]string{"phase": "worries"})
	w := ""
	for _, pw := range v.Previous.Worries {
		seq := must(t, cws, "worry.carry", map[string]string{"worryId": pw.ID})
		if w == "" {
			w = fmt.Sprintf("w%d", seq)
		}
	}
	must(t, cws, "phase.set", map[string]string{"phase": "cluster"})
	must(t, cws, "phase.set", map[string]string{"phase": "rank"})
	must(t, sanne.WS, "ranking.set", map[string]any{"worryIds": []string{w}})
	must(t, cws, "phase.set", map[string]string{"phase": "agree"})
	must(t, cws, "agree.confirm", map[string]any{"worryIds": []string{w}})
	must(t, cws, "phase.set", map[string]string{"phase": "plan"})
	must(t, cws, "safety.carry", map[string]any{})
	now := coord.snapshot(fu.ID)
	sp := now.Safety.Plan
	if len(sp.Scales) != 1 || sp.Scales[0].Continues != scale || len(sp.Agreements) != 1 || len(sp.Statements) != 1 || sp.Statements[0].WorryID != w {
		t.Fatalf("carried safety plan = %+v", sp)
	}
	must(t, sanne.WS, "safety.score.set", map[string]any{"scaleId": sp.Scales[0].ID, "score": 9})
	ch := coord.snapshot(fu.ID).WhatChanged(nil).Safety
	if ch == nil || len(ch.Agreements) != 1 || ch.Agreements[0].Held != "held" {
		t.Fatalf("what changed in the safety plan = %+v", ch)
	}
	got := map[string]string{}
	for _, s := range ch.Scores {
		got[s.Party] = fmt.Sprint(deref(s.PreviousScore), "/", deref(s.ReviewScore), "/", deref(s.ScoreNow))
	}
	if got["Moeder"] != "7/-/9" || got["Vader"] != "8/-/-" || got["Veilig Thuis"] != "3/5/-" {
		t.Fatalf("per-party score changes = %v", got)
	}
}

func deref(p *int) string {
	if p == nil {
		return "-"
	}
	return fmt.Sprint(*p)
}

// checkSourceAudit shows that reading a protected source is in the audit log: who, which worry.
func checkSourceAudit(t *testing.T, srv *testServer, coord *coordinator, meetingID, worryID string) {
	t.Helper()
	ctx := context.Background()
	org := srv.mustOrg(coord)
	info, err := srv.main.Store.FindMeeting(ctx, org, meetingID)
	if err != nil {
		t.Fatal(err)
	}
	records, err := srv.main.Store.FamilyAudit(ctx, org, info.FamilyID, 1000)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, r := range records {
		if r.ObjectType == "worry_source" {
			if r.ObjectID != worryID || r.ActorType != "user" || r.Action != "read" || strings.Contains(r.Detail, "Bakker") {
				t.Fatalf("source audit record = %+v", r)
			}
			n++
		}
	}
	if n != 1 {
		t.Fatalf("%d audit records of reading the source, want 1", n)
	}
}

// pdfToText extracts a PDF's text with pdftotext; without the tool the check is
// skipped (and fails under CI=true, like the export package's PDF tests).
func pdfToText(t *testing.T, pdf []byte) (string, bool) {
	t.Helper()
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("pdftotext is required in CI (apt-get install poppler-utils)")
		}
		t.Log("pdftotext not installed: the family PDF's text is not checked")
		return "", false
	}
	path := filepath.Join(t.TempDir(), "plan.pdf")
	if err := os.WriteFile(path, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "-enc", "UTF-8", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return strings.Join(strings.Fields(string(out)), " "), true
}

func mustMarshal(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
