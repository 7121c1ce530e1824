package export

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tafel-met/tafel/server/meeting"
)

// fixtureFollowUp plays the follow-up of the fixture's closed meeting: the review
// (one action partly done, one done, one not discussed; new scores for two
// worries), the money worry carried over, Sanne's worry that continues the
// debts, a new worry of the child, and a new plan. With closed, it is closed.
func fixtureFollowUp(tb testing.TB, closed bool) *meeting.Meeting {
	tb.Helper()
	first := fixtureMeeting(tb, true)
	prev, err := meeting.PreviousOf(first)
	if err != nil {
		tb.Fatal(err)
	}
	m := meeting.New(meeting.Header{ID: "m-0002", FamilyLabel: "Gezin J.", Title: "Vervolggesprek", Date: "2027-03-01"})
	m, _, err = m.FollowUp(prev)
	if err != nil {
		tb.Fatal(err)
	}
	t := &table{tb: tb, m: m}
	party := func(name string) string {
		for _, p := range t.m.Parties {
			if p.Name == name {
				return p.ID
			}
		}
		tb.Fatalf("no party %s", name)
		return ""
	}
	sanne := t.join("Sanne", party("Moeder"))
	agri := t.join("Ağrı", party("Kind"))
	t.join("Łucja", party("Wijkteam"))
	actions := prev.Version.Plan.Actions // budgetcoach, woningcorporatie, schuldhulp
	t.do(coordinator, "phase.set", map[string]string{"phase": "review"})
	t.do(coordinator, "review.action.set", map[string]string{"actionId": actions[0].ID, "outcome": "partly", "note": "Aangevraagd.\nEr is een wachtlijst."})
	t.do(coordinator, "review.action.set", map[string]string{"actionId": actions[1].ID, "outcome": "done"})
	t.do(coordinator, "review.score.set", map[string]any{"worryId": prev.Worries[0].ID, "score": 5})
	t.do(coordinator, "review.score.set", map[string]any{"worryId": prev.Worries[2].ID, "score": 8})
	t.do(coordinator, "phase.set", map[string]string{"phase": "worries"})
	money := created(t.do(coordinator, "worry.carry", map[string]string{"worryId": prev.Worries[0].ID}), "item")
	debts := t.item(sanne, "worry", "De schulden zijn nog niet weg")
	t.do(sanne, "worry.edit", map[string]any{"itemId": debts, "text": "De schulden zijn nog niet weg", "continues": prev.Worries[1].ID})
	school := t.item(agri, "worry", "Ik ga niet graag naar school")
	t.do(coordinator, "reveal", map[string]string{"kind": "worry"})
	t.do(coordinator, "phase.set", map[string]string{"phase": "cluster"})
	t.do(coordinator, "phase.set", map[string]string{"phase": "rank"})
	t.do(sanne, "ranking.set", map[string]any{"worryIds": []string{debts, money, school}})
	t.do(coordinator, "phase.set", map[string]string{"phase": "agree"})
	t.do(coordinator, "agree.confirm", map[string]any{"worryIds": []string{debts, money, school}})
	t.do(coordinator, "phase.set", map[string]string{"phase": "plan"})
	t.do(coordinator, "plan.goal.set", map[string]any{"worryId": debts, "goal": "Een betalingsregeling", "scoreNow": 4})
	t.do(coordinator, "plan.goal.set", map[string]any{"worryId": money, "goal": "Elke maand rond komen", "scoreNow": 6})
	t.do(coordinator, "plan.action.add", map[string]any{"worryId": debts, "what": "Schuldhulp opnieuw bellen", "ownerPartyId": party("Wijkteam"), "due": "2027-03-15"})
	t.do(coordinator, "plan.details.set", map[string]any{"regisseurPartyId": party("Wijkteam"), "regisseurRole": "Gezinscoach", "nextEvaluation": "2027-06-01"})
	if closed {
		t.do(coordinator, "meeting.close", nil)
	}
	return t.m
}

func TestFollowUpExports(t *testing.T) {
	closed := fixtureFollowUp(t, true)
	nl := FromMeeting(closed, nil, Dutch, time.Time{})
	en := FromMeeting(closed, nil, English, time.Time{})
	if nl.Changes == nil || len(nl.Changes.Kept) != 2 || len(nl.Changes.New) != 1 || len(nl.Changes.Dropped) != 1 {
		t.Fatalf("changes = %+v", nl.Changes)
	}
	for _, tc := range []struct {
		name string
		doc  Document
		f    Format
	}{
		{"followup.nl.md", nl, Markdown},
		{"followup.en.md", en, Markdown},
		{"followup.json", nl, JSON},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Render(tc.doc, tc.f)
			if err != nil {
				t.Fatal(err)
			}
			golden(t, tc.name, got)
		})
	}
	t.Run("MarkdownOrder", func(t *testing.T) {
		md := string(WriteMarkdown(nl))
		i, j := strings.Index(md, "## Wat is er veranderd"), strings.Index(md, "## Onze top 3 zorgen")
		if i < 0 || j < i {
			t.Fatalf("no 'Wat is er veranderd' before the top 3:\n%s", md)
		}
		for _, want := range []string{"**Nog steeds een zorg**", "Cijfer vorige keer: 3 van de 10. Bij de terugblik: 5 van de 10. Nu: 6 van de 10.",
			"**Niet meer in de top 3**", "Budgetcoach aanvragen, samen met François (Wijkteam): deels gedaan.", "nog niet besproken"} {
			if !strings.Contains(md, want) {
				t.Errorf("Markdown lacks %q", want)
			}
		}
	})
	t.Run("JSON", func(t *testing.T) {
		out, _ := WriteJSON(nl)
		var v struct {
			Changes struct {
				Previous struct{ Version int }
				Decided  bool
				Kept     []struct{ PreviousScore, ReviewScore, ScoreNow *int }
				New      []struct{ PreviousID *string }
				Dropped  []struct{ WorryID *string }
				Actions  []struct{ Outcome *string }
			}
		}
		if err := json.Unmarshal(out, &v); err != nil {
			t.Fatal(err)
		}
		c := v.Changes
		if c.Previous.Version != 1 || !c.Decided || *c.Kept[1].PreviousScore != 3 || *c.Kept[1].ReviewScore != 5 || *c.Kept[1].ScoreNow != 6 ||
			c.New[0].PreviousID != nil || c.Dropped[0].WorryID != nil || *c.Actions[0].Outcome != "partly" || c.Actions[2].Outcome != nil {
			t.Fatalf("changes = %s", out)
		}
	})
	t.Run("LiveBeforeAgreement", func(t *testing.T) {
		md := string(WriteMarkdown(FromMeeting(fixtureFollowUp(t, false), nil, Dutch, time.Time{})))
		if !strings.Contains(md, "## Wat is er veranderd") {
			t.Fatal("a live follow-up plan has no changes")
		}
	})
	t.Run("PDF", func(t *testing.T) {
		pdf, err := WritePDF(nl)
		if err != nil {
			t.Fatal(err)
		}
		_ = os.WriteFile(filepath.Join(resultsDir(t), "followup.nl.pdf"), pdf, 0o644)
		raw, _ := pdfText(t, pdf)
		for _, want := range []string{"Wat is er veranderd", "Nog steeds een zorg", "deels gedaan", "Er is een wachtlijst."} {
			if !strings.Contains(raw, want) {
				t.Errorf("PDF lacks %q", want)
			}
		}
	})
	t.Run("FirstMeetingHasNone", func(t *testing.T) {
		if d := closedPlan(t, Dutch); d.Changes != nil || strings.Contains(string(WriteMarkdown(d)), "veranderd") {
			t.Fatal("a first meeting's plan shows changes")
		}
	})
}
