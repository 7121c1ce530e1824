package meeting

import (
	"encoding/json"
	"slices"
	"testing"
	"time"
)

func roundOf(tb testing.TB, ev Event) Round {
	tb.Helper()
	if ev.Name != EvRoundUpdated || ev.Scope != ScopeTable {
		tb.Fatalf("event %s to %s, want round.updated for the table", ev.Name, ev.Scope)
	}
	var d roundData
	if err := json.Unmarshal(ev.Data, &d); err != nil {
		tb.Fatal(err)
	}
	return d.Round
}

func TestSpeakingRound(t *testing.T) {
	// The table's clock: every command in these tests runs at this time.
	now := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	t.Run("OKFamilyFirstAndTurns", func(t *testing.T) {
		tt, c := playTo(t, PhaseWorries, Options{})
		r := roundOf(t, tt.do(coordinator, "round.start", map[string]any{})[0])
		// Parties were added mother, father, neighbour, Veilig Thuis: that is speaking order.
		if !r.Active || !slices.Equal(r.Order, []string{c.mother, c.father, c.network, c.vt}) || r.AtTurn() != c.mother || r.Deadline != nil {
			t.Fatalf("round %+v", r)
		}
		r = roundOf(t, tt.do(coordinator, "round.next", map[string]any{"turn": 0})[0])
		if r.AtTurn() != c.father {
			t.Fatalf("after next: %+v", r)
		}
		// A double tap on next (the same turn again) does not skip the neighbour.
		tt.silent(coordinator, "round.next", map[string]any{"turn": 0})
		tt.do(coordinator, "round.back", nil)
		if tt.m.Round.AtTurn() != c.mother {
			t.Fatalf("after back: %+v", tt.m.Round)
		}
		tt.silent(coordinator, "round.back", nil) // at the first: nothing to go back to
		// The mother's phone passes, the father speaks, the neighbour passes.
		tt.do(participant(c.sanne), "round.pass", map[string]any{"turn": 0})
		tt.silent(participant(c.sanne), "round.pass", map[string]any{"turn": 0})
		tt.do(coordinator, "round.next", nil)
		tt.do(participant(c.els), "round.pass", nil)
		if r := tt.m.Round; r.AtTurn() != c.vt || !slices.Equal(r.Passed, []string{c.mother, c.network}) {
			t.Fatalf("round %+v", r)
		}
		// Next after the last party ends the round.
		r = roundOf(t, tt.do(coordinator, "round.next", nil)[0])
		if r.Active || r.AtTurn() != "" {
			t.Fatalf("after the last: %+v", r)
		}
		tt.silent(coordinator, "round.end", nil)
	})
	t.Run("OKTimer", func(t *testing.T) {
		tt, c := playTo(t, PhaseWorries, Options{})
		r := roundOf(t, tt.do(coordinator, "round.start", map[string]any{"turnSeconds": 120, "order": []string{c.father, c.vt}})[0])
		if r.Deadline == nil || !r.Deadline.Equal(now.Add(2*time.Minute)) || !slices.Equal(r.Order, []string{c.father, c.vt}) {
			t.Fatalf("round %+v, want the deadline two minutes from now", r)
		}
		tt.do(coordinator, "round.next", nil)
		if d := tt.m.Round.Deadline; d == nil || !d.Equal(now.Add(2*time.Minute)) {
			t.Fatalf("the next turn's deadline %v", d)
		}
		// The screen and every phone get the same round in their snapshot.
		want := mustJSON(t, tt.m.Round)
		for _, v := range []Viewer{{Role: RoleCoordinator}, {Role: RoleScreen}, tt.m.ViewerFor(RoleParticipant, c.sanne), tt.m.ViewerFor(RoleParticipant, c.anouk)} {
			if got := mustJSON(t, tt.m.ViewFor(v).Round); got != want {
				t.Fatalf("%s sees round %s, want %s", v.Role, got, want)
			}
		}
	})
	t.Run("OKEditOrderKeepsTurn", func(t *testing.T) {
		tt, c := playTo(t, PhaseWorries, Options{})
		tt.do(coordinator, "round.start", nil)
		tt.do(coordinator, "round.next", nil)
		tt.do(coordinator, "round.order", map[string]any{"order": []string{c.vt, c.father, c.mother}})
		if r := tt.m.Round; r.AtTurn() != c.father || r.Turn != 1 {
			t.Fatalf("round %+v: the father keeps his turn", r)
		}
	})
	t.Run("OKPhaseChangeEndsRound", func(t *testing.T) {
		tt, _ := playTo(t, PhaseWorries, Options{})
		tt.do(coordinator, "round.start", nil)
		evs := tt.do(coordinator, "phase.set", map[string]string{"phase": "cluster"})
		if r := roundOf(t, evs[0]); r.Active || tt.m.Round.Active {
			t.Fatalf("round still on after the phase: %+v", r)
		}
	})
	t.Run("ErrForbiddenNotAtTurn", func(t *testing.T) {
		tt, c := playTo(t, PhaseWorries, Options{})
		tt.do(coordinator, "round.start", nil)
		tt.fails(participant(c.henk), "round.pass", nil, ECodeForbidden)
		tt.fails(participant(c.sanne), "round.next", nil, ECodeForbidden)
	})
	t.Run("ErrInvalid", func(t *testing.T) {
		tt, c := playTo(t, PhaseWorries, Options{})
		tt.fails(coordinator, "round.start", map[string]any{"order": []string{c.mother, c.mother}}, ECodeInvalidInput)
		tt.fails(coordinator, "round.start", map[string]any{"order": []string{"party999"}}, ECodeNotFound)
		tt.fails(coordinator, "round.start", map[string]any{"turnSeconds": -1}, ECodeInvalidInput)
		tt.fails(coordinator, "round.start", map[string]any{"turnSeconds": 3600}, ECodeInvalidInput)
		tt.fails(coordinator, "round.next", nil, ECodeConflict)
		tt.do(coordinator, "round.start", nil)
		tt.fails(coordinator, "round.start", nil, ECodeConflict)
	})
	t.Run("ErrWrongPhase", func(t *testing.T) {
		tt, _ := playTo(t, PhaseCluster, Options{})
		tt.fails(coordinator, "round.start", nil, ECodeWrongPhase)
	})
}
