package meeting

import (
	"encoding/json"
	"testing"
	"time"
)

// table is a meeting under test with helpers to run commands as someone.
type table struct {
	tb  testing.TB
	m   *Meeting
	n   int
	log []Event // every event of every accepted command, in order
}

func newTable(tb testing.TB, opts Options) *table {
	tb.Helper()
	return &table{tb: tb, m: New(Header{ID: "m1", FamilyLabel: "Gezin J.", Options: opts})}
}

var coordinator = Actor{Role: RoleCoordinator}

func participant(id string) Actor { return Actor{Role: RoleParticipant, ParticipantID: id} }

// try runs a command and, on success, keeps the new state. A json.RawMessage is
// sent as it is, so tests can send bytes json.Marshal would never produce.
func (t *table) try(a Actor, name string, data any) ([]Event, error) {
	t.tb.Helper()
	raw, ok := data.(json.RawMessage)
	if !ok {
		var err error
		if raw, err = json.Marshal(data); err != nil {
			t.tb.Fatal(err)
		}
	}
	t.n++
	next, evs, err := t.m.Decide(Command{ID: "c" + string(rune('a'+t.n%26)), Name: name, Data: raw, Actor: a,
		Now: time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)})
	if err == nil {
		t.m = next
		t.log = append(t.log, evs...)
	}
	return evs, err
}

// do runs a command that must succeed and returns its own events: the
// console's drafts.counted that goes before them is left out (it is in t.log;
// TestDraftCounts looks at it with all).
func (t *table) do(a Actor, name string, data any) []Event {
	t.tb.Helper()
	evs := t.all(a, name, data)
	if len(evs) > 0 && evs[0].Name == EvDraftsCounted {
		evs = evs[1:]
	}
	return evs
}

// all runs a command that must succeed and returns every event it made.
func (t *table) all(a Actor, name string, data any) []Event {
	t.tb.Helper()
	evs, err := t.try(a, name, data)
	if err != nil {
		t.tb.Fatalf("%s: %v", name, err)
	}
	return evs
}

// fails runs a command that must fail with code and leave the meeting unchanged.
func (t *table) fails(a Actor, name string, data any, code string) {
	t.tb.Helper()
	before, _ := json.Marshal(t.m)
	seq := t.m.Seq
	_, err := t.try(a, name, data)
	if ErrorCode(err) != code {
		t.tb.Fatalf("%s: got error %v, want code %s", name, err, code)
	}
	after, _ := json.Marshal(t.m)
	if string(before) != string(after) || seq != t.m.Seq {
		t.tb.Fatalf("%s: state changed by a refused command", name)
	}
}

// silent runs a command that must succeed and change nothing: a repeated identical action.
func (t *table) silent(a Actor, name string, data any) {
	t.tb.Helper()
	before, _ := json.Marshal(t.m)
	evs, err := t.try(a, name, data)
	if err != nil || len(evs) != 0 {
		t.tb.Fatalf("%s: got %d events, error %v, want a silent success", name, len(evs), err)
	}
	if after, _ := json.Marshal(t.m); string(before) != string(after) {
		t.tb.Fatalf("%s: a silent success changed the state", name)
	}
}

// join adds a party-member and admits them; it returns the participant id.
func (t *table) join(name, partyID string) string {
	t.tb.Helper()
	evs := t.do(Actor{Role: RoleJoiner}, "participant.join", map[string]string{"name": name, "partyId": partyID})
	var d participantData
	_ = json.Unmarshal(evs[0].Data, &d)
	t.do(coordinator, "participant.admit", map[string]string{"participantId": d.Participant.ID})
	return d.Participant.ID
}

func (t *table) party(name string, kind PartyKind) string {
	t.tb.Helper()
	evs := t.do(coordinator, "party.add", map[string]string{"name": name, "kind": string(kind)})
	var d partyData
	_ = json.Unmarshal(evs[len(evs)-1].Data, &d)
	return d.Party.ID
}

func (t *table) worry(a Actor, text string) string {
	t.tb.Helper()
	evs := t.do(a, "worry.add", map[string]string{"text": text})
	var d itemData
	_ = json.Unmarshal(evs[0].Data, &d)
	return d.Item.ID
}

func TestWholeMeeting(t *testing.T) {
	tt := newTable(t, Options{})
	mother := tt.party("Moeder", KindFamily)
	vt := tt.party("Veilig Thuis", KindProfessional)
	father := tt.party("Vader", KindFamily)
	if got := tt.m.Party(father).Order; got != 1 {
		t.Fatalf("father order = %d, want 1 (family before professionals)", got)
	}
	if got := tt.m.Party(vt).Order; got != 2 {
		t.Fatalf("Veilig Thuis order = %d, want 2", got)
	}
	sanne := tt.join("Sanne", mother)
	henk := tt.join("Henk", father)
	pro := tt.join("Anouk", vt)
	tt.do(coordinator, "phase.set", map[string]string{"phase": "worries"})
	w1 := tt.worry(participant(sanne), "Te weinig geld")
	w2 := tt.worry(participant(henk), "Geen rust thuis")
	w3 := tt.worry(participant(pro), "Schulden lopen op")
	w4 := tt.worry(participant(henk), "Geld is op")
	if v := tt.m.ViewFor(tt.m.ViewerFor(RoleScreen, "")); len(v.Items) != 0 {
		t.Fatalf("screen sees %d drafts", len(v.Items))
	}
	tt.do(coordinator, "reveal", map[string]string{"kind": "worry"})
	tt.do(coordinator, "phase.set", map[string]string{"phase": "cluster"})
	tt.do(coordinator, "worry.merge", map[string]string{"intoId": w1, "fromId": w4})
	if a := tt.m.authorsOf(w1); len(a) != 2 {
		t.Fatalf("merged authors = %v", a)
	}
	tt.do(coordinator, "phase.set", map[string]string{"phase": "rank"})
	tt.do(participant(sanne), "ranking.set", map[string]any{"worryIds": []string{w1, w2, w3}})
	tt.do(participant(henk), "ranking.set", map[string]any{"worryIds": []string{w2, w1}})
	evs := tt.do(participant(pro), "ranking.set", map[string]any{"worryIds": []string{w3, w1}})
	if evs[0].Scope != ScopePrivate || evs[1].Name != EvRankingProgress {
		t.Fatalf("ranking events = %+v", evs)
	}
	r := tt.m.Ranking()
	if r.Top3[0] != w1 {
		t.Fatalf("top3 = %v", r.Top3)
	}
	tt.do(coordinator, "phase.set", map[string]string{"phase": "agree"})
	tt.fails(coordinator, "agree.confirm", map[string]any{"worryIds": []string{w3, w2, w1}}, ECodeInvalidInput)
	tt.do(coordinator, "agree.confirm", map[string]any{"worryIds": r.Top3})
	tt.do(participant(sanne), "agree.akkoord", nil)
	tt.fails(participant(pro), "agree.akkoord", nil, ECodeForbidden)
	tt.do(coordinator, "phase.set", map[string]string{"phase": "plan"})
	tt.do(coordinator, "plan.goal.set", map[string]any{"worryId": w1, "goal": "Rond kunnen komen", "scoreNow": 3})
	tt.do(coordinator, "plan.action.add", map[string]any{"worryId": w1, "what": "Budgetcoach", "ownerPartyId": vt, "due": "2027-01-15"})
	tt.fails(coordinator, "meeting.close", nil, ECodeConflict)
	tt.do(coordinator, "plan.details.set", map[string]any{"regisseurPartyId": vt, "regisseurRole": "Gezinscoach", "nextEvaluation": "2027-02-01"})
	tt.do(coordinator, "meeting.close", nil)
	if tt.m.Phase != PhaseClosed || len(tt.m.Versions) != 1 || len(tt.m.Versions[0].Plan.Actions) != 1 {
		t.Fatalf("closed meeting = %+v", tt.m.Versions)
	}
	tt.fails(coordinator, "plan.goal.set", map[string]any{"worryId": w1, "goal": "x"}, ECodeWrongPhase)
}

func TestPhaseStrengthsOnlyWhenHeld(t *testing.T) {
	t.Run("ErrNoStrengthsRound", func(t *testing.T) {
		tt := newTable(t, Options{})
		tt.fails(coordinator, "phase.set", map[string]string{"phase": "strengths"}, ECodeConflict)
		tt.do(coordinator, "phase.set", map[string]string{"phase": "worries"})
		tt.fails(coordinator, "phase.set", map[string]string{"phase": "strengths"}, ECodeConflict)
		tt.do(coordinator, "phase.set", map[string]string{"phase": "lobby"})
	})
	t.Run("OK", func(t *testing.T) {
		tt := newTable(t, Options{StrengthsRound: true})
		tt.do(coordinator, "phase.set", map[string]string{"phase": "strengths"})
		tt.do(coordinator, "phase.set", map[string]string{"phase": "worries"})
		tt.do(coordinator, "phase.set", map[string]string{"phase": "strengths"})
	})
}
