package meeting

import "testing"

var child = Actor{Role: RoleChild}

func TestChildHousesSubmit(t *testing.T) {
	tt, c := playTo(t, PhaseWorries, sos)
	houses := map[string]string{"childId": "kid-1", "childName": "Kim", "worries": "Ik ben bang als het hard gaat"}
	t.Run("ErrNotForOthers", func(t *testing.T) {
		tt.with(t).fails(coordinator, "child.houses.submit", houses, ECodeForbidden)
		tt.with(t).fails(participant(c.sanne), "child.houses.submit", houses, ECodeForbidden)
		tt.with(t).fails(child, "child.houses.set", houses, ECodeForbidden)
		tt.with(t).fails(child, "reveal", map[string]string{"kind": "worry"}, ECodeForbidden)
	})
	t.Run("ErrInvalid", func(t *testing.T) {
		tt.with(t).fails(child, "child.houses.submit", map[string]string{"childId": "child3", "worries": "x"}, ECodeInvalidInput)
		tt.with(t).fails(child, "child.houses.submit", map[string]string{"childId": "kid-1"}, ECodeInvalidInput)
	})
	evs := tt.do(child, "child.houses.submit", houses)
	if len(evs) != 1 || evs[0].Name != EvChildUpserted || evs[0].Scope != ScopePrivate {
		t.Fatalf("events = %+v", evs)
	}
	if got := tt.do(child, "child.houses.submit", houses); len(got) != 0 {
		t.Fatalf("the same houses again made %d events", len(got))
	}
	if v, ok := tt.m.ChildVoiceOf("kid-1"); !ok || !v.ByChild || v.ChildName != "Kim" {
		t.Fatalf("voice = %+v %v", v, ok)
	}
	if v := tt.m.ViewFor(Viewer{Role: RoleScreen}); len(v.Safety.Children) != 0 {
		t.Fatal("the screen sees the child's houses before they are brought")
	}
	tt.do(coordinator, "child.voice.bring", map[string]string{"childId": "kid-1", "bringerId": c.sanne, "story": "Kim is soms bang"})
	t.Run("ErrBrought", func(t *testing.T) {
		tt.with(t).fails(child, "child.houses.submit", map[string]string{"childId": "kid-1", "wishes": "Een hond"}, ECodeConflict)
	})
	if v := tt.m.ViewFor(Viewer{Role: RoleScreen}); len(v.Safety.Children) != 1 || v.Safety.Children[0].Worries != houses["worries"] {
		t.Fatalf("brought: screen sees %+v", v.Safety.Children)
	}
}

func TestChildHousesSubmitNeedsTheShape(t *testing.T) {
	tt, _ := playTo(t, PhaseWorries, Options{})
	tt.fails(child, "child.houses.submit", map[string]string{"childId": "kid-1", "worries": "x"}, ECodeWrongShape)
}
