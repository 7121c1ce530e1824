package meeting

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
)

// action adds an action to the plan and returns its id.
func (t *table) action(worryID, what, ownerPartyID, due string) string {
	t.tb.Helper()
	t.do(coordinator, "plan.action.add", map[string]any{"worryId": worryID, "what": what, "ownerPartyId": ownerPartyID, "due": due})
	return t.m.Plan.Actions[len(t.m.Plan.Actions)-1].ID
}

// closedWithPlan plays a meeting to a closed plan with goals, scores and two
// actions: the top 3 is w1 w2 w3; w1 scores 3, w2 scores 4, w3 has no score.
func closedWithPlan(tb testing.TB, opts Options) (*table, cast) {
	tb.Helper()
	tt, c := playTo(tb, PhasePlan, opts)
	tt.do(coordinator, "plan.goal.set", map[string]any{"worryId": c.w1, "goal": "Elke dag genoeg eten", "scoreNow": 3})
	tt.do(coordinator, "plan.goal.set", map[string]any{"worryId": c.w2, "goal": "Rust in huis", "scoreNow": 4})
	c.prevActions = []string{
		tt.action(c.w1, "Budgetcoach aanvragen", c.vt, "2027-01-15"),
		tt.action(c.w2, "Gezinsgesprek plannen", c.mother, ""),
	}
	tt.do(coordinator, "plan.details.set", map[string]any{"regisseurPartyId": c.vt, "regisseurRole": "Gezinscoach", "nextEvaluation": "2027-02-01"})
	tt.do(coordinator, "meeting.close", nil)
	return tt, c
}

// playFollowUp makes a follow-up of a closed meeting with a plan, lets the same
// people join (Kim waits in the lobby) and moves it to the review round.
func playFollowUp(tb testing.TB, opts Options) (*table, cast) {
	tb.Helper()
	prev, pc := closedWithPlan(tb, opts)
	return followUpOf(tb, prev, pc, opts)
}

// followUpOf makes a follow-up (id m2) of the closed meeting prev, as playFollowUp does.
func followUpOf(tb testing.TB, prev *table, pc cast, opts Options) (*table, cast) {
	tb.Helper()
	p, err := PreviousOf(prev.m)
	if err != nil {
		tb.Fatal(err)
	}
	tt := &table{tb: tb, m: New(Header{ID: "m2", FamilyLabel: "Gezin J.", Options: opts})}
	next, evs, err := tt.m.FollowUp(p)
	if err != nil {
		tb.Fatal(err)
	}
	tt.m, tt.log = next, evs
	c := cast{prevWorries: []string{pc.w1, pc.w2, pc.w3}, prevActions: pc.prevActions}
	c.mother, c.father = tt.m.partyNamed("Moeder"), tt.m.partyNamed("Vader")
	c.network, c.vt = tt.m.partyNamed("Buurvrouw"), tt.m.partyNamed("Veilig Thuis")
	c.sanne = tt.join("Sanne", c.mother)
	c.henk = tt.join("Henk", c.father)
	c.els = tt.join("Els", c.network)
	c.anouk = tt.join("Anouk", c.vt)
	c.kim = tt.pending("Kim", c.vt)
	tt.phase(PhaseReview)
	return tt, c
}

func TestPreviousOf(t *testing.T) {
	t.Run("ErrConflict/Open", func(t *testing.T) {
		tt, _ := playTo(t, PhasePlan, Options{})
		if _, err := PreviousOf(tt.m); ErrorCode(err) != ECodeConflict {
			t.Fatalf("PreviousOf an open meeting: %v, want conflict", err)
		}
	})
	t.Run("OK", func(t *testing.T) {
		tt, c := closedWithPlan(t, Options{})
		p, err := PreviousOf(tt.m)
		if err != nil {
			t.Fatal(err)
		}
		if p.MeetingID != "m1" || p.Version.Number != 1 || len(p.Version.Plan.Actions) != 2 || p.Version.Plan.NextEvaluation != "2027-02-01" {
			t.Fatalf("previous = %+v", p)
		}
		want := []struct {
			id, text, goal string
			score          string
		}{
			{c.w1, "Te weinig geld voor eten", "Elke dag genoeg eten", "3"},
			{c.w2, "Geen rust thuis", "Rust in huis", "4"},
			{c.w3, "Schulden lopen op", "", "-"},
		}
		if len(p.Worries) != len(want) {
			t.Fatalf("worries = %+v", p.Worries)
		}
		for i, w := range want {
			got := p.Worries[i]
			score := "-"
			if got.ScoreNow != nil {
				score = string(rune('0' + *got.ScoreNow))
			}
			if got.ID != w.id || got.Rank != i+1 || got.Text != w.text || got.Goal != w.goal || score != w.score {
				t.Errorf("worry %d = %+v, want %+v", i+1, got, w)
			}
		}
		var names []string
		for _, party := range p.Parties {
			names = append(names, party.Name)
		}
		if got := strings.Join(names, ","); got != "Moeder,Vader,Buurvrouw,Veilig Thuis" {
			t.Errorf("parties in speaking order = %s", got)
		}
		if p.PartyName(p.Worries[2].PartyID) != "Veilig Thuis" {
			t.Errorf("w3 was raised by %q", p.PartyName(p.Worries[2].PartyID))
		}
		// The previous meeting is not changed by being followed up.
		p.Version.Plan.Actions[0].What = "x"
		if tt.m.Versions[0].Plan.Actions[0].What == "x" {
			t.Fatal("PreviousOf shares the closed version's actions")
		}
	})
}

func TestFollowUp(t *testing.T) {
	prev, _ := closedWithPlan(t, Options{StrengthsRound: true})
	p, err := PreviousOf(prev.m)
	if err != nil {
		t.Fatal(err)
	}
	t.Run("OK", func(t *testing.T) {
		m := New(Header{ID: "m2", FamilyLabel: "Gezin J."})
		next, evs, err := m.FollowUp(p)
		if err != nil {
			t.Fatal(err)
		}
		if m.Seq != 0 || m.Previous != nil {
			t.Fatal("FollowUp changed the meeting it was called on")
		}
		if evs[0].Name != EvMeetingPrevious || evs[0].Seq != 1 || evs[0].Scope != ScopeTable {
			t.Fatalf("first event = %s seq %d scope %s", evs[0].Name, evs[0].Seq, evs[0].Scope)
		}
		if next.Previous == nil || next.Previous.Worries[0].Text != "Te weinig geld voor eten" {
			t.Fatalf("previous = %+v", next.Previous)
		}
		var got []string
		for _, party := range next.ViewFor(Viewer{Role: RoleCoordinator}).Parties {
			got = append(got, party.Name+"/"+string(party.Kind))
		}
		if want := "Moeder/family Vader/family Buurvrouw/network Veilig Thuis/professional"; strings.Join(got, " ") != want {
			t.Fatalf("parties = %v, want %s", got, want)
		}
		// Replaying the stored events gives the same state.
		r := New(Header{ID: "m2", FamilyLabel: "Gezin J."})
		for _, ev := range evs {
			if err := r.Apply(ev); err != nil {
				t.Fatal(err)
			}
		}
		if mustJSON(t, r) != mustJSON(t, next) {
			t.Fatal("replayed follow-up differs from the live one")
		}
	})
	t.Run("ErrConflict/HasEvents", func(t *testing.T) {
		tt, _ := playTo(t, PhaseLobby, Options{})
		if _, _, err := tt.m.FollowUp(p); ErrorCode(err) != ECodeConflict {
			t.Fatalf("FollowUp of a meeting with events: %v", err)
		}
	})
	t.Run("NotSeenByPendingJoiner", func(t *testing.T) {
		tt, c := playFollowUp(t, Options{})
		if v := tt.m.ViewFor(tt.m.ViewerFor(RoleParticipant, c.kim)); v.Previous != nil {
			t.Fatal("a pending joiner sees the previous plan")
		}
		for _, v := range []Viewer{{Role: RoleScreen}, tt.m.ViewerFor(RoleParticipant, c.sanne), {Role: RoleCoordinator}} {
			if got := tt.m.ViewFor(v); got.Previous == nil || len(got.Previous.Worries) != 3 {
				t.Fatalf("%s does not see the previous plan", v.Role)
			}
		}
	})
}

func TestFollowUpPhases(t *testing.T) {
	for _, tc := range []struct {
		name     string
		opts     Options
		from, to Phase
		code     string
	}{
		{"OK/LobbyToReview", Options{}, PhaseLobby, PhaseReview, ""},
		{"OK/SkipReview", Options{}, PhaseLobby, PhaseWorries, ""},
		{"OK/SkipReviewToStrengths", Options{StrengthsRound: true}, PhaseLobby, PhaseStrengths, ""},
		{"OK/ReviewToWorries", Options{}, PhaseReview, PhaseWorries, ""},
		{"OK/ReviewToStrengths", Options{StrengthsRound: true}, PhaseReview, PhaseStrengths, ""},
		{"OK/ReviewOverStrengths", Options{StrengthsRound: true}, PhaseReview, PhaseWorries, ""},
		{"OK/BackToLobby", Options{}, PhaseReview, PhaseLobby, ""},
		{"OK/BackToReviewOverMissingStrengths", Options{}, PhaseWorries, PhaseReview, ""},
		{"OK/BackToStrengths", Options{StrengthsRound: true}, PhaseWorries, PhaseStrengths, ""},
		{"ErrConflict/BackOverHeldReview", Options{}, PhaseWorries, PhaseLobby, ECodeConflict},
		{"ErrConflict/BackOverHeldStrengths", Options{StrengthsRound: true}, PhaseWorries, PhaseReview, ECodeConflict},
		{"ErrConflict/ReviewToCluster", Options{}, PhaseReview, PhaseCluster, ECodeConflict},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tt, _ := playFollowUp(t, tc.opts)
			if tc.from != PhaseReview {
				tt.phase(PhaseLobby)
			}
			if tc.from == PhaseWorries {
				tt.phase(PhaseWorries)
			}
			if tt.m.Phase != tc.from {
				t.Fatalf("set up in %s, want %s", tt.m.Phase, tc.from)
			}
			data := map[string]string{"phase": string(tc.to)}
			if tc.code != "" {
				tt.fails(coordinator, "phase.set", data, tc.code)
				return
			}
			tt.do(coordinator, "phase.set", data)
			if tt.m.Phase != tc.to {
				t.Fatalf("phase %s, want %s", tt.m.Phase, tc.to)
			}
		})
	}
	t.Run("ErrConflict/NoReviewInAFirstMeeting", func(t *testing.T) {
		tt, _ := playTo(t, PhaseLobby, Options{})
		tt.fails(coordinator, "phase.set", map[string]string{"phase": "review"}, ECodeConflict)
		if got := tt.m.NextPhase(); got != PhaseWorries {
			t.Fatalf("NextPhase of a first meeting = %s", got)
		}
	})
	t.Run("NextPhase", func(t *testing.T) {
		tt, _ := playFollowUp(t, Options{StrengthsRound: true})
		var path []string
		tt.phase(PhaseLobby)
		for tt.m.Phase != PhaseAgree {
			tt.phase(tt.m.NextPhase())
			path = append(path, string(tt.m.Phase))
		}
		if got := strings.Join(path, " "); got != "review strengths worries cluster rank agree" {
			t.Fatalf("path = %s", got)
		}
	})
}

func TestReviewActionSet(t *testing.T) {
	set := func(actionID, outcome, note string) map[string]string {
		return map[string]string{"actionId": actionID, "outcome": outcome, "note": note}
	}
	t.Run("OK", func(t *testing.T) {
		tt, c := playFollowUp(t, Options{})
		evs := tt.do(coordinator, "review.action.set", set(c.prevActions[0], "partly", "  Aangevraagd, nog geen coach\nwachtlijst "))
		if len(evs) != 1 || evs[0].Name != EvReviewUpdated || evs[0].Scope != ScopeTable {
			t.Fatalf("events = %+v", evs)
		}
		tt.do(coordinator, "review.action.set", set(c.prevActions[1], "not_done", ""))
		tt.do(coordinator, "review.action.set", set(c.prevActions[0], "done", "Coach is er"))
		want := []ActionReview{{c.prevActions[0], OutcomeDone, "Coach is er"}, {c.prevActions[1], OutcomeNotDone, ""}}
		if !slices.Equal(tt.m.Review.Actions, want) {
			t.Fatalf("review = %+v, want %+v", tt.m.Review.Actions, want)
		}
		if v := tt.m.ViewFor(Viewer{Role: RoleScreen}); len(v.Review.Actions) != 2 {
			t.Fatalf("the screen does not see the review: %+v", v.Review)
		}
	})
	t.Run("OKNoteKeptAsTyped", func(t *testing.T) {
		tt, c := playFollowUp(t, Options{})
		tt.do(coordinator, "review.action.set", set(c.prevActions[0], "partly", "  Aangevraagd\nwachtlijst "))
		if got := tt.m.Review.Actions[0].Note; got != "Aangevraagd\nwachtlijst" {
			t.Fatalf("note = %q", got)
		}
	})
	for _, tc := range []struct {
		name string
		data func(c cast) any
		code string
	}{
		{"ErrNotFound/UnknownAction", func(c cast) any { return set("a999", "done", "") }, ECodeNotFound},
		{"ErrNotFound/NoAction", func(c cast) any { return set("", "done", "") }, ECodeNotFound},
		{"ErrInvalidInput/Outcome", func(c cast) any { return set(c.prevActions[0], "klaar", "") }, ECodeInvalidInput},
		{"ErrInvalidInput/NoOutcome", func(c cast) any { return set(c.prevActions[0], "", "") }, ECodeInvalidInput},
		{"ErrInvalidInput/StatusIsNotAnOutcome", func(c cast) any { return set(c.prevActions[0], "open", "") }, ECodeInvalidInput},
		{"ErrInvalidInput/NoteControl", func(c cast) any { return set(c.prevActions[0], "done", "ok\x1b[2J") }, ECodeInvalidInput},
		{"ErrInvalidInput/NoteTooLong", func(c cast) any { return set(c.prevActions[0], "done", strings.Repeat("x", MaxTextLen+1)) }, ECodeInvalidInput},
		{"ErrInvalidInput/UnknownField", func(c cast) any {
			return map[string]string{"actionId": c.prevActions[0], "outcome": "done", "status": "done"}
		}, ECodeInvalidInput},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tt, c := playFollowUp(t, Options{})
			tt.fails(coordinator, "review.action.set", tc.data(c), tc.code)
		})
	}
	t.Run("OK/NothingChangesIsSilent", func(t *testing.T) {
		tt, c := playFollowUp(t, Options{})
		tt.do(coordinator, "review.action.set", set(c.prevActions[0], "done", "Klaar"))
		tt.silent(coordinator, "review.action.set", set(c.prevActions[0], "done", " Klaar "))
	})
	t.Run("ErrWrongPhase/AfterReview", func(t *testing.T) {
		tt, c := playFollowUp(t, Options{})
		tt.phase(PhaseWorries)
		tt.fails(coordinator, "review.action.set", set(c.prevActions[0], "done", ""), ECodeWrongPhase)
	})
}

func TestReviewScoreSet(t *testing.T) {
	score := func(worryID string, s any) map[string]any { return map[string]any{"worryId": worryID, "score": s} }
	t.Run("OK", func(t *testing.T) {
		tt, c := playFollowUp(t, Options{})
		tt.do(coordinator, "review.score.set", score(c.prevWorries[2], 7))
		tt.do(coordinator, "review.score.set", score(c.prevWorries[0], 0))
		tt.do(coordinator, "review.score.set", score(c.prevWorries[1], 10))
		// Kept in the previous top 3's order, whatever order they were given in.
		want := []ScoreReview{{c.prevWorries[0], 0}, {c.prevWorries[1], 10}, {c.prevWorries[2], 7}}
		if !slices.Equal(tt.m.Review.Scores, want) {
			t.Fatalf("scores = %+v, want %+v", tt.m.Review.Scores, want)
		}
		tt.do(coordinator, "review.score.set", score(c.prevWorries[1], nil))
		if got := tt.m.Review.Score(c.prevWorries[1]); got != nil || len(tt.m.Review.Scores) != 2 {
			t.Fatalf("a cleared score is %v, scores %+v", got, tt.m.Review.Scores)
		}
	})
	t.Run("OK/ClearWhatIsNotSetIsSilent", func(t *testing.T) {
		tt, c := playFollowUp(t, Options{})
		tt.silent(coordinator, "review.score.set", score(c.prevWorries[0], nil))
	})
	for _, tc := range []struct {
		name  string
		worry int // index into the previous worries; -1 for an unknown one
		score any
		code  string
	}{
		{"ErrInvalidInput/Eleven", 0, 11, ECodeInvalidInput},
		{"ErrInvalidInput/Negative", 0, -1, ECodeInvalidInput},
		{"ErrInvalidInput/Fraction", 0, 5.5, ECodeInvalidInput},
		{"ErrInvalidInput/String", 0, "5", ECodeInvalidInput},
		{"ErrNotFound/UnknownWorry", -1, 5, ECodeNotFound},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tt, c := playFollowUp(t, Options{})
			id := "w999"
			if tc.worry >= 0 {
				id = c.prevWorries[tc.worry]
			}
			tt.fails(coordinator, "review.score.set", score(id, tc.score), tc.code)
		})
	}
}

func TestWorryContinues(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		tt, c := playFollowUp(t, Options{})
		tt.phase(PhaseWorries)
		it := tt.add(participant(c.sanne), "worry.add", map[string]string{"text": "Nog steeds te weinig geld", "continues": c.prevWorries[0]})
		if it.Continues != c.prevWorries[0] || it.Revealed {
			t.Fatalf("item = %+v, want a draft that continues %s", it, c.prevWorries[0])
		}
		it = tt.add(participant(c.sanne), "worry.edit", map[string]any{"itemId": it.ID, "text": it.Text, "continues": c.prevWorries[1]})
		if it.Continues != c.prevWorries[1] {
			t.Fatalf("edited continues = %q", it.Continues)
		}
		it = tt.add(participant(c.sanne), "worry.edit", map[string]any{"itemId": it.ID, "text": "Geld"})
		if it.Continues != c.prevWorries[1] {
			t.Fatalf("an edit without continues changed it to %q", it.Continues)
		}
		it = tt.add(participant(c.sanne), "worry.edit", map[string]any{"itemId": it.ID, "text": "Geld", "continues": ""})
		if it.Continues != "" {
			t.Fatalf("continues not cleared: %q", it.Continues)
		}
		behalf := tt.add(coordinator, "worry.add", map[string]string{"text": "Schulden", "partyId": c.vt, "continues": c.prevWorries[2]})
		if behalf.Continues != c.prevWorries[2] || !behalf.OnBehalf {
			t.Fatalf("on behalf = %+v", behalf)
		}
	})
	t.Run("ErrNotFound/UnknownPrevious", func(t *testing.T) {
		tt, c := playFollowUp(t, Options{})
		tt.phase(PhaseWorries)
		tt.fails(participant(c.sanne), "worry.add", map[string]string{"text": "Geld", "continues": "w999"}, ECodeNotFound)
		tt.fails(participant(c.sanne), "worry.add", map[string]string{"text": "Geld", "continues": "a1"}, ECodeNotFound)
	})
	t.Run("ErrNotFound/FirstMeeting", func(t *testing.T) {
		tt, c := playTo(t, PhaseWorries, Options{})
		tt.fails(participant(c.sanne), "worry.add", map[string]string{"text": "Geld", "continues": c.w1}, ECodeNotFound)
		tt.fails(participant(c.sanne), "worry.edit", map[string]any{"itemId": c.w1, "text": "Geld", "continues": c.w2}, ECodeNotFound)
	})
	t.Run("ErrInvalidInput/Strength", func(t *testing.T) {
		tt, c := playFollowUp(t, Options{StrengthsRound: true})
		tt.phase(PhaseStrengths)
		tt.fails(participant(c.sanne), "strength.add", map[string]string{"text": "Oma helpt", "continues": c.prevWorries[0]}, ECodeInvalidInput)
	})
}

func TestWorryCarry(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		tt, c := playFollowUp(t, Options{})
		tt.phase(PhaseWorries)
		evs := tt.do(coordinator, "worry.carry", map[string]string{"worryId": c.prevWorries[2]})
		it := itemOf(t, evs[0])
		if evs[0].Scope != ScopeTable || !it.Revealed || !it.OnBehalf || it.Text != "Schulden lopen op" ||
			it.Continues != c.prevWorries[2] || it.PartyID != c.vt || it.AuthorIDs[0] != CoordinatorAuthor {
			t.Fatalf("carried %+v (scope %s), want Anouk's worry on the table for Veilig Thuis", it, evs[0].Scope)
		}
		if v := tt.m.ViewFor(Viewer{Role: RoleScreen}); len(v.Items) != 1 {
			t.Fatalf("the screen sees %d items, want the carried worry", len(v.Items))
		}
		tt.fails(coordinator, "worry.carry", map[string]string{"worryId": c.prevWorries[2]}, ECodeConflict)
		// Withdrawn, it can be carried again.
		tt.do(coordinator, "worry.withdraw", map[string]string{"itemId": it.ID})
		tt.do(coordinator, "worry.carry", map[string]string{"worryId": c.prevWorries[2], "partyId": c.mother})
		if got := tt.m.Items[len(tt.m.Items)-1]; got.PartyID != c.mother {
			t.Fatalf("carried for %s, want the party given", got.PartyID)
		}
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		tt, c := playFollowUp(t, Options{})
		tt.phase(PhaseWorries)
		tt.fails(coordinator, "worry.carry", map[string]string{"worryId": "w999"}, ECodeNotFound)
		tt.fails(coordinator, "worry.carry", map[string]string{"worryId": c.prevWorries[0], "partyId": "party999"}, ECodeNotFound)
	})
	t.Run("ErrConflict/FirstMeeting", func(t *testing.T) {
		tt, c := playTo(t, PhaseWorries, Options{})
		tt.fails(coordinator, "worry.carry", map[string]string{"worryId": c.w1}, ECodeConflict)
	})
}

func TestChanges(t *testing.T) {
	three, five, seven, eight := 3, 5, 7, 8
	prev := Previous{MeetingID: "m1", Date: "2026-12-01", Version: PlanVersion{Number: 1, Plan: Plan{Actions: []Action{
		{ID: "a1", WorryID: "w1", What: "Budgetcoach", OwnerPartyID: "party4", Due: "2027-01-15", Status: ActionOpen},
		{ID: "a2", WorryID: "w2", What: "Gezinsgesprek", OwnerPartyID: "party1", Status: ActionDoing},
	}}},
		Worries: []PreviousWorry{
			{ID: "w1", Rank: 1, Text: "Geld", ScoreNow: &three},
			{ID: "w2", Rank: 2, Text: "Rust"},
			{ID: "w3", Rank: 3, Text: "Schulden", ScoreNow: &five},
		},
		Parties: []Party{{ID: "party1", Name: "Moeder"}, {ID: "party4", Name: "Wijkteam"}}}
	review := Review{Actions: []ActionReview{{ActionID: "a1", Outcome: OutcomePartly, Note: "Wachtlijst"}},
		Scores: []ScoreReview{{WorryID: "w1", Score: 5}, {WorryID: "w3", Score: 8}}}
	line := func(w WorryChange) string {
		s := func(p *int) string {
			if p == nil {
				return "-"
			}
			return string(rune('0' + *p))
		}
		return w.PreviousID + ">" + w.WorryID + " " + s(w.PreviousScore) + s(w.ReviewScore) + s(w.ScoreNow)
	}
	lines := func(ws []WorryChange) string {
		var out []string
		for _, w := range ws {
			out = append(out, line(w))
		}
		return strings.Join(out, ",")
	}
	for _, tc := range []struct {
		name                string
		decided             bool
		next                []NextWorry
		kept, added, droppd string
	}{
		{"NotDecided", false, []NextWorry{{ID: "w9", Continues: []string{"w1"}}}, "", "", ""},
		{"AllNew", true, []NextWorry{{ID: "w7"}, {ID: "w8", ScoreNow: &seven}},
			"", ">w7 ---,>w8 --7", "w1> 35-,w2> ---,w3> 58-"},
		{"OneKept", true, []NextWorry{{ID: "w9", Continues: []string{"w1"}, ScoreNow: &seven}, {ID: "w10"}},
			"w1>w9 357", ">w10 ---", "w2> ---,w3> 58-"},
		{"MergedTwoPrevious", true, []NextWorry{{ID: "w9", Continues: []string{"w3", "w1"}, ScoreNow: &eight}},
			"w1>w9 358,w3>w9 588", "", "w2> ---"},
		{"AllKeptInNewOrder", true, []NextWorry{{ID: "w9", Continues: []string{"w3"}}, {ID: "w10", Continues: []string{"w2"}}, {ID: "w11", Continues: []string{"w1"}}},
			"w3>w9 58-,w2>w10 ---,w1>w11 35-", "", ""},
		{"ContinuesUnknownIsNew", true, []NextWorry{{ID: "w9", Continues: []string{"w99"}}},
			"", ">w9 ---", "w1> 35-,w2> ---,w3> 58-"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ch := Changes(prev, review, tc.decided, tc.next)
			if ch.Decided != tc.decided || ch.PreviousMeetingID != "m1" || ch.PreviousVersion != 1 || ch.PreviousDate != "2026-12-01" {
				t.Fatalf("header = %+v", ch)
			}
			if got := lines(ch.Kept); got != tc.kept {
				t.Errorf("kept = %s, want %s", got, tc.kept)
			}
			if got := lines(ch.New); got != tc.added {
				t.Errorf("new = %s, want %s", got, tc.added)
			}
			if got := lines(ch.Dropped); got != tc.droppd {
				t.Errorf("dropped = %s, want %s", got, tc.droppd)
			}
			if ch.Kept == nil || ch.New == nil || ch.Dropped == nil || ch.Actions == nil {
				t.Error("a list is nil; JSON wants []")
			}
			want := []ActionChange{
				{ActionID: "a1", WorryID: "w1", What: "Budgetcoach", OwnerPartyID: "party4", Owner: "Wijkteam", Due: "2027-01-15", Status: ActionOpen, Outcome: OutcomePartly, Note: "Wachtlijst"},
				{ActionID: "a2", WorryID: "w2", What: "Gezinsgesprek", OwnerPartyID: "party1", Owner: "Moeder", Status: ActionDoing},
			}
			if !slices.Equal(ch.Actions, want) {
				t.Errorf("actions = %+v", ch.Actions)
			}
		})
	}
	t.Run("Ranks", func(t *testing.T) {
		ch := Changes(prev, review, true, []NextWorry{{ID: "w9", Text: "Nieuw"}, {ID: "w10", Text: "Geld nog", Continues: []string{"w1"}}})
		if k := ch.Kept[0]; k.Rank != 2 || k.PreviousRank != 1 || k.Text != "Geld nog" || k.PreviousText != "Geld" {
			t.Errorf("kept = %+v", k)
		}
		if n := ch.New[0]; n.Rank != 1 || n.PreviousRank != 0 || n.Text != "Nieuw" {
			t.Errorf("new = %+v", n)
		}
		if d := ch.Dropped[0]; d.Rank != 0 || d.PreviousRank != 2 || d.PreviousText != "Rust" {
			t.Errorf("dropped = %+v", d)
		}
	})
}

// TestWhatChanged plays a follow-up from review to a closed plan: a carried
// worry, a participant's worry that continues another, merged into a new one.
func TestWhatChanged(t *testing.T) {
	tt, c := playFollowUp(t, Options{})
	tt.do(coordinator, "review.action.set", map[string]string{"actionId": c.prevActions[0], "outcome": "done"})
	tt.do(coordinator, "review.score.set", map[string]any{"worryId": c.prevWorries[0], "score": 6})
	tt.phase(PhaseWorries)
	carried := itemOf(t, tt.do(coordinator, "worry.carry", map[string]string{"worryId": c.prevWorries[1]})[0]).ID
	fresh := tt.worry(participant(c.henk), "Oudste zoon spijbelt")
	money := tt.add(participant(c.sanne), "worry.add", map[string]string{"text": "Eten blijft lastig", "continues": c.prevWorries[0]}).ID
	tt.do(coordinator, "reveal", map[string]string{})
	tt.phase(PhaseCluster)
	tt.do(coordinator, "worry.merge", map[string]string{"intoId": fresh, "fromId": money})
	if ch := tt.m.WhatChanged(); ch == nil || ch.Decided || len(ch.Kept)+len(ch.New)+len(ch.Dropped) != 0 || ch.Actions[0].Outcome != OutcomeDone {
		t.Fatalf("before the agreement: %+v", ch)
	}
	tt.phase(PhaseRank)
	tt.rank(c.sanne, fresh, carried)
	tt.phase(PhaseAgree)
	tt.do(coordinator, "agree.confirm", map[string]any{"worryIds": []string{fresh, carried}})
	tt.phase(PhasePlan)
	tt.do(coordinator, "plan.goal.set", map[string]any{"worryId": fresh, "goal": "Naar school", "scoreNow": 5})
	ch := tt.m.WhatChanged()
	if !ch.Decided || len(ch.Kept) != 2 || len(ch.New) != 0 || len(ch.Dropped) != 1 {
		t.Fatalf("changes = %+v", ch)
	}
	// The fresh worry carries on the money worry through the worry merged into it.
	if k := ch.Kept[0]; k.WorryID != fresh || k.PreviousID != c.prevWorries[0] || *k.PreviousScore != 3 || *k.ReviewScore != 6 || *k.ScoreNow != 5 {
		t.Errorf("kept[0] = %+v", k)
	}
	if k := ch.Kept[1]; k.WorryID != carried || k.PreviousID != c.prevWorries[1] || k.ScoreNow != nil {
		t.Errorf("kept[1] = %+v", k)
	}
	if d := ch.Dropped[0]; d.PreviousID != c.prevWorries[2] {
		t.Errorf("dropped = %+v", d)
	}
	tt.do(coordinator, "plan.details.set", map[string]any{"regisseurPartyId": c.vt, "nextEvaluation": "2027-06-01"})
	tt.do(coordinator, "meeting.close", nil)
	closed := tt.m.WhatChanged()
	if mustJSON(t, closed) != mustJSON(t, ch) {
		t.Errorf("closed changes differ from the plan's:\n%s\n%s", mustJSON(t, closed), mustJSON(t, ch))
	}
	first, _ := closedWithPlan(t, Options{})
	if first.m.WhatChanged() != nil {
		t.Error("a first meeting has changes")
	}

	t.Run("Replay", func(t *testing.T) {
		m := New(Header{ID: "m2", FamilyLabel: "Gezin J."})
		for _, ev := range tt.log {
			if err := m.Apply(ev); err != nil {
				t.Fatal(err)
			}
		}
		if got, want := mustJSON(t, m), mustJSON(t, tt.m); got != want {
			t.Fatalf("replayed follow-up differs:\nreplayed %s\nlive     %s", got, want)
		}
	})
	t.Run("JSON", func(t *testing.T) {
		var v View
		if err := json.Unmarshal([]byte(mustJSON(t, tt.m.ViewFor(Viewer{Role: RoleScreen}))), &v); err != nil {
			t.Fatal(err)
		}
		if v.Previous == nil || len(v.Review.Actions) != 1 || len(v.Review.Scores) != 1 {
			t.Fatalf("view after JSON: previous %v review %+v", v.Previous, v.Review)
		}
	})
}
