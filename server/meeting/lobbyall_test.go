package meeting

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

func TestLobbyAll(t *testing.T) {
	t.Run("OKAdmitAll", func(t *testing.T) {
		tt, c := playTo(t, PhaseLobby, Options{})
		jip := tt.pending("Jip", c.network)
		evs := tt.do(coordinator, "lobby.admitAll", nil)
		if len(evs) != 2 || tt.m.Participant(c.kim).Status != StatusAdmitted || tt.m.Participant(jip).Status != StatusAdmitted {
			t.Fatalf("events %d, kim %s, jip %s", len(evs), tt.m.Participant(c.kim).Status, tt.m.Participant(jip).Status)
		}
		tt.silent(coordinator, "lobby.admitAll", nil)
	})
	t.Run("OKDismissAll", func(t *testing.T) {
		tt, c := playTo(t, PhaseLobby, Options{})
		var flood []string
		for i := 0; i < 30; i++ {
			flood = append(flood, tt.pending("Spam", c.mother))
		}
		tt.do(coordinator, "lobby.dismissAll", nil)
		for _, id := range append(flood, c.kim) {
			if s := tt.m.Participant(id).Status; s != StatusRemoved {
				t.Fatalf("%s is %s after dismissing the lobby", id, s)
			}
		}
		for _, id := range []string{c.sanne, c.henk, c.els, c.anouk} {
			if s := tt.m.Participant(id).Status; s != StatusAdmitted {
				t.Fatalf("seated %s is %s after dismissing the lobby", id, s)
			}
		}
	})
	t.Run("ErrForbidden", func(t *testing.T) {
		tt, c := playTo(t, PhaseLobby, Options{})
		tt.fails(participant(c.sanne), "lobby.dismissAll", nil, ECodeForbidden)
		tt.fails(participant(c.sanne), "lobby.admitAll", nil, ECodeForbidden)
	})
}

// A draft of someone who is removed leaves with them: it is withdrawn, and a
// reveal of their party does not show it.
func TestRemovedParticipantsDraftIsWithdrawn(t *testing.T) {
	tt, c := playTo(t, PhaseWorries, Options{})
	oma := tt.join("Oma", c.mother)
	draft := tt.worry(participant(oma), "Oma's zorg")
	kept := tt.worry(participant(c.sanne), "Sanne's zorg")
	behalf := tt.add(coordinator, "worry.add", map[string]string{"text": "Namens moeder", "partyId": c.mother}).ID
	evs := tt.all(coordinator, "participant.remove", map[string]string{"participantId": oma})
	if len(evs) != 3 || evs[0].Name != EvDraftsCounted || evs[2].Name != EvItemUpserted || evs[2].Scope != ScopePrivate || evs[2].ParticipantID != oma {
		t.Fatalf("events %+v, want the console's new count, the removal, and her draft withdrawn privately", evs)
	}
	if !tt.m.Item(draft).Withdrawn {
		t.Fatal("the removed participant's draft is not withdrawn")
	}
	revealed := revealedItems(t, tt.do(coordinator, "reveal", map[string]string{"partyId": c.mother})[0])
	if got := itemIDs(revealed); !slices.Equal(got, []string{kept, behalf}) {
		t.Fatalf("revealed %v, want Sanne's and the coordinator's, not the removed person's", got)
	}
}

func TestWorryRephrase(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		tt, c := playTo(t, PhaseCluster, Options{})
		evs := tt.do(coordinator, "worry.rephrase", map[string]string{"itemId": c.w2, "text": "Onrust thuis"})
		it := itemOf(t, evs[0])
		if len(evs) != 1 || evs[0].Scope != ScopeTable || it.Text != "Onrust thuis" || it.OriginalText != "Geen rust thuis" {
			t.Fatalf("rephrased %+v to %s", it, evs[0].Scope)
		}
		// The author sees it, like the rest of the table.
		if !tt.m.ViewerFor(RoleParticipant, c.henk).CanSee(evs[0]) {
			t.Fatal("the author does not see the rephrasing")
		}
		// A second rephrasing keeps the author's own words, not the first rephrasing.
		tt.do(coordinator, "worry.rephrase", map[string]string{"itemId": c.w2, "text": "Veel onrust"})
		if it := tt.m.Item(c.w2); it.OriginalText != "Geen rust thuis" {
			t.Fatalf("original %q", it.OriginalText)
		}
		tt.silent(coordinator, "worry.rephrase", map[string]string{"itemId": c.w2, "text": "Veel onrust"})
		tt.do(coordinator, "worry.rephrase", map[string]string{"itemId": c.w2, "text": "Geen rust thuis"})
		if it := tt.m.Item(c.w2); it.OriginalText != "" {
			t.Fatalf("back in the author's words, original %q", it.OriginalText)
		}
	})
	t.Run("ErrNotFoundDraft", func(t *testing.T) {
		tt, c := playTo(t, PhaseWorries, Options{})
		d := tt.worry(participant(c.sanne), "Nog privé")
		tt.fails(coordinator, "worry.rephrase", map[string]string{"itemId": d, "text": "Anders"}, ECodeNotFound)
	})
	t.Run("ErrInvalidInput", func(t *testing.T) {
		tt, c := playTo(t, PhaseCluster, Options{})
		tt.fails(coordinator, "worry.rephrase", map[string]string{"itemId": c.w1, "text": " "}, ECodeInvalidInput)
	})
	t.Run("ErrWrongPhase", func(t *testing.T) {
		tt, c := playTo(t, PhaseRank, Options{})
		tt.fails(coordinator, "worry.rephrase", map[string]string{"itemId": c.w1, "text": "Anders"}, ECodeWrongPhase)
	})
}

// The console learns how many items each party still has unrevealed, never
// what; nobody else learns even that.
func TestDraftCounts(t *testing.T) {
	tt, c := playTo(t, PhaseWorries, Options{})
	evs := tt.all(participant(c.sanne), "worry.add", map[string]string{"text": "GEHEIM een"})
	tt.do(participant(c.sanne), "worry.add", map[string]string{"text": "GEHEIM twee"})
	tt.do(coordinator, "worry.add", map[string]string{"text": "Namens vader", "partyId": c.father})
	// The count goes first, so the draft's own event is last: the ack's seq is the worry's id.
	if len(evs) != 2 || evs[0].Name != EvDraftsCounted || itemOf(t, evs[1]).ID != fmt.Sprintf("w%d", evs[1].Seq) {
		t.Fatalf("events %+v, want drafts.counted and then the draft", evs)
	}
	for _, v := range []Viewer{{Role: RoleScreen}, tt.m.ViewerFor(RoleParticipant, c.sanne), tt.m.ViewerFor(RoleParticipant, c.henk)} {
		if v.CanSee(evs[0]) || len(tt.m.ViewFor(v).Drafts) != 0 {
			t.Fatalf("%s %s sees the draft counts", v.Role, v.ParticipantID)
		}
	}
	if !(Viewer{Role: RoleCoordinator}).CanSee(evs[0]) || strings.Contains(string(evs[0].Data), "GEHEIM") {
		t.Fatalf("drafts.counted %s", evs[0].Data)
	}
	want := []DraftCount{{c.mother, KindWorry, 2}, {c.father, KindWorry, 1}}
	if got := tt.m.ViewFor(Viewer{Role: RoleCoordinator}).Drafts; !slices.Equal(got, want) {
		t.Fatalf("coordinator's draft counts %+v, want %+v", got, want)
	}
	tt.do(coordinator, "reveal", map[string]string{"partyId": c.mother})
	if got := tt.m.DraftCounts(); !slices.Equal(got, want[1:]) {
		t.Fatalf("after revealing the mother's: %+v", got)
	}
}
