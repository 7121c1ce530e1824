package meeting

import (
	"encoding/json"
	"strings"
	"testing"
)

var sos = Options{Shape: ShapeSafety}

func safetyOf(tb testing.TB, m *Meeting) SafetyPlan {
	tb.Helper()
	return m.ViewFor(Viewer{Role: RoleCoordinator}).Safety.Plan
}

func TestSafetyCommandsNeedTheShape(t *testing.T) {
	tt, c := playTo(t, PhasePlan, Options{})
	for _, tc := range []struct {
		name string
		data any
	}{
		{"safety.statement.set", map[string]string{"worryId": c.w1, "worried": "Veilig Thuis"}},
		{"safety.scale.set", map[string]string{"question": "Hoe veilig?", "tenMeans": "veilig", "zeroMeans": "niet veilig"}},
		{"safety.agreement.add", map[string]any{"what": "x", "doerPartyId": c.mother, "checkerPartyId": c.vt, "planB": "y"}},
		{"safety.condition.set", map[string]string{"text": "x", "plain": "y", "partyId": c.vt}},
		{"child.houses.set", map[string]string{"childName": "Kim"}},
	} {
		t.Run(tc.name+"/ErrWrongShape", func(t *testing.T) { tt.with(t).fails(coordinator, tc.name, tc.data, ECodeWrongShape) })
	}
	// The regisseur's contact belongs to both shapes.
	tt.do(coordinator, "plan.contact.set", map[string]string{"role": "Gezinscoach", "organisation": "Wijkteam Noord", "phone": "+31 20 123 4567"})
	if got := tt.m.Plan.RegisseurContact; got == nil || got.Organisation != "Wijkteam Noord" {
		t.Fatalf("contact = %+v", got)
	}
	if v := tt.m.ViewFor(Viewer{Role: RoleScreen}); v.Safety != nil {
		t.Fatal("a plain meeting's view has a safety part")
	}
}

func TestContact(t *testing.T) {
	tt, _ := playTo(t, PhasePlan, sos)
	for _, tc := range []struct {
		name string
		in   map[string]string
		code string
	}{
		{"ErrPhoneLetters", map[string]string{"phone": "bel mij"}, ECodeInvalidInput},
		{"ErrEmail", map[string]string{"email": "geen adres"}, ECodeInvalidInput},
		{"ErrTwoEmails", map[string]string{"email": "a@b.nl, c@d.nl"}, ECodeInvalidInput},
	} {
		t.Run(tc.name, func(t *testing.T) { tt.with(t).fails(coordinator, "plan.contact.set", tc.in, tc.code) })
	}
	tt.do(coordinator, "plan.contact.set", map[string]string{"email": "regisseur@example.org"})
}

func TestWorryStatement(t *testing.T) {
	tt, c := playTo(t, PhasePlan, sos)
	st := map[string]string{"worryId": c.w1, "worried": "Veilig Thuis en de school", "happened": "Kim kwam twee keer met blauwe plekken",
		"mayHappen": "Kim raakt gewond", "disagreement": "Vader vindt het overdreven", "safetyGoal": "Kim is veilig thuis", "goalDuration": "6 maanden"}
	tt.do(coordinator, "safety.statement.set", st)
	got := safetyOf(t, tt.m).Statements
	if len(got) != 1 || got[0].SafetyGoal != "Kim is veilig thuis" || got[0].Disagreement != "Vader vindt het overdreven" {
		t.Fatalf("statements = %+v", got)
	}
	t.Run("ErrNotAgreed", func(t *testing.T) {
		tt.with(t).fails(coordinator, "safety.statement.set", map[string]string{"worryId": c.w4}, ECodeNotFound)
	})
	t.Run("SavedAlready", func(t *testing.T) {
		if evs := tt.with(t).do(coordinator, "safety.statement.set", st); len(evs) != 0 {
			t.Fatalf("saving the same statement again made %d events", len(evs))
		}
	})
}

func TestScalePerParty(t *testing.T) {
	tt, c := playTo(t, PhasePlan, sos)
	t.Run("ErrEndsRequired", func(t *testing.T) {
		tt.with(t).fails(coordinator, "safety.scale.set", map[string]string{"question": "Hoe veilig is Kim?", "tenMeans": "veilig"}, ECodeInvalidInput)
	})
	tt.do(coordinator, "safety.scale.set", map[string]string{"worryId": c.w1, "question": "Hoe veilig is Kim thuis?",
		"tenMeans": "iedereen weet dat Kim veilig is", "zeroMeans": "Kim moet vandaag weg"})
	scale := safetyOf(t, tt.m).Scales[0].ID
	tt.do(participant(c.anouk), "safety.score.set", map[string]any{"scaleId": scale, "score": 3})
	tt.do(participant(c.sanne), "safety.score.set", map[string]any{"scaleId": scale, "score": 7})
	tt.do(coordinator, "safety.score.set", map[string]any{"scaleId": scale, "score": 6, "partyId": c.father})
	for _, tc := range []struct {
		name string
		a    Actor
		data map[string]any
		code string
	}{
		{"ErrOtherParty", participant(c.sanne), map[string]any{"scaleId": scale, "score": 2, "partyId": c.vt}, ECodeForbidden},
		{"ErrCoordinatorNoParty", coordinator, map[string]any{"scaleId": scale, "score": 2}, ECodeNotFound},
		{"ErrEleven", participant(c.sanne), map[string]any{"scaleId": scale, "score": 11}, ECodeInvalidInput},
		{"ErrUnknownScale", participant(c.sanne), map[string]any{"scaleId": "sc999", "score": 2}, ECodeNotFound},
	} {
		t.Run(tc.name, func(t *testing.T) { tt.with(t).fails(tc.a, "safety.score.set", tc.data, tc.code) })
	}
	// Each party has its own score, in speaking order.
	got := safetyOf(t, tt.m).Scales[0].Scores
	want := []PartyScore{{c.mother, 7}, {c.father, 6}, {c.vt, 3}}
	if mustJSON(t, got) != mustJSON(t, want) {
		t.Fatalf("scores = %v, want %v", got, want)
	}
}

func TestSafetyNotes(t *testing.T) {
	tt, c := playTo(t, PhasePlan, sos)
	tt.do(participant(c.sanne), "safety.note.add", map[string]string{"kind": NoteExisting, "text": "Oma haalt Kim elke dag van school"})
	tt.do(coordinator, "safety.note.add", map[string]string{"kind": NoteComplicating, "text": "Vader drinkt in het weekend", "partyId": c.vt})
	notes := safetyOf(t, tt.m).Notes
	if len(notes) != 2 || notes[0].PartyID != c.mother || notes[1].Kind != NoteComplicating {
		t.Fatalf("notes = %+v", notes)
	}
	tt.with(t).fails(participant(c.sanne), "safety.note.add", map[string]string{"kind": "strength", "text": "x"}, ECodeInvalidInput)
	tt.do(coordinator, "safety.note.remove", map[string]string{"noteId": notes[1].ID})
	if n := len(safetyOf(t, tt.m).Notes); n != 1 {
		t.Fatalf("%d notes after removing one", n)
	}
}

// closable plays a Signs of Safety meeting to a plan that can be closed but for its conditions.
func closable(tb testing.TB) (*table, cast) {
	tt, c := playTo(tb, PhasePlan, sos)
	tt.do(coordinator, "plan.details.set", map[string]any{"regisseurPartyId": c.vt, "regisseurRole": "Gezinscoach", "nextEvaluation": "2027-02-01"})
	return tt, c
}

func TestConditionBlocksClose(t *testing.T) {
	tt, c := closable(t)
	t.Run("ErrFamilySetsCondition", func(t *testing.T) {
		tt.with(t).fails(participant(c.sanne), "safety.condition.set", map[string]string{"text": "x", "plain": "y"}, ECodeForbidden)
	})
	t.Run("ErrPlainWordsRequired", func(t *testing.T) {
		tt.with(t).fails(participant(c.anouk), "safety.condition.set", map[string]string{"text": "Geen alcohol in huis"}, ECodeInvalidInput)
	})
	tt.do(participant(c.anouk), "safety.condition.set", map[string]string{"text": "Vader gebruikt geen alcohol in het bijzijn van Kim",
		"plain": "Papa drinkt geen alcohol als Kim thuis is"})
	cond := safetyOf(t, tt.m).Conditions[0]
	if cond.Status != ConditionOpen || cond.SetBy != c.anouk || cond.PartyID != c.vt {
		t.Fatalf("condition = %+v", cond)
	}
	tt.with(t).fails(coordinator, "meeting.close", nil, ECodeConditionOpen)

	t.Run("AnsweredByAgreement", func(t *testing.T) {
		tt := tt.with(t)
		agreement := map[string]any{"what": "Vader drinkt niet als Kim thuis is", "doerPartyId": c.father, "checkerPartyId": c.vt,
			"watcherPartyIds": []string{c.network}, "planB": "Oma haalt Kim op", "answers": []string{cond.ID}}
		tt.fails(coordinator, "safety.agreement.add", map[string]any{"what": "x", "doerPartyId": c.father, "checkerPartyId": c.vt}, ECodeInvalidInput)
		tt.do(coordinator, "safety.agreement.add", agreement)
		tt.do(coordinator, "meeting.close", nil)
		v := tt.m.Versions[0]
		if v.Safety == nil || len(v.Safety.Agreements) != 1 || v.Safety.Agreements[0].PlanB != "Oma haalt Kim op" {
			t.Fatalf("closed safety plan = %+v", v.Safety)
		}
	})
	t.Run("ResolvedByWhoSetIt", func(t *testing.T) {
		tt := tt.with(t)
		waive := map[string]string{"conditionId": cond.ID, "status": ConditionWaived, "reason": "Vader is opgenomen in de kliniek"}
		tt.fails(coordinator, "safety.condition.resolve", waive, ECodeForbidden)
		tt.fails(participant(c.sanne), "safety.condition.resolve", waive, ECodeForbidden)
		tt.fails(participant(c.anouk), "safety.condition.resolve", map[string]string{"conditionId": cond.ID, "status": ConditionMet}, ECodeInvalidInput)
		tt.do(participant(c.anouk), "safety.condition.resolve", waive)
		tt.do(coordinator, "meeting.close", nil)
	})
}

func TestChildVoiceStaysWithCoordinator(t *testing.T) {
	tt, c := playTo(t, PhaseWorries, sos)
	evs := tt.do(coordinator, "child.houses.set", map[string]string{"childName": "Kim", "worries": "Als papa boos is",
		"goesWell": "Voetbal met oma", "wishes": "Dat iedereen rustig praat"})
	child := safetyOf(t, tt.m) // the plan holds no draft
	if len(child.Children) != 0 {
		t.Fatal("a draft child's voice is in the safety plan")
	}
	for _, v := range []Viewer{{Role: RoleScreen}, {Role: RoleParticipant, ParticipantID: c.sanne, Admitted: true}} {
		if v.CanSee(evs[0]) || strings.Contains(mustJSON(t, tt.m.ViewFor(v)), "Als papa boos is") {
			t.Fatalf("%+v sees the child's houses before they are brought", v)
		}
	}
	if !(Viewer{Role: RoleCoordinator}).CanSee(evs[0]) {
		t.Fatal("the coordinator does not see the child's houses")
	}
	id := tt.m.Safety.Children[0].ID
	tt.with(t).fails(coordinator, "child.voice.bring", map[string]string{"childId": id, "bringerId": c.kim}, ECodeNotFound)
	evs = tt.do(coordinator, "child.voice.bring", map[string]string{"childId": id, "bringerId": c.els, "story": "Kim wil bij mama blijven"})
	if !(Viewer{Role: RoleScreen}).CanSee(evs[0]) {
		t.Fatal("a brought child's voice does not reach the table")
	}
	got := tt.m.ViewFor(Viewer{Role: RoleScreen}).Safety.Children
	if len(got) != 1 || got[0].BringerID != c.els || got[0].Wishes != "Dat iedereen rustig praat" {
		t.Fatalf("screen sees %+v", got)
	}
}

func TestProtectedSource(t *testing.T) {
	tt, c := playTo(t, PhaseWorries, sos)
	w := tt.worry(participant(c.anouk), "Er zijn zorgen over hoe het thuis gaat")
	t.Run("ErrFamilyWorry", func(t *testing.T) {
		tt := tt.with(t)
		mine := tt.worry(participant(c.sanne), "Ik ben moe")
		tt.fails(participant(c.sanne), "worry.source.set", map[string]string{"itemId": mine, "source": "x"}, ECodeForbidden)
	})
	t.Run("ErrNotOwnWorry", func(t *testing.T) {
		tt.with(t).fails(participant(c.sanne), "worry.source.set", map[string]string{"itemId": w, "source": "x"}, ECodeNotFound)
	})
	const secret = "Melding door juf Bakker van De Regenboog"
	evs := tt.do(participant(c.anouk), "worry.source.set", map[string]string{"itemId": w, "source": secret})
	for _, v := range []Viewer{{Role: RoleScreen}, {Role: RoleCoordinator}, {Role: RoleParticipant, ParticipantID: c.sanne, Admitted: true}} {
		if v.CanSee(evs[0]) {
			t.Fatalf("%+v receives the source", v)
		}
	}
	tt.fails(coordinator, "reveal", map[string]string{"kind": "worry"}, ECodeWordingUnchecked)
	tt.do(participant(c.anouk), "worry.wording.check", map[string]string{"itemId": w})
	// A new wording needs a new check.
	tt.do(participant(c.anouk), "worry.edit", map[string]string{"itemId": w, "text": "Kim is soms bang thuis"})
	tt.fails(coordinator, "reveal", map[string]string{"kind": "worry"}, ECodeWordingUnchecked)
	tt.do(participant(c.anouk), "worry.wording.check", map[string]string{"itemId": w})
	tt.do(coordinator, "reveal", map[string]string{"kind": "worry"})
	for _, ev := range tt.log {
		for _, v := range []Viewer{{Role: RoleScreen}, {Role: RoleParticipant, ParticipantID: c.sanne, Admitted: true}} {
			if v.CanSee(ev) && strings.Contains(string(ev.Data), "Bakker") {
				t.Fatalf("%+v received the source in %s", v, ev.Name)
			}
		}
	}
	for _, v := range []Viewer{{Role: RoleScreen}, {Role: RoleCoordinator}, {Role: RoleParticipant, ParticipantID: c.sanne, Admitted: true}} {
		if strings.Contains(mustJSON(t, tt.m.ViewFor(v)), "Bakker") {
			t.Fatalf("%+v sees the source in the view", v)
		}
	}
	if got := tt.m.ViewFor(Viewer{Role: RoleParticipant, ParticipantID: c.anouk, Admitted: true}).Safety.Sources; len(got) != 1 || got[0].Source != secret {
		t.Fatalf("the raiser sees %+v", got)
	}
	if got := tt.m.ProtectedSources(); len(got) != 1 || got[0].WorryID != w {
		t.Fatalf("ProtectedSources = %+v", got)
	}
}

func TestInterpreterAddsNothing(t *testing.T) {
	tt, c := playTo(t, PhaseWorries, sos)
	tolk := tt.party("Tolk", KindInterpreter)
	steun := tt.party("Steunpersoon", KindSupport)
	if p := tt.m.Party(tolk); p.Order != len(tt.m.Parties)-1 {
		t.Fatalf("interpreter speaks at %d of %d", p.Order, len(tt.m.Parties))
	}
	if p := tt.m.Party(steun); p.Order >= tt.m.Party(c.vt).Order {
		t.Fatal("a support person speaks after the professionals")
	}
	ali := tt.join("Ali", tolk)
	tt.fails(participant(ali), "worry.add", map[string]string{"text": "Ik vind ook iets"}, ECodeForbidden)
	tt.phase(PhaseCluster)
	tt.phase(PhaseRank)
	tt.fails(participant(ali), "ranking.set", map[string]any{"worryIds": []string{c.w1}}, ECodeForbidden)
}

func TestSafetyFollowUp(t *testing.T) {
	tt, c := closable(t)
	tt.do(participant(c.anouk), "safety.condition.set", map[string]string{"text": "Geen alcohol", "plain": "Papa drinkt niet"})
	cond := safetyOf(t, tt.m).Conditions[0].ID
	tt.do(coordinator, "safety.statement.set", map[string]string{"worryId": c.w1, "worried": "Veilig Thuis", "safetyGoal": "Kim is veilig"})
	tt.do(coordinator, "safety.scale.set", map[string]string{"question": "Hoe veilig?", "tenMeans": "veilig", "zeroMeans": "niet veilig"})
	scale := safetyOf(t, tt.m).Scales[0].ID
	tt.do(participant(c.sanne), "safety.score.set", map[string]any{"scaleId": scale, "score": 6})
	tt.do(participant(c.anouk), "safety.score.set", map[string]any{"scaleId": scale, "score": 3})
	tt.do(coordinator, "safety.agreement.add", map[string]any{"what": "Papa drinkt niet", "doerPartyId": c.father, "checkerPartyId": c.vt,
		"watcherPartyIds": []string{c.network}, "planB": "Oma haalt Kim", "answers": []string{cond}})
	tt.do(coordinator, "meeting.close", nil)
	prev, err := PreviousOf(tt.m)
	if err != nil {
		t.Fatal(err)
	}
	m, _, err := New(Header{ID: "m2", Options: sos}).FollowUp(prev)
	if err != nil {
		t.Fatal(err)
	}
	ft := &table{tb: t, m: m}
	party := func(name string) string { return ft.m.Parties[partyIndex(ft.m.Parties, name)].ID }
	sanne := ft.join("Sanne", party("Moeder"))
	ft.phase(PhaseReview)
	prevAgreement := prev.Version.Safety.Agreements[0].ID
	ft.do(coordinator, "safety.review.agreement.set", map[string]string{"agreementId": prevAgreement, "held": HeldPartly, "note": "Eén keer niet"})
	ft.do(coordinator, "safety.review.score.set", map[string]any{"scaleId": scale, "partyId": c.vt, "score": 5})
	ft.fails(coordinator, "safety.review.agreement.set", map[string]string{"agreementId": "sa999", "held": HeldYes}, ECodeNotFound)
	ft.phase(PhaseWorries)
	carried := created(ft.do(coordinator, "worry.carry", map[string]string{"worryId": prev.Worries[0].ID}))
	ft.phase(PhaseCluster)
	ft.phase(PhaseRank)
	ft.rank(sanne, carried)
	ft.phase(PhaseAgree)
	ft.do(coordinator, "agree.confirm", map[string]any{"worryIds": []string{carried}})
	ft.phase(PhasePlan)
	ft.do(coordinator, "safety.carry", nil)
	p := safetyOf(t, ft.m)
	if len(p.Scales) != 1 || p.Scales[0].Continues != scale || len(p.Scales[0].Scores) != 0 ||
		len(p.Agreements) != 1 || p.Agreements[0].Continues != prevAgreement || len(p.Agreements[0].Answers) != 1 ||
		len(p.Conditions) != 1 || len(p.Statements) != 1 || p.Statements[0].WorryID != carried {
		t.Fatalf("carried safety plan = %s", mustJSON(t, p))
	}
	ft.do(participant(sanne), "safety.score.set", map[string]any{"scaleId": p.Scales[0].ID, "score": 8})
	ch := ft.m.WhatChanged().Safety
	if ch == nil || len(ch.Agreements) != 1 || ch.Agreements[0].Held != HeldPartly || ch.Agreements[0].CarriedAs != p.Agreements[0].ID {
		t.Fatalf("agreement changes = %s", mustJSON(t, ch))
	}
	scores := map[string]string{}
	for _, s := range ch.Scores {
		scores[s.Party] = mustJSON(t, []*int{s.PreviousScore, s.ReviewScore, s.ScoreNow})
	}
	if scores["Moeder"] != "[6,null,8]" || scores["Veilig Thuis"] != "[3,5,null]" || len(scores) != 2 {
		t.Fatalf("score changes = %v", scores)
	}
}

func partyIndex(ps []Party, name string) int {
	for i, p := range ps {
		if p.Name == name {
			return i
		}
	}
	return -1
}

// created returns the id of the item the first event carries.
func created(evs []Event) string {
	var d itemData
	_ = json.Unmarshal(evs[0].Data, &d)
	return d.Item.ID
}
