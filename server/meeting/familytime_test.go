package meeting

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
)

// TestFamilyTime plays family time and checks, for every viewer, that nothing
// the family writes reaches a professional, the coordinator or the screen
// (not as an event, not in a snapshot) before it is brought; and that what the
// family brings reaches everyone when family time ends.
func TestFamilyTime(t *testing.T) {
	tt, c := playTo(t, PhaseWorries, Options{})
	start := len(tt.log)
	tt.do(coordinator, "familytime.start", nil)
	if !tt.m.FamilyTime {
		t.Fatal("family time did not start")
	}
	tt.do(coordinator, "familytime.spokesperson", map[string]string{"participantId": c.sanne})
	brought := tt.add(participant(c.sanne), "family.add", map[string]string{"text": "FAMILIE-gebracht: we willen rust"})
	kept := tt.add(participant(c.els), "family.add", map[string]string{"text": "FAMILIE-geheim: oom drinkt"})
	// The list is shared: the father edits and marks the mother's item to bring.
	tt.do(participant(c.henk), "family.edit", map[string]any{"itemId": brought.ID, "text": "FAMILIE-gebracht: we willen rust in huis", "bring": true})
	tt.silent(participant(c.henk), "family.edit", map[string]any{"itemId": brought.ID, "bring": true})
	// Professionals cannot write on it, or see it exists.
	tt.fails(participant(c.anouk), "family.add", map[string]string{"text": "Ik ook"}, ECodeForbidden)
	tt.fails(participant(c.anouk), "family.edit", map[string]any{"itemId": kept.ID, "bring": true}, ECodeForbidden)
	tt.fails(participant(c.sanne), "worry.edit", map[string]string{"itemId": kept.ID, "text": "Anders"}, ECodeNotFound)
	// A reveal by the coordinator does not touch the family list.
	tt.silent(coordinator, "reveal", nil)
	// Only the coordinator or the spokesperson ends it.
	tt.fails(participant(c.henk), "familytime.end", nil, ECodeForbidden)
	tt.fails(participant(c.anouk), "familytime.end", nil, ECodeForbidden)

	during := tt.log[start:]
	professional := []Viewer{{Role: RoleCoordinator}, {Role: RoleScreen}, tt.m.ViewerFor(RoleParticipant, c.anouk),
		tt.m.ViewerFor(RoleParticipant, c.kim)}
	family := []Viewer{tt.m.ViewerFor(RoleParticipant, c.sanne), tt.m.ViewerFor(RoleParticipant, c.henk), tt.m.ViewerFor(RoleParticipant, c.els)}
	for _, v := range professional {
		for _, ev := range during {
			if v.CanSee(ev) && strings.Contains(string(ev.Data), "FAMILIE") {
				t.Fatalf("%s %s received family-time content: %s %s", v.Role, v.ParticipantID, ev.Name, ev.Data)
			}
			if v.CanSee(ev) && ev.Name == EvDraftsCounted && strings.Contains(string(ev.Data), `"count"`) && strings.Contains(string(ev.Data), c.network) {
				t.Fatalf("the console learned how many items the family list holds: %s", ev.Data)
			}
		}
		if raw := mustJSON(t, tt.m.ViewFor(v)); strings.Contains(raw, "FAMILIE") || strings.Contains(raw, `"`+kept.ID+`"`) {
			t.Fatalf("%s %s's snapshot holds family-time content", v.Role, v.ParticipantID)
		}
	}
	for _, v := range family {
		if n := strings.Count(mustJSON(t, tt.m.ViewFor(v).Items), "FAMILIE"); n != 2 {
			t.Fatalf("%s sees %d family items, want the whole list of 2", v.ParticipantID, n)
		}
	}

	// The spokesperson ends it: what the family brings is on the table.
	evs := tt.do(participant(c.sanne), "familytime.end", nil)
	if tt.m.FamilyTime || len(evs) != 2 || evs[1].Name != EvItemsRevealed || evs[1].Scope != ScopeTable {
		t.Fatalf("events %+v", evs)
	}
	if got := itemIDs(revealedItems(t, evs[1])); !slices.Equal(got, []string{brought.ID}) {
		t.Fatalf("revealed %v, want only what the family brought", got)
	}
	for _, v := range professional[:3] {
		raw := mustJSON(t, tt.m.ViewFor(v))
		if !strings.Contains(raw, "rust in huis") || strings.Contains(raw, "FAMILIE-geheim") {
			t.Fatalf("%s after family time: brought item missing or the rest shown", v.Role)
		}
	}
	// The brought worry is a worry like any other: rankable, of the mother's party.
	tt.phase(PhaseCluster)
	tt.phase(PhaseRank)
	tt.rank(c.anouk, brought.ID)
	if it := tt.m.Item(brought.ID); it.PartyID != c.mother || !it.Revealed {
		t.Fatalf("brought item %+v", it)
	}
}

func TestFamilyTimeRules(t *testing.T) {
	t.Run("ErrNotOn", func(t *testing.T) {
		tt, c := playTo(t, PhaseWorries, Options{})
		tt.fails(participant(c.sanne), "family.add", map[string]string{"text": "Nu niet"}, ECodeConflict)
		tt.silent(coordinator, "familytime.end", nil)
	})
	t.Run("ErrSpokespersonIsFamily", func(t *testing.T) {
		tt, c := playTo(t, PhaseWorries, Options{})
		tt.fails(coordinator, "familytime.spokesperson", map[string]string{"participantId": c.anouk}, ECodeInvalidInput)
		tt.fails(coordinator, "familytime.spokesperson", map[string]string{"participantId": c.els}, ECodeInvalidInput)
		tt.fails(coordinator, "familytime.spokesperson", map[string]string{"participantId": "p999"}, ECodeNotFound)
	})
	t.Run("OKStartEndsSpeakingRound", func(t *testing.T) {
		tt, _ := playTo(t, PhaseWorries, Options{})
		tt.do(coordinator, "round.start", nil)
		tt.do(coordinator, "familytime.start", nil)
		tt.silent(coordinator, "familytime.start", nil)
		if tt.m.Round.Active {
			t.Fatal("the speaking round goes on in family time")
		}
	})
	t.Run("OKCoordinatorEndsNothingBrought", func(t *testing.T) {
		tt, c := playTo(t, PhaseWorries, Options{})
		tt.do(coordinator, "familytime.start", nil)
		id := tt.add(participant(c.sanne), "family.add", map[string]string{"text": "Alleen voor ons"}).ID
		evs := tt.do(coordinator, "familytime.end", nil)
		if len(evs) != 1 || tt.m.Item(id).Revealed {
			t.Fatalf("events %+v: nothing was brought, nothing is revealed", evs)
		}
		var d meetingData
		_ = json.Unmarshal(evs[0].Data, &d)
		if d.Meeting.FamilyTime {
			t.Fatal("family time still on")
		}
	})
}
