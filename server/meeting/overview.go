package meeting

import (
	"sort"
	"time"
)

// The coordinator's overview across meetings: a family's timeline, the open and
// overdue actions of its current plan, its next evaluation, and who came.

// Attendance is who was at one meeting: the parties invited, the parties with
// at least one admitted person, and the admitted people by kind of party.
type Attendance struct {
	PartiesInvited     int `json:"partiesInvited"`
	PartiesPresent     int `json:"partiesPresent"`
	People             int `json:"people"`
	FamilyPeople       int `json:"familyPeople"`
	NetworkPeople      int `json:"networkPeople"`
	ProfessionalPeople int `json:"professionalPeople"`
}

// Attendance counts who is (or was) at the meeting's table: admitted people only.
func (m *Meeting) Attendance() Attendance {
	a := Attendance{PartiesInvited: len(m.Parties)}
	present := map[string]bool{}
	for _, p := range m.Participants {
		if p.Status != StatusAdmitted {
			continue
		}
		party := m.Party(p.PartyID)
		if party == nil {
			continue
		}
		a.People++
		present[party.ID] = true
		switch party.Kind {
		case KindFamily:
			a.FamilyPeople++
		case KindNetwork:
			a.NetworkPeople++
		default:
			a.ProfessionalPeople++
		}
	}
	a.PartiesPresent = len(present)
	return a
}

// Timeline is one family's path: its meetings and plan versions in time order,
// the open actions of its current plan, and when the plan is evaluated next.
type Timeline struct {
	Meetings []TimelineMeeting `json:"meetings"`
	// CurrentPlan is the latest closed plan, which the open actions and the next
	// evaluation come from; null before any meeting closed.
	CurrentPlan    *PlanRef     `json:"currentPlan"`
	OpenActions    []OpenAction `json:"openActions"` // overdue first, then by due date; without a date last
	NextEvaluation string       `json:"nextEvaluation"`
	// EvaluationLate is true when the evaluation date has passed.
	EvaluationLate bool `json:"evaluationLate"`
	// FollowUpMeetingID is the follow-up made from the current plan, if any.
	FollowUpMeetingID string `json:"followUpMeetingId"`
}

// PlanRef names one closed plan version of one meeting.
type PlanRef struct {
	MeetingID string    `json:"meetingId"`
	Date      string    `json:"date"`
	Version   int       `json:"version"`
	ClosedAt  time.Time `json:"closedAt"`
}

// TimelineMeeting is one meeting of the timeline.
type TimelineMeeting struct {
	ID               string            `json:"id"`
	Title            string            `json:"title"`
	Date             string            `json:"date"`
	Phase            Phase             `json:"phase"`
	FollowsMeetingID string            `json:"followsMeetingId"` // "" for a first meeting
	Attendance       Attendance        `json:"attendance"`
	Versions         []TimelineVersion `json:"versions"`
	Changes          *ChangeSet        `json:"changes"` // a follow-up's "what changed"; null otherwise
}

// TimelineVersion is one closed plan, in short.
type TimelineVersion struct {
	Number         int             `json:"number"`
	ClosedAt       time.Time       `json:"closedAt"`
	Top3           []TimelineWorry `json:"top3"`
	Actions        int             `json:"actions"`
	ActionsDone    int             `json:"actionsDone"`
	Regisseur      string          `json:"regisseur"` // the regisseur's party
	NextEvaluation string          `json:"nextEvaluation"`
}

// TimelineWorry is a worry of a closed top 3 with its score then.
type TimelineWorry struct {
	ID       string `json:"id"`
	Text     string `json:"text"`
	ScoreNow *int   `json:"scoreNow"`
}

// OpenAction is an action of a current plan that is not done.
type OpenAction struct {
	MeetingID string       `json:"meetingId"`
	Version   int          `json:"version"`
	ActionID  string       `json:"actionId"`
	Worry     string       `json:"worry"`
	What      string       `json:"what"`
	Owner     string       `json:"owner"`
	Due       string       `json:"due"` // YYYY-MM-DD or ""
	Status    ActionStatus `json:"status"`
	// Outcome is what a follow-up's review said so far ("partly", "not_done"), or "".
	Outcome Outcome `json:"outcome"`
	// Overdue is true when the due date is before today.
	Overdue bool `json:"overdue"`
}

// FamilyTimeline lays out a family's meetings, given oldest first, as of today
// (YYYY-MM-DD). The current plan is the latest closed version of any of them;
// its actions are open unless done, or reviewed as done by a follow-up.
func FamilyTimeline(meetings []*Meeting, today string) Timeline {
	t := Timeline{Meetings: []TimelineMeeting{}, OpenActions: []OpenAction{}}
	var current *Meeting
	for _, m := range meetings {
		v := m.ViewFor(Viewer{Role: RoleCoordinator})
		tm := TimelineMeeting{ID: m.ID, Title: m.Title, Date: m.Date, Phase: m.Phase, Attendance: m.Attendance(),
			Versions: []TimelineVersion{}, Changes: v.WhatChanged(nil)}
		if m.Previous != nil {
			tm.FollowsMeetingID = m.Previous.MeetingID
		}
		for _, pv := range m.Versions {
			tv := TimelineVersion{Number: pv.Number, ClosedAt: pv.ClosedAt, Top3: []TimelineWorry{}, Actions: len(pv.Plan.Actions),
				NextEvaluation: pv.Plan.NextEvaluation}
			if p := m.Party(pv.Plan.RegisseurPartyID); p != nil {
				tv.Regisseur = p.Name
			}
			for _, id := range pv.Top3 {
				w := TimelineWorry{ID: id}
				if it := m.Item(id); it != nil {
					w.Text = it.Text
				}
				for _, g := range pv.Plan.Goals {
					if g.WorryID == id {
						w.ScoreNow = g.ScoreNow
					}
				}
				tv.Top3 = append(tv.Top3, w)
			}
			for _, a := range pv.Plan.Actions {
				if a.Status == ActionDone {
					tv.ActionsDone++
				}
			}
			tm.Versions = append(tm.Versions, tv)
			// On equal times the later meeting in time order wins.
			if current == nil || !pv.ClosedAt.Before(current.Versions[len(current.Versions)-1].ClosedAt) {
				current = m
			}
		}
		t.Meetings = append(t.Meetings, tm)
	}
	if current == nil {
		return t
	}
	pv := current.Versions[len(current.Versions)-1]
	t.CurrentPlan = &PlanRef{MeetingID: current.ID, Date: current.Date, Version: pv.Number, ClosedAt: pv.ClosedAt}
	t.NextEvaluation = pv.Plan.NextEvaluation
	t.EvaluationLate = t.NextEvaluation != "" && t.NextEvaluation < today
	// What the latest follow-up of this plan's meeting said about its actions.
	var review Review
	for _, m := range meetings {
		if m.Previous != nil && m.Previous.MeetingID == current.ID && m.Previous.Version.Number == pv.Number {
			t.FollowUpMeetingID, review = m.ID, m.Review
		}
	}
	for _, a := range pv.Plan.Actions {
		r, reviewed := review.ActionOutcome(a.ID)
		if a.Status == ActionDone || reviewed && r.Outcome == OutcomeDone {
			continue
		}
		oa := OpenAction{MeetingID: current.ID, Version: pv.Number, ActionID: a.ID, What: a.What, Due: a.Due,
			Status: a.Status, Outcome: r.Outcome, Overdue: a.Due != "" && a.Due < today}
		if it := current.Item(a.WorryID); it != nil {
			oa.Worry = it.Text
		}
		if p := current.Party(a.OwnerPartyID); p != nil {
			oa.Owner = p.Name
		}
		t.OpenActions = append(t.OpenActions, oa)
	}
	sort.SliceStable(t.OpenActions, func(i, j int) bool { return actionBefore(t.OpenActions[i], t.OpenActions[j]) })
	return t
}

// actionBefore orders overdue actions first, then by due date; actions without a date last.
func actionBefore(a, b OpenAction) bool {
	if a.Overdue != b.Overdue {
		return a.Overdue
	}
	if (a.Due == "") != (b.Due == "") {
		return a.Due != ""
	}
	return a.Due < b.Due
}

// FamilyMeetings is one family with its meetings, oldest first.
type FamilyMeetings struct {
	FamilyID    string
	FamilyLabel string
	Meetings    []*Meeting
}

// Overview is what a coordinator looks at across the organisation: the families'
// next evaluations and the actions that are overdue.
type Overview struct {
	Evaluations    []Evaluation    `json:"evaluations"`    // by date: late ones (in the past) first
	OverdueActions []FamilyAction  `json:"overdueActions"` // oldest due date first
	Families       []FamilySummary `json:"families"`       // every family, in the order given
}

// Evaluation is when a family's current plan is looked at again.
type Evaluation struct {
	FamilyID          string `json:"familyId"`
	FamilyLabel       string `json:"familyLabel"`
	MeetingID         string `json:"meetingId"`
	Version           int    `json:"version"`
	Date              string `json:"date"`
	Late              bool   `json:"late"`
	FollowUpMeetingID string `json:"followUpMeetingId"` // "" when no follow-up was made yet
}

// FamilyAction is an open action of a family's current plan.
type FamilyAction struct {
	FamilyID    string `json:"familyId"`
	FamilyLabel string `json:"familyLabel"`
	OpenAction
}

// FamilySummary is one family in a line: its meetings, open and overdue actions, next evaluation.
type FamilySummary struct {
	FamilyID       string `json:"familyId"`
	FamilyLabel    string `json:"familyLabel"`
	Meetings       int    `json:"meetings"`
	OpenActions    int    `json:"openActions"`
	OverdueActions int    `json:"overdueActions"`
	NextEvaluation string `json:"nextEvaluation"`
}

// OrganisationOverview gathers every family's timeline as of today (YYYY-MM-DD).
func OrganisationOverview(families []FamilyMeetings, today string) Overview {
	o := Overview{Evaluations: []Evaluation{}, OverdueActions: []FamilyAction{}, Families: []FamilySummary{}}
	for _, f := range families {
		t := FamilyTimeline(f.Meetings, today)
		s := FamilySummary{FamilyID: f.FamilyID, FamilyLabel: f.FamilyLabel, Meetings: len(f.Meetings),
			OpenActions: len(t.OpenActions), NextEvaluation: t.NextEvaluation}
		if t.CurrentPlan != nil && t.NextEvaluation != "" {
			o.Evaluations = append(o.Evaluations, Evaluation{FamilyID: f.FamilyID, FamilyLabel: f.FamilyLabel,
				MeetingID: t.CurrentPlan.MeetingID, Version: t.CurrentPlan.Version, Date: t.NextEvaluation,
				Late: t.EvaluationLate, FollowUpMeetingID: t.FollowUpMeetingID})
		}
		for _, a := range t.OpenActions {
			if a.Overdue {
				s.OverdueActions++
				o.OverdueActions = append(o.OverdueActions, FamilyAction{FamilyID: f.FamilyID, FamilyLabel: f.FamilyLabel, OpenAction: a})
			}
		}
		o.Families = append(o.Families, s)
	}
	sort.SliceStable(o.Evaluations, func(i, j int) bool { return o.Evaluations[i].Date < o.Evaluations[j].Date })
	sort.SliceStable(o.OverdueActions, func(i, j int) bool { return o.OverdueActions[i].Due < o.OverdueActions[j].Due })
	return o
}
