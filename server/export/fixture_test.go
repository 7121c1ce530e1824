package export

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/tafel-met/tafel/server/meeting"
)

// The fixture is one whole meeting of an invented family, played through the domain.
var (
	coordinator = meeting.Actor{Role: meeting.RoleCoordinator}
	closedAt    = time.Date(2026, 12, 1, 15, 30, 0, 0, time.UTC)
)

const arabicWorry = "المال لا يكفي" // "the money is not enough"

type table struct {
	tb testing.TB
	m  *meeting.Meeting
	n  int
}

func (t *table) do(a meeting.Actor, name string, data any) []meeting.Event {
	t.tb.Helper()
	raw, err := json.Marshal(data)
	if err != nil {
		t.tb.Fatal(err)
	}
	t.n++
	next, evs, err := t.m.Decide(meeting.Command{ID: "c", Name: name, Data: raw, Actor: a, Now: closedAt})
	if err != nil {
		t.tb.Fatalf("%s %s: %v", name, raw, err)
	}
	t.m = next
	return evs
}

// created returns the id of what the last event of a command made.
func created(evs []meeting.Event, key string) string {
	var d map[string]struct {
		ID string `json:"id"`
	}
	_ = json.Unmarshal(evs[len(evs)-1].Data, &d)
	return d[key].ID
}

func (t *table) party(name string, kind meeting.PartyKind) string {
	return created(t.do(coordinator, "party.add", map[string]string{"name": name, "kind": string(kind)}), "party")
}

func (t *table) join(name, party string) meeting.Actor {
	id := created(t.do(meeting.Actor{Role: meeting.RoleJoiner}, "participant.join", map[string]string{"name": name, "partyId": party}), "participant")
	t.do(coordinator, "participant.admit", map[string]string{"participantId": id})
	return meeting.Actor{Role: meeting.RoleParticipant, ParticipantID: id}
}

func (t *table) item(a meeting.Actor, kind, text string, domain ...string) string {
	data := map[string]string{"text": text}
	if len(domain) > 0 {
		data["domain"] = domain[0]
	}
	evs := t.do(a, kind+".add", data)
	var d struct{ Item meeting.Item }
	_ = json.Unmarshal(evs[len(evs)-1].Data, &d)
	return d.Item.ID
}

// fixtureMeeting plays a meeting from the lobby to the plan. With closed, the
// meeting is closed and has plan version 1.
func fixtureMeeting(tb testing.TB, closed bool) *meeting.Meeting {
	tb.Helper()
	t := &table{tb: tb, m: meeting.New(meeting.Header{ID: "m-0001", FamilyLabel: "Gezin J.", Title: "Top-3-gesprek",
		Date: "2026-12-01", Options: meeting.Options{StrengthsRound: true}})}
	mother := t.party("Moeder", meeting.KindFamily)
	father := t.party("Vader", meeting.KindFamily)
	child := t.party("Kind", meeting.KindFamily)
	neighbour := t.party("Buurvrouw", meeting.KindNetwork)
	vt := t.party("Veilig Thuis", meeting.KindProfessional)
	team := t.party("Wijkteam", meeting.KindProfessional)
	t.party("Raad voor de Kinderbescherming", meeting.KindProfessional) // invited, did not come

	sanne := t.join("Sanne", mother)
	ahmed := t.join("Ahmed", father)
	agri := t.join("Ağrı", child)
	zoe := t.join("Zoë", neighbour)
	francois := t.join("François", vt)
	lucja := t.join("Łucja", team)
	// A joiner who was never admitted, and one who was removed, are not at the table.
	t.do(meeting.Actor{Role: meeting.RoleJoiner}, "participant.join", map[string]string{"name": "Kees", "partyId": neighbour})
	gone := t.join("Piet", team)
	t.do(coordinator, "participant.remove", map[string]string{"participantId": gone.ParticipantID})

	t.do(coordinator, "phase.set", map[string]string{"phase": "strengths"})
	t.item(sanne, "strength", "We eten elke avond samen.")
	t.item(zoe, "strength", "De kinderen spelen graag buiten.\nAğrı helpt zijn zusje.")
	t.item(ahmed, "strength", "Ik heb nog een draft die niemand ziet.")
	t.do(coordinator, "reveal", map[string]string{"kind": "strength", "partyId": mother})
	t.do(coordinator, "reveal", map[string]string{"kind": "strength", "partyId": neighbour})

	t.do(coordinator, "phase.set", map[string]string{"phase": "worries"})
	money := t.item(ahmed, "worry", arabicWorry, "financien")
	empty := t.item(sanne, "worry", "Geld is op aan het eind van de maand")
	debts := t.item(francois, "worry", "=Schulden lopen op")
	rest := t.item(lucja, "worry", "Geen rust thuis; de kinderen slapen slecht")
	t.item(agri, "worry", "Ik wil op voetbal")
	t.do(coordinator, "reveal", map[string]string{"kind": "worry"})

	t.do(coordinator, "phase.set", map[string]string{"phase": "cluster"})
	t.do(coordinator, "worry.merge", map[string]string{"intoId": money, "fromId": empty})

	t.do(coordinator, "phase.set", map[string]string{"phase": "rank"})
	for _, a := range []meeting.Actor{sanne, ahmed, zoe, francois, lucja} {
		t.do(a, "ranking.set", map[string]any{"worryIds": []string{money, rest, debts}})
	}
	t.do(coordinator, "phase.set", map[string]string{"phase": "agree"})
	t.do(coordinator, "agree.confirm", map[string]any{"worryIds": []string{money, debts, rest},
		"reason": "Zonder plan voor de schulden komt er geen rust."})
	t.do(lucja, "agree.dissent", map[string]string{"text": "+Wij vinden de rust thuis belangrijker."})
	t.do(sanne, "agree.akkoord", nil)
	t.do(ahmed, "agree.akkoord", nil)

	t.do(coordinator, "phase.set", map[string]string{"phase": "plan"})
	t.do(coordinator, "plan.goal.set", map[string]any{"worryId": money, "goal": "Elke maand rond komen", "scoreNow": 3})
	t.do(coordinator, "plan.goal.set", map[string]any{"worryId": debts, "goal": "+100 euro per maand over", "scoreNow": 2})
	t.do(coordinator, "plan.goal.set", map[string]any{"worryId": rest, "goal": "Iedereen slaapt weer goed"})
	t.do(coordinator, "plan.action.add", map[string]any{"worryId": money, "what": "Budgetcoach aanvragen, samen met François",
		"ownerPartyId": team, "due": "2027-01-15"})
	t.do(coordinator, "plan.action.add", map[string]any{"worryId": debts, "what": "@Sanne belt de woningcorporatie",
		"ownerPartyId": mother, "status": "done"})
	t.do(coordinator, "plan.action.add", map[string]any{"worryId": money, "what": "-Aanmelden bij schuldhulp",
		"ownerPartyId": father, "due": "2026-12-15", "status": "doing"})
	t.do(coordinator, "plan.details.set", map[string]any{"regisseurPartyId": team, "regisseurRole": "Gezinscoach",
		"nextEvaluation": "2027-03-01"})
	if closed {
		t.do(coordinator, "meeting.close", nil)
	}
	return t.m
}
