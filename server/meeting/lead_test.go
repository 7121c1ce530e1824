package meeting

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"
)

var (
	anna = Actor{Role: RoleCoordinator, UserID: "u-anna", UserName: "Anna"}
	bram = Actor{Role: RoleCoordinator, UserID: "u-bram", UserName: "Bram"}
)

func leadOf(tb testing.TB, ev Event) leadData {
	tb.Helper()
	if ev.Name != EvLeadChanged || ev.Scope != ScopeStaff || ev.ParticipantID != "" {
		tb.Fatalf("event %s scope %s for %q, want %s to coordinators only", ev.Name, ev.Scope, ev.ParticipantID, EvLeadChanged)
	}
	var d leadData
	if err := json.Unmarshal(ev.Data, &d); err != nil {
		tb.Fatal(err)
	}
	return d
}

func TestLeadIsTheFirstCoordinatorWhoRunsTheMeeting(t *testing.T) {
	tt, c := playTo(t, PhaseLobby, Options{})
	evs := tt.do(anna, "meeting.lock", nil)
	if len(evs) != 2 || evs[1].Name != EvMeetingUpdated {
		t.Fatalf("events %v, want lead.changed then meeting.updated", evs)
	}
	if d := leadOf(t, evs[0]); d.Lead != (Lead{UserID: "u-anna", Name: "Anna"}) || d.Previous != nil || d.Reason != LeadStart {
		t.Fatalf("lead.changed %+v", d)
	}
	// Anna's other tab is Anna: no new lead, no refusal.
	if evs := tt.do(anna, "meeting.unlock", nil); len(evs) != 1 {
		t.Fatalf("a second command of the lead made %d events", len(evs))
	}
	t.Run("ErrNotLead", func(t *testing.T) {
		tt := tt.with(t)
		for _, cmd := range []struct {
			name string
			data any
		}{{"phase.set", map[string]string{"phase": "worries"}}, {"participant.remove", map[string]string{"participantId": c.sanne}},
			{"meeting.abandon", map[string]string{"reason": "other"}}, {"meeting.lock", nil}} {
			tt.fails(bram, cmd.name, cmd.data, ECodeForbidden)
			_, err := tt.try(bram, cmd.name, cmd.data)
			var e *Error
			if !errors.As(err, &e) || e.Reason != "not_lead" || e.Params["lead"] != "Anna" {
				t.Fatalf("%s by Bram: %v, want not_lead naming Anna", cmd.name, err)
			}
		}
	})
	t.Run("ErrNeverAParticipant", func(t *testing.T) {
		tt := tt.with(t)
		for _, a := range []Actor{participant(c.sanne), participant(c.anouk), {Role: RoleScreen}, {Role: RoleJoiner}} {
			tt.fails(a, "meeting.takeover", map[string]string{"fromUserId": "u-anna"}, ECodeForbidden)
			tt.fails(a, "meeting.abandon", map[string]string{"reason": "other"}, ECodeForbidden)
		}
		// A pending participant is refused as well.
		tt.fails(participant(c.kim), "meeting.takeover", map[string]string{"fromUserId": "u-anna"}, ECodeForbidden)
	})
}

func TestTakeover(t *testing.T) {
	tt, c := playTo(t, PhaseWorries, Options{})
	tt.do(anna, "round.start", nil)
	cases := []struct {
		name   string
		actor  Actor
		data   any
		code   string
		reason string
	}{
		{"ErrNoFrom", bram, map[string]any{}, ECodeInvalidInput, "from_user_required"},
		{"ErrStaleFrom", bram, map[string]string{"fromUserId": ""}, ECodeConflict, "lead_changed"},
		{"ErrOtherFrom", bram, map[string]string{"fromUserId": "u-someone"}, ECodeConflict, "lead_changed"},
		{"ErrUnknownField", bram, map[string]string{"fromUserId": "u-anna", "to": "p1"}, ECodeInvalidInput, "invalid_data"},
		{"ErrNoUser", coordinator, map[string]string{"fromUserId": "u-anna"}, ECodeForbidden, "not_a_user"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tt := tt.with(t)
			tt.fails(tc.actor, "meeting.takeover", tc.data, tc.code)
			_, err := tt.try(tc.actor, "meeting.takeover", tc.data)
			var e *Error
			if !errors.As(err, &e) || e.Reason != tc.reason {
				t.Fatalf("got %v, want reason %s", err, tc.reason)
			}
		})
	}
	t.Run("OK", func(t *testing.T) {
		tt := tt.with(t)
		evs := tt.do(bram, "meeting.takeover", map[string]string{"fromUserId": "u-anna"})
		if len(evs) != 1 {
			t.Fatalf("%d events", len(evs))
		}
		d := leadOf(t, evs[0])
		if d.Lead.UserID != "u-bram" || d.Lead.Name != "Bram" || d.Previous == nil || d.Previous.UserID != "u-anna" || d.Reason != LeadTakeover {
			t.Fatalf("lead.changed %+v", d)
		}
		if tt.m.Lead == nil || tt.m.Lead.UserID != "u-bram" {
			t.Fatalf("lead %+v", tt.m.Lead)
		}
		// Taking over again (another tab, a double tap) changes nothing.
		tt.silent(bram, "meeting.takeover", map[string]string{"fromUserId": "u-anna"})
		// Anna now sees the meeting but runs nothing; Bram carries on.
		tt.fails(anna, "round.next", nil, ECodeForbidden)
		tt.do(bram, "round.next", nil)
		// Anna can take it back, as explicitly.
		tt.fails(anna, "meeting.takeover", map[string]string{"fromUserId": "u-anna"}, ECodeConflict)
		tt.do(anna, "meeting.takeover", map[string]string{"fromUserId": "u-bram"})
		tt.do(anna, "round.next", nil)
		// Participants carry on whoever leads.
		tt.worry(participant(c.sanne), "Te weinig slaap")
	})
	t.Run("WhileNobodyLeads", func(t *testing.T) {
		tt, _ := playTo(t, PhaseLobby, Options{})
		tt.fails(bram, "meeting.takeover", map[string]string{"fromUserId": "u-anna"}, ECodeConflict)
		d := leadOf(t, tt.do(bram, "meeting.takeover", map[string]string{"fromUserId": ""})[0])
		if d.Previous != nil || d.Reason != LeadTakeover || tt.m.Lead.UserID != "u-bram" {
			t.Fatalf("lead.changed %+v", d)
		}
	})
}

func TestLeadEventsReachCoordinatorsOnly(t *testing.T) {
	tt, c := playTo(t, PhaseLobby, Options{})
	ev := tt.do(anna, "meeting.lock", nil)[0]
	for _, v := range []Viewer{tt.m.ViewerFor(RoleParticipant, c.sanne), {Role: RoleScreen}, tt.m.ViewerFor(RoleParticipant, c.kim)} {
		if v.CanSee(ev) {
			t.Fatalf("%+v sees %s", v, ev.Name)
		}
		if view := tt.m.ViewFor(v); view.Lead != nil || view.Ending != nil {
			t.Fatalf("%+v sees the lead in its snapshot", v)
		}
	}
	if !(Viewer{Role: RoleCoordinator}).CanSee(ev) {
		t.Fatal("a coordinator does not see lead.changed")
	}
	if view := tt.m.ViewFor(Viewer{Role: RoleCoordinator}); view.Lead == nil || view.Lead.Name != "Anna" {
		t.Fatalf("coordinator snapshot lead %+v", view.Lead)
	}
}

func TestAbandon(t *testing.T) {
	tt, c := playTo(t, PhaseRank, Options{})
	tt.do(anna, "ranking.close", nil)
	cases := []struct {
		name string
		data any
		code string
	}{
		{"ErrNoReason", map[string]string{}, ECodeInvalidInput},
		{"ErrUnknownReason", map[string]string{"reason": "bored"}, ECodeInvalidInput},
		{"ErrNoteTooLong", map[string]string{"reason": "other", "note": strings.Repeat("a", MaxTextLen+1)}, ECodeInvalidInput},
		{"ErrNoteNotText", map[string]any{"reason": "other", "note": 3}, ECodeInvalidInput},
		{"ErrUnknownField", map[string]string{"reason": "other", "plan": "x"}, ECodeInvalidInput},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) { tt.with(t).fails(anna, "meeting.abandon", tc.data, tc.code) })
	}
	t.Run("OK", func(t *testing.T) {
		tt := tt.with(t)
		evs := tt.do(anna, "meeting.abandon", map[string]string{"reason": "stopped_early", "note": "  Vader werd onwel  "})
		if len(evs) != 2 || evs[0].Name != EvMeetingAbandoned || evs[0].Scope != ScopeStaff || evs[0].ParticipantID != "" ||
			evs[1].Name != EvMeetingUpdated || evs[1].Scope != ScopeAll {
			t.Fatalf("events %+v", evs)
		}
		want := Ending{Reason: "stopped_early", Note: "Vader werd onwel", At: tt.m.Ending.At, By: Lead{UserID: "u-anna", Name: "Anna"}}
		if tt.m.Ending == nil || *tt.m.Ending != want || tt.m.Ending.At.IsZero() {
			t.Fatalf("ending %+v", tt.m.Ending)
		}
		if tt.m.Phase != PhaseClosed || !tt.m.EndedWithoutPlan || len(tt.m.Versions) != 0 {
			t.Fatalf("phase %s, without plan %v, %d versions", tt.m.Phase, tt.m.EndedWithoutPlan, len(tt.m.Versions))
		}
		// A phone learns that it ended without a plan, never the reason or the note.
		phone := tt.m.ViewerFor(RoleParticipant, c.sanne)
		if phone.CanSee(evs[0]) || !phone.CanSee(evs[1]) {
			t.Fatal("a phone sees the note, or not the end")
		}
		if v := tt.m.ViewFor(phone); !v.EndedWithoutPlan || v.Phase != PhaseClosed || v.Ending != nil {
			t.Fatalf("phone snapshot %+v", v.Header)
		}
		// Nothing runs after the end: not a plan, not a take-over, not a second end.
		tt.fails(anna, "meeting.close", nil, ECodeWrongPhase)
		tt.fails(anna, "meeting.abandon", map[string]string{"reason": "other"}, ECodeWrongPhase)
		tt.fails(bram, "meeting.takeover", map[string]string{"fromUserId": "u-anna"}, ECodeWrongPhase)
		tt.fails(participant(c.sanne), "ranking.set", map[string]any{"worryIds": []string{c.w1}}, ECodeWrongPhase)
		// "Were you heard?" asks about the plan: a meeting without one has no check.
		if err := tt.m.HeardOpen(time.Now()); ErrorCode(err) != ECodeWrongPhase {
			t.Fatalf("the check of a meeting ended without a plan: %v, want wrong_phase", err)
		}
		if tt.m.HeardSettled(0, time.Now().AddDate(0, 0, HeardOpenDays+1)) {
			t.Fatal("a meeting ended without a plan counts in the check's summaries")
		}
	})
	t.Run("InTheLobby", func(t *testing.T) {
		tt, _ := playTo(t, PhaseLobby, Options{})
		tt.do(anna, "meeting.abandon", map[string]string{"reason": "family_absent"})
		if tt.m.Phase != PhaseClosed || !tt.m.EndedWithoutPlan {
			t.Fatalf("phase %s", tt.m.Phase)
		}
	})
}

// TestVanishedLead: the lead closed their laptop mid-meeting; a colleague takes
// the meeting over (explicitly, naming whom from) and ends it without a plan.
func TestVanishedLead(t *testing.T) {
	tt, _ := playTo(t, PhaseAgree, Options{})
	tt.do(anna, "participant.remove", map[string]string{"participantId": tt.m.Participants[4].ID})
	tt.fails(bram, "meeting.abandon", map[string]string{"reason": "coordinator_gone"}, ECodeForbidden)
	tt.do(bram, "meeting.takeover", map[string]string{"fromUserId": "u-anna"})
	tt.do(bram, "meeting.abandon", map[string]string{"reason": "coordinator_gone"})
	if tt.m.Ending.By.UserID != "u-bram" || tt.m.Phase != PhaseClosed {
		t.Fatalf("ending %+v in %s", tt.m.Ending, tt.m.Phase)
	}
	// Replaying the log gives the same meeting, lead and ending included.
	replay := New(Header{ID: "m1", FamilyLabel: "Gezin J."})
	for _, ev := range tt.log {
		if err := replay.Apply(ev); err != nil {
			t.Fatal(err)
		}
	}
	if !reflect.DeepEqual(replay.Lead, tt.m.Lead) || !reflect.DeepEqual(replay.Ending, tt.m.Ending) || replay.Header != tt.m.Header {
		t.Fatalf("replay lead %+v ending %+v, live %+v %+v", replay.Lead, replay.Ending, tt.m.Lead, tt.m.Ending)
	}
}
