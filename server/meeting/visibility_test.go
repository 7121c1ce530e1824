package meeting

import (
	"encoding/json"
	"slices"
	"sort"
	"strings"
	"testing"
)

// secret is a meeting in the rank phase that still holds drafts and individual
// rankings. Every draft's text contains "GEHEIM", so a leak is easy to find.
type secret struct {
	*table
	cast
	draftSanne  string // Sanne's draft, never revealed
	draftHenk   string // Henk's draft, withdrawn before any reveal
	draftBehalf string // typed by the coordinator for the father, never revealed
	revealedVT  string // Anouk's worry, revealed with her party only
	jip         string // a late joiner, pending
}

func playSecrets(tb testing.TB) *secret {
	tb.Helper()
	tt, c := playTo(tb, PhaseWorries, Options{})
	s := &secret{table: tt, cast: c}
	s.draftSanne = tt.worry(participant(c.sanne), "GEHEIM van Sanne: ik ben bang")
	s.draftHenk = tt.worry(participant(c.henk), "GEHEIM van Henk: ik drink te veel")
	tt.do(participant(c.henk), "worry.withdraw", map[string]string{"itemId": s.draftHenk})
	s.draftBehalf = tt.add(coordinator, "worry.add", map[string]string{"text": "GEHEIM namens vader", "partyId": c.father}).ID
	s.revealedVT = tt.worry(participant(c.anouk), "Onthuld door Veilig Thuis")
	tt.do(coordinator, "reveal", map[string]string{"partyId": c.vt})
	tt.phase(PhaseCluster)
	tt.do(coordinator, "worry.merge", map[string]string{"intoId": c.w1, "fromId": c.w4})
	tt.phase(PhaseRank)
	tt.rank(c.sanne, c.w1, c.w2)
	tt.rank(c.henk, c.w3, s.revealedVT)
	tt.rank(c.els, c.w3)
	tt.do(coordinator, "participant.remove", map[string]string{"participantId": c.els})
	tt.rank(c.anouk, c.w2)
	tt.do(coordinator, "ranking.close", nil)
	s.jip = tt.pending("Jip", c.network)
	return s
}

func (s *secret) viewer(role Role, pid string) Viewer { return s.m.ViewerFor(role, pid) }

func TestCanSee(t *testing.T) {
	tt, c := playTo(t, PhaseWorries, Options{})
	oma := tt.join("Oma", c.mother)
	draft := tt.do(participant(c.sanne), "worry.add", map[string]string{"text": "Geheim"})[0]
	d := itemOf(t, draft).ID
	edit := tt.do(participant(c.sanne), "worry.edit", map[string]string{"itemId": d, "text": "Nog steeds geheim"})[0]
	behalf := tt.do(coordinator, "worry.add", map[string]string{"text": "Namens moeder", "partyId": c.mother})[0]
	revealed := tt.do(coordinator, "reveal", nil)[0]
	join := tt.do(Actor{Role: RoleJoiner}, "participant.join", map[string]string{"name": "Jip", "partyId": c.network})[0]
	var jd participantData
	_ = json.Unmarshal(join.Data, &jd)
	jip := jd.Participant.ID
	admit := tt.do(coordinator, "participant.admit", map[string]string{"participantId": c.kim})[0]
	tt.phase(PhaseCluster)
	phase := tt.do(coordinator, "phase.set", map[string]string{"phase": "rank"})[0]
	evs := tt.do(participant(c.sanne), "ranking.set", map[string]any{"worryIds": []string{c.w2}})
	mine, result := evs[0], evs[1]
	tt.do(coordinator, "participant.remove", map[string]string{"participantId": c.henk})
	viewerFor := tt.m.ViewerFor

	viewers := []struct {
		name string
		v    Viewer
	}{
		{"coordinator", viewerFor(RoleCoordinator, "")},
		{"screen", viewerFor(RoleScreen, "")},
		{"author", viewerFor(RoleParticipant, c.sanne)},
		{"otherParticipant", viewerFor(RoleParticipant, c.anouk)},
		{"sameParty", viewerFor(RoleParticipant, oma)},
		{"pendingJoiner", viewerFor(RoleParticipant, jip)},
		{"removed", viewerFor(RoleParticipant, c.henk)},
		{"joinerRole", Viewer{Role: RoleJoiner}},
	}
	//                                             coord  screen author other  same   pending removed joiner
	for _, tc := range []struct {
		name string
		ev   Event
		want [8]bool
	}{
		{"draft", draft, [8]bool{false, false, true, false, false, false, false, false}},
		{"draftEdit", edit, [8]bool{false, false, true, false, false, false, false, false}},
		{"draftOnBehalf", behalf, [8]bool{true, false, false, false, false, false, false, false}},
		{"revealed", revealed, [8]bool{true, true, true, true, true, false, false, false}},
		{"rankingMine", mine, [8]bool{false, false, true, false, false, false, false, false}},
		{"rankingResult", result, [8]bool{true, true, true, true, true, false, false, false}},
		{"joinOfPending", join, [8]bool{true, false, false, false, false, true, false, false}},
		// Someone else's admission carries their name: not for the lobby.
		{"admit", admit, [8]bool{true, true, true, true, true, false, false, false}},
		{"phase", phase, [8]bool{true, true, true, true, true, true, true, true}},
		{"unknownScope", Event{Seq: 99, Name: EvItemUpserted, Scope: "secret"}, [8]bool{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for i, v := range viewers {
				if got := v.v.CanSee(tc.ev); got != tc.want[i] {
					t.Errorf("%s CanSee(%s %s) = %v, want %v", v.name, tc.ev.Name, tc.ev.Scope, got, tc.want[i])
				}
			}
		})
	}
	// The person admitted learns it while still pending on their socket.
	if !(Viewer{Role: RoleParticipant, ParticipantID: c.kim}).CanSee(admit) {
		t.Error("a pending participant does not see their own admission")
	}
	// The same participant ids on another role must not unlock private events.
	if (Viewer{Role: RoleScreen, ParticipantID: c.sanne}).CanSee(draft) || (Viewer{Role: RoleCoordinator, ParticipantID: c.sanne}).CanSee(mine) {
		t.Error("a screen or coordinator carrying a participant id sees that participant's private events")
	}
	if (Viewer{Role: RoleParticipant}).CanSee(behalf) {
		t.Error("a participant without an id sees a draft typed on behalf of a party")
	}
}

func TestViewFor(t *testing.T) {
	s := playSecrets(t)
	c := s.cast
	revealed := []string{c.w1, c.w2, c.w3, c.w4, s.revealedVT}
	for _, tc := range []struct {
		name         string
		v            Viewer
		items        []string
		participants []string
		myRanking    []string
	}{
		{"Screen", s.viewer(RoleScreen, ""), revealed, []string{c.sanne, c.henk, c.anouk}, []string{}},
		{"Coordinator", s.viewer(RoleCoordinator, ""), append(slices.Clone(revealed), s.draftBehalf),
			[]string{c.sanne, c.henk, c.els, c.anouk, c.kim, s.jip}, []string{}},
		{"Author", s.viewer(RoleParticipant, c.sanne), append(slices.Clone(revealed), s.draftSanne),
			[]string{c.sanne, c.henk, c.anouk}, []string{c.w1, c.w2}},
		{"WithdrawnDraftStaysOwn", s.viewer(RoleParticipant, c.henk), append(slices.Clone(revealed), s.draftHenk),
			[]string{c.sanne, c.henk, c.anouk}, []string{c.w3, s.revealedVT}},
		{"OtherParticipant", s.viewer(RoleParticipant, c.anouk), revealed, []string{c.sanne, c.henk, c.anouk}, []string{c.w2}},
		{"Pending", s.viewer(RoleParticipant, c.kim), []string{}, []string{c.kim}, []string{}},
		{"Removed", s.viewer(RoleParticipant, c.els), []string{}, []string{c.els}, []string{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v := s.m.ViewFor(tc.v)
			got := itemIDs(v.Items)
			sort.Strings(got)
			want := slices.Clone(tc.items)
			sort.Strings(want)
			if !slices.Equal(got, want) {
				t.Errorf("items %v, want %v", got, want)
			}
			var ps []string
			for _, p := range v.Participants {
				ps = append(ps, p.ID)
			}
			if !slices.Equal(ps, tc.participants) {
				t.Errorf("participants %v, want %v", ps, tc.participants)
			}
			if !slices.Equal(v.MyRanking, tc.myRanking) {
				t.Errorf("myRanking %v, want %v", v.MyRanking, tc.myRanking)
			}
			raw := mustJSON(t, v)
			for _, id := range []string{s.draftSanne, s.draftHenk, s.draftBehalf} {
				if !slices.Contains(tc.items, id) && strings.Contains(raw, `"`+id+`"`) {
					t.Errorf("the view names draft %s it may not see", id)
				}
			}
			if n := strings.Count(raw, "GEHEIM"); n != len(tc.items)-len(revealed) && len(tc.items) > 0 {
				t.Errorf("the view holds %d secret texts, want %d: %s", n, len(tc.items)-len(revealed), raw)
			}
			if v.Seq != s.m.Seq || v.Phase != PhaseRank || v.FamilyLabel != "Gezin J." || len(v.Parties) != 4 {
				t.Errorf("header %+v seq %d parties %d", v.Header, v.Seq, len(v.Parties))
			}
		})
	}
	t.Run("PendingSeesNoTable", func(t *testing.T) {
		for _, pid := range []string{c.kim, c.els, "p999"} {
			v := s.m.ViewFor(s.viewer(RoleParticipant, pid))
			if strings.Contains(mustJSON(t, v), "GEHEIM") || len(v.Items) != 0 || len(v.Ranking.Worries) != 0 ||
				len(v.Ranking.RankedBy) != 0 || len(v.Ranking.Top3) != 0 || v.Ranking.Voters != 0 {
				t.Errorf("%s (not at the table) sees %s", pid, mustJSON(t, v))
			}
			if mustJSON(t, v.Agreement) != `{"confirmed":false,"worryIds":[],"overrideReason":"","dissent":[],"akkoord":[]}` {
				t.Errorf("%s sees agreement %s", pid, mustJSON(t, v.Agreement))
			}
		}
	})
	t.Run("TableSeesAggregate", func(t *testing.T) {
		v := s.m.ViewFor(s.viewer(RoleScreen, ""))
		if mustJSON(t, v.Ranking) != mustJSON(t, s.m.SharedRanking()) || !v.Ranking.Closed {
			t.Fatalf("screen ranking %s, want %s", mustJSON(t, v.Ranking), mustJSON(t, s.m.SharedRanking()))
		}
		// Every party has one voter: no party's own top 3 and no points per party,
		// and Veilig Thuis is the only professional, so no professionals' top 3.
		if len(v.Ranking.PartyTop3) != 0 || len(v.Ranking.ProfessionalTop3) != 0 || len(v.Ranking.Worries[0].ByParty) != 0 {
			t.Fatalf("the screen's result holds a single voter's ballot: %s", mustJSON(t, v.Ranking))
		}
		if !slices.Equal(v.Ranking.RankedBy, []string{c.sanne, c.henk, c.anouk}) {
			t.Fatalf("rankedBy %v: the removed Els must not count", v.Ranking.RankedBy)
		}
	})
	t.Run("NoNullLists", func(t *testing.T) {
		m := New(Header{ID: "m2", FamilyLabel: "Gezin K."})
		for _, v := range []Viewer{{Role: RoleScreen}, {Role: RoleParticipant, ParticipantID: "p1"}} {
			// previous is an object, null for a first meeting; every list is [].
			raw := strings.Replace(mustJSON(t, m.ViewFor(v)), `"previous":null`, "", 1)
			if strings.Contains(raw, "null") {
				t.Errorf("view of an empty meeting has null lists: %s", raw)
			}
		}
	})
}

func TestViewForPartiesInSpeakingOrder(t *testing.T) {
	tt := newTable(t, Options{})
	pro := tt.party("Gebiedsteam", KindProfessional)
	net := tt.party("Buurman", KindNetwork)
	mom := tt.party("Moeder", KindFamily)
	for _, v := range []Viewer{{Role: RoleScreen}, {Role: RoleCoordinator}, {Role: RoleParticipant, ParticipantID: "p9"}} {
		var got []string
		for _, p := range tt.m.ViewFor(v).Parties {
			got = append(got, p.ID)
		}
		if want := []string{mom, net, pro}; !slices.Equal(got, want) {
			t.Errorf("%s sees parties %v, want speaking order %v (family first)", v.Role, got, want)
		}
	}
}

// TestEventsAgreeWithView folds only the events each viewer may receive, as a client
// does, and checks that it ends with the same items, own ranking, agreement and plan
// as the snapshot ViewFor gives that viewer: the two ways of sending state agree.
func TestEventsAgreeWithView(t *testing.T) {
	s := playSecrets(t)
	c := s.cast
	s.phase(PhaseAgree)
	s.do(coordinator, "agree.confirm", map[string]any{"worryIds": []string{c.w2, c.w3}, "reason": "Samen gekozen"})
	s.do(participant(c.sanne), "agree.akkoord", nil)
	s.do(participant(c.anouk), "agree.dissent", map[string]string{"text": "Te weinig over veiligheid"})
	s.phase(PhasePlan)
	s.do(coordinator, "plan.goal.set", map[string]any{"worryId": c.w2, "goal": "Rust", "scoreNow": 4})
	for _, tc := range []struct {
		name string
		v    Viewer
	}{
		{"Coordinator", s.viewer(RoleCoordinator, "")},
		{"Screen", s.viewer(RoleScreen, "")},
		{"Sanne", s.viewer(RoleParticipant, c.sanne)},
		{"Henk", s.viewer(RoleParticipant, c.henk)},
		{"Anouk", s.viewer(RoleParticipant, c.anouk)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			items := map[string]Item{}
			myRanking := []string{}
			agreement, plan := Agreement{}, Plan{}
			for _, ev := range s.log {
				if !tc.v.CanSee(ev) {
					continue
				}
				switch ev.Name {
				case EvItemUpserted:
					it := itemOf(t, ev)
					items[it.ID] = it
				case EvItemsRevealed:
					for _, it := range revealedItems(t, ev) {
						items[it.ID] = it
					}
				case EvRankingMine:
					var d rankingData
					_ = json.Unmarshal(ev.Data, &d)
					if d.ParticipantID != tc.v.ParticipantID {
						t.Fatalf("%s received %s's ranking", tc.name, d.ParticipantID)
					}
					myRanking = append([]string{}, d.WorryIDs...)
				case EvAgreementUpdated:
					var d agreementData
					_ = json.Unmarshal(ev.Data, &d)
					agreement = d.Agreement
				case EvDissentUpserted:
					var d dissentData
					_ = json.Unmarshal(ev.Data, &d)
					agreement.Dissent = slices.DeleteFunc(agreement.Dissent, func(x Dissent) bool { return x.ParticipantID == d.Dissent.ParticipantID })
					if d.Dissent.Text != "" {
						agreement.Dissent = append(agreement.Dissent, d.Dissent)
					}
				case EvPlanUpdated:
					var d planData
					_ = json.Unmarshal(ev.Data, &d)
					plan = d.Plan
				}
			}
			view := s.m.ViewFor(tc.v)
			var folded []Item
			for _, it := range items {
				folded = append(folded, it)
			}
			sort.Slice(folded, func(i, j int) bool { return folded[i].Order < folded[j].Order })
			if got, want := mustJSON(t, folded), mustJSON(t, view.Items); got != want {
				t.Errorf("items from events:\n%s\nfrom the view:\n%s", got, want)
			}
			if !slices.Equal(myRanking, view.MyRanking) {
				t.Errorf("own ranking from events %v, from the view %v", myRanking, view.MyRanking)
			}
			if got, want := mustJSON(t, agreement), mustJSON(t, view.Agreement); got != want {
				t.Errorf("agreement from events %s, from the view %s", got, want)
			}
			if got, want := mustJSON(t, plan), mustJSON(t, view.Plan); got != want {
				t.Errorf("plan from events %s, from the view %s", got, want)
			}
		})
	}
}

// TestAbandonedPlanWithheld: a meeting ended without a plan shows phones and
// the screen no plan, so their views hold none of the half-written one (least
// data); the coordinator keeps it. Every plan text contains "HALFPLAN".
func TestAbandonedPlanWithheld(t *testing.T) {
	t.Run("SignsOfSafety", func(t *testing.T) {
		tt, c := playTo(t, PhasePlan, sos)
		tt.do(coordinator, "plan.goal.set", map[string]any{"worryId": c.w1, "goal": "HALFPLAN doel", "scoreNow": 3})
		tt.action(c.w1, "HALFPLAN actie", c.vt, "")
		tt.do(coordinator, "plan.details.set", map[string]any{"regisseurPartyId": c.vt, "regisseurRole": "HALFPLAN regisseur", "nextEvaluation": "2027-02-01"})
		tt.do(coordinator, "plan.contact.set", map[string]string{"role": "HALFPLAN rol", "organisation": "HALFPLAN wijkteam"})
		tt.do(coordinator, "safety.statement.set", map[string]string{"worryId": c.w1, "worried": "HALFPLAN wie",
			"happened": "HALFPLAN gebeurd", "mayHappen": "HALFPLAN kan gebeuren", "safetyGoal": "HALFPLAN veiligheidsdoel"})
		tt.do(coordinator, "safety.scale.set", map[string]string{"question": "HALFPLAN vraag", "tenMeans": "HALFPLAN tien", "zeroMeans": "HALFPLAN nul"})
		scale := safetyOf(t, tt.m).Scales[0].ID
		tt.do(participant(c.sanne), "safety.score.set", map[string]any{"scaleId": scale, "score": 6})
		tt.do(participant(c.sanne), "safety.note.add", map[string]string{"kind": "existing", "text": "HALFPLAN oma helpt"})
		tt.do(coordinator, "safety.agreement.add", map[string]any{"what": "HALFPLAN afspraak", "doerPartyId": c.father,
			"checkerPartyId": c.vt, "planB": "HALFPLAN plan B"})
		tt.do(participant(c.anouk), "safety.condition.set", map[string]string{"text": "HALFPLAN voorwaarde", "plain": "HALFPLAN in gewone woorden"})
		tt.do(coordinator, "child.houses.set", map[string]string{"childName": "Kim", "worries": "HALFPLAN huis van zorgen"})
		tt.do(coordinator, "child.voice.bring", map[string]string{"childId": tt.m.Safety.Children[0].ID, "bringerId": c.els, "story": "HALFPLAN verhaal"})
		viewers := map[string]Viewer{"screen": {Role: RoleScreen}, "mother": tt.m.ViewerFor(RoleParticipant, c.sanne),
			"professional": tt.m.ViewerFor(RoleParticipant, c.anouk), "pending": tt.m.ViewerFor(RoleParticipant, c.kim)}
		// Before the end the table sees the plan: the test would find a leak.
		if !strings.Contains(mustJSON(t, tt.m.ViewFor(viewers["mother"])), "HALFPLAN") {
			t.Fatal("the mother does not see the plan while it is written")
		}
		evs := tt.do(coordinator, "meeting.abandon", map[string]string{"reason": "stopped_early"})
		for name, v := range viewers {
			view := tt.m.ViewFor(v)
			if s := mustJSON(t, view); strings.Contains(s, "HALFPLAN") {
				t.Errorf("%s's view after the end holds the plan: %s", name, s)
			}
			if v.Role == RoleParticipant && !v.Admitted {
				continue // the lobby never had a plan part
			}
			if view.Safety == nil || view.Safety.Plan.Statements == nil || view.Safety.Children == nil || view.Plan.Goals == nil {
				t.Errorf("%s's view has null lists: %s", name, mustJSON(t, view))
			}
			if view.Agreement.Confirmed != true || len(view.Items) == 0 || !view.EndedWithoutPlan {
				t.Errorf("%s's view lost more than the plan: %+v", name, view.Header)
			}
			for _, ev := range evs {
				if v.CanSee(ev) && strings.Contains(string(ev.Data), "HALFPLAN") {
					t.Errorf("%s receives %s with the plan", name, ev.Name)
				}
			}
		}
		coord := mustJSON(t, tt.m.ViewFor(Viewer{Role: RoleCoordinator}))
		for _, want := range []string{"HALFPLAN doel", "HALFPLAN actie", "HALFPLAN wijkteam", "HALFPLAN veiligheidsdoel", "HALFPLAN tien",
			"HALFPLAN oma helpt", "HALFPLAN plan B", "HALFPLAN in gewone woorden", "HALFPLAN verhaal"} {
			if !strings.Contains(coord, want) {
				t.Errorf("the coordinator's view lost %q", want)
			}
		}
	})
	t.Run("FollowUpReview", func(t *testing.T) {
		tt, c := playTo(t, PhaseReview, Options{})
		tt.do(coordinator, "review.action.set", map[string]string{"actionId": c.prevActions[0], "outcome": "partly", "note": "HALFPLAN half gedaan"})
		tt.do(coordinator, "meeting.abandon", map[string]string{"reason": "family_absent"})
		for name, v := range map[string]Viewer{"screen": {Role: RoleScreen}, "mother": tt.m.ViewerFor(RoleParticipant, c.sanne)} {
			if view := tt.m.ViewFor(v); strings.Contains(mustJSON(t, view), "HALFPLAN") || view.Review.Actions == nil {
				t.Errorf("%s's view after the end: review %+v", name, view.Review)
			}
		}
		if !strings.Contains(mustJSON(t, tt.m.ViewFor(Viewer{Role: RoleCoordinator})), "HALFPLAN half gedaan") {
			t.Error("the coordinator's view lost the review")
		}
	})
}
