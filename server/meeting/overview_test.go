package meeting

import (
	"strings"
	"testing"
)

func TestAttendance(t *testing.T) {
	tt, c := playTo(t, PhaseLobby, Options{})
	want := Attendance{PartiesInvited: 4, PartiesPresent: 4, People: 4, FamilyPeople: 2, NetworkPeople: 1, ProfessionalPeople: 1}
	if got := tt.m.Attendance(); got != want {
		t.Fatalf("attendance = %+v, want %+v (Kim is still waiting)", got, want)
	}
	tt.do(coordinator, "participant.remove", map[string]string{"participantId": c.henk})
	tt.do(coordinator, "participant.admit", map[string]string{"participantId": c.kim})
	tt.party("Oma", KindFamily)
	want = Attendance{PartiesInvited: 5, PartiesPresent: 3, People: 4, FamilyPeople: 1, NetworkPeople: 1, ProfessionalPeople: 2}
	if got := tt.m.Attendance(); got != want {
		t.Fatalf("attendance = %+v, want %+v", got, want)
	}
}

// openActions writes a timeline's open actions as "what/owner/due/outcome/overdue".
func openActions(tl Timeline) string {
	var out []string
	for _, a := range tl.OpenActions {
		s := a.What + "/" + a.Owner + "/" + a.Due + "/" + string(a.Outcome)
		if a.Overdue {
			s += "/overdue"
		}
		out = append(out, s)
	}
	return strings.Join(out, ", ")
}

func TestFamilyTimeline(t *testing.T) {
	t.Run("Empty", func(t *testing.T) {
		tl := FamilyTimeline(nil, "2027-01-01")
		if tl.Meetings == nil || tl.OpenActions == nil || tl.CurrentPlan != nil || tl.NextEvaluation != "" {
			t.Fatalf("empty timeline = %+v", tl)
		}
	})
	t.Run("OpenMeetingHasNoPlanYet", func(t *testing.T) {
		tt, _ := playTo(t, PhasePlan, Options{})
		tl := FamilyTimeline([]*Meeting{tt.m}, "2027-01-01")
		if len(tl.Meetings) != 1 || tl.CurrentPlan != nil || len(tl.OpenActions) != 0 || tl.Meetings[0].Phase != PhasePlan {
			t.Fatalf("timeline = %+v", tl)
		}
	})

	first, fc := closedWithPlan(t, Options{})
	for _, tc := range []struct {
		name, today, actions string
		late                 bool
	}{
		{"BeforeDue", "2027-01-10", "Budgetcoach aanvragen/Veilig Thuis/2027-01-15/, Gezinsgesprek plannen/Moeder//", false},
		{"OnDueDateNotOverdue", "2027-01-15", "Budgetcoach aanvragen/Veilig Thuis/2027-01-15/, Gezinsgesprek plannen/Moeder//", false},
		{"Overdue", "2027-01-16", "Budgetcoach aanvragen/Veilig Thuis/2027-01-15//overdue, Gezinsgesprek plannen/Moeder//", false},
		{"EvaluationLate", "2027-02-02", "Budgetcoach aanvragen/Veilig Thuis/2027-01-15//overdue, Gezinsgesprek plannen/Moeder//", true},
	} {
		t.Run("FirstPlan/"+tc.name, func(t *testing.T) {
			tl := FamilyTimeline([]*Meeting{first.m}, tc.today)
			if got := openActions(tl); got != tc.actions {
				t.Errorf("open actions = %s\nwant %s", got, tc.actions)
			}
			if tl.NextEvaluation != "2027-02-01" || tl.EvaluationLate != tc.late {
				t.Errorf("evaluation %s late %v, want 2027-02-01 late %v", tl.NextEvaluation, tl.EvaluationLate, tc.late)
			}
			if tl.CurrentPlan == nil || tl.CurrentPlan.MeetingID != "m1" || tl.CurrentPlan.Version != 1 {
				t.Errorf("current plan = %+v", tl.CurrentPlan)
			}
			m := tl.Meetings[0]
			if len(m.Versions) != 1 || m.Versions[0].Actions != 2 || m.Versions[0].Regisseur != "Veilig Thuis" ||
				m.Versions[0].Top3[0].Text != "Te weinig geld voor eten" || *m.Versions[0].Top3[0].ScoreNow != 3 || m.Changes != nil {
				t.Errorf("meeting = %+v", m)
			}
			if m.Attendance.People != 4 {
				t.Errorf("attendance = %+v", m.Attendance)
			}
		})
	}

	t.Run("FollowUpReviewsActions", func(t *testing.T) {
		next, c := followUpOf(t, first, fc, Options{})
		next.do(coordinator, "review.action.set", map[string]string{"actionId": c.prevActions[0], "outcome": "done"})
		next.do(coordinator, "review.action.set", map[string]string{"actionId": c.prevActions[1], "outcome": "partly"})
		tl := FamilyTimeline([]*Meeting{first.m, next.m}, "2027-01-16")
		if got, want := openActions(tl), "Gezinsgesprek plannen/Moeder//partly"; got != want {
			t.Errorf("open actions = %s, want %s (the budgetcoach was reviewed as done)", got, want)
		}
		if tl.FollowUpMeetingID != "m2" || tl.CurrentPlan.MeetingID != "m1" {
			t.Errorf("follow-up %q, current plan %+v", tl.FollowUpMeetingID, tl.CurrentPlan)
		}
		if m := tl.Meetings[1]; m.FollowsMeetingID != "m1" || m.Phase != PhaseReview || m.Changes == nil || m.Changes.Actions[0].Outcome != OutcomeDone {
			t.Errorf("follow-up in the timeline = %+v", m)
		}
	})
	t.Run("ClosedFollowUpIsTheCurrentPlan", func(t *testing.T) {
		next, c := followUpOf(t, first, fc, Options{})
		next.phase(PhaseWorries)
		carried := itemOf(t, next.do(coordinator, "worry.carry", map[string]string{"worryId": c.prevWorries[0]})[0]).ID
		next.phase(PhaseCluster)
		next.phase(PhaseRank)
		next.rank(c.sanne, carried)
		next.phase(PhaseAgree)
		next.do(coordinator, "agree.confirm", map[string]any{"worryIds": []string{carried}})
		next.phase(PhasePlan)
		next.action(carried, "Schuldhulp bellen", c.mother, "2027-03-01")
		next.do(coordinator, "plan.details.set", map[string]any{"regisseurPartyId": c.vt, "nextEvaluation": "2027-06-01"})
		next.do(coordinator, "meeting.close", nil)
		tl := FamilyTimeline([]*Meeting{first.m, next.m}, "2027-04-01")
		if tl.CurrentPlan.MeetingID != "m2" || tl.NextEvaluation != "2027-06-01" || tl.FollowUpMeetingID != "" {
			t.Errorf("current plan %+v, evaluation %s, follow-up %q", tl.CurrentPlan, tl.NextEvaluation, tl.FollowUpMeetingID)
		}
		if got, want := openActions(tl), "Schuldhulp bellen/Moeder/2027-03-01//overdue"; got != want {
			t.Errorf("open actions = %s, want %s", got, want)
		}
		if ch := tl.Meetings[1].Changes; ch == nil || len(ch.Kept) != 1 || len(ch.Dropped) != 2 {
			t.Errorf("changes = %+v", ch)
		}
	})
}

func TestOrganisationOverview(t *testing.T) {
	j, _ := closedWithPlan(t, Options{}) // evaluation 2027-02-01; budgetcoach due 2027-01-15
	k, kc := playTo(t, PhasePlan, Options{})
	k.action(kc.w1, "Huisbezoek", kc.vt, "2026-12-20")
	k.action(kc.w1, "Klaar al", kc.vt, "2026-12-01")
	k.do(coordinator, "plan.action.edit", map[string]any{"actionId": k.m.Plan.Actions[1].ID, "what": "Klaar al", "ownerPartyId": kc.vt, "due": "2026-12-01", "status": "done"})
	k.do(coordinator, "plan.details.set", map[string]any{"regisseurPartyId": kc.vt, "nextEvaluation": "2027-01-10"})
	k.do(coordinator, "meeting.close", nil)
	l, _ := playTo(t, PhaseWorries, Options{}) // no plan yet

	o := OrganisationOverview([]FamilyMeetings{
		{FamilyID: "fj", FamilyLabel: "Gezin J.", Meetings: []*Meeting{j.m}},
		{FamilyID: "fk", FamilyLabel: "Gezin K.", Meetings: []*Meeting{k.m}},
		{FamilyID: "fl", FamilyLabel: "Gezin L.", Meetings: []*Meeting{l.m}},
	}, "2027-01-16")
	var evals []string
	for _, e := range o.Evaluations {
		s := e.FamilyLabel + " " + e.Date
		if e.Late {
			s += " late"
		}
		evals = append(evals, s)
	}
	if got, want := strings.Join(evals, ", "), "Gezin K. 2027-01-10 late, Gezin J. 2027-02-01"; got != want {
		t.Errorf("evaluations = %s, want %s", got, want)
	}
	var overdue []string
	for _, a := range o.OverdueActions {
		overdue = append(overdue, a.FamilyLabel+" "+a.What+" "+a.Due)
	}
	if got, want := strings.Join(overdue, ", "), "Gezin K. Huisbezoek 2026-12-20, Gezin J. Budgetcoach aanvragen 2027-01-15"; got != want {
		t.Errorf("overdue = %s, want %s", got, want)
	}
	if len(o.Families) != 3 || o.Families[0].OpenActions != 2 || o.Families[0].OverdueActions != 1 ||
		o.Families[1].OpenActions != 1 || o.Families[2].Meetings != 1 || o.Families[2].NextEvaluation != "" {
		t.Errorf("families = %+v", o.Families)
	}
	if empty := OrganisationOverview(nil, "2027-01-01"); empty.Evaluations == nil || empty.OverdueActions == nil || empty.Families == nil {
		t.Error("an empty overview has nil lists")
	}
}
