package meeting

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"
)

// cast names the parties, people and items of a meeting played by playTo.
type cast struct {
	mother, father, network, vt string // parties: two family, one network, one professional
	sanne, henk, els, anouk     string // admitted: mother, father, network (neighbour), Veilig Thuis
	kim                         string // pending, of Veilig Thuis
	s1                          string // Sanne's revealed strength (strengths round only)
	w1, w2, w3, w4              string // revealed worries of Sanne, Henk, Anouk, Henk
	// In a follow-up (playTo PhaseReview): the previous top 3 and the previous plan's actions.
	prevWorries, prevActions []string
}

// playTo plays a meeting up to phase to. With rankings (rank and later) Sanne ranks
// w1 w2 w3, Henk w2 w1 and Anouk w3 w1, so the top 3 is w1 w2 w3; from agree on it
// is confirmed; closed has a regisseur and an evaluation date.
func playTo(tb testing.TB, to Phase, opts Options) (*table, cast) {
	tb.Helper()
	if to == PhaseReview {
		return playFollowUp(tb, opts)
	}
	tt := newTable(tb, opts)
	var c cast
	c.mother = tt.party("Moeder", KindFamily)
	c.father = tt.party("Vader", KindFamily)
	c.network = tt.party("Buurvrouw", KindNetwork)
	c.vt = tt.party("Veilig Thuis", KindProfessional)
	c.sanne = tt.join("Sanne", c.mother)
	c.henk = tt.join("Henk", c.father)
	c.els = tt.join("Els", c.network)
	c.anouk = tt.join("Anouk", c.vt)
	c.kim = tt.pending("Kim", c.vt)
	if to == PhaseLobby {
		return tt, c
	}
	if opts.StrengthsRound {
		tt.phase(PhaseStrengths)
		c.s1 = tt.add(participant(c.sanne), "strength.add", map[string]string{"text": "Oma helpt elke week"}).ID
		tt.do(coordinator, "reveal", map[string]string{"kind": "strength"})
		if to == PhaseStrengths {
			return tt, c
		}
	}
	tt.phase(PhaseWorries)
	c.w1 = tt.worry(participant(c.sanne), "Te weinig geld voor eten")
	c.w2 = tt.worry(participant(c.henk), "Geen rust thuis")
	c.w3 = tt.worry(participant(c.anouk), "Schulden lopen op")
	c.w4 = tt.worry(participant(c.henk), "Het geld is altijd op")
	tt.do(coordinator, "reveal", map[string]string{})
	for _, next := range []Phase{PhaseCluster, PhaseRank, PhaseAgree, PhasePlan} {
		if tt.m.Phase == to {
			return tt, c
		}
		tt.phase(next)
		switch next {
		case PhaseRank:
			tt.rank(c.sanne, c.w1, c.w2, c.w3)
			tt.rank(c.henk, c.w2, c.w1)
			tt.rank(c.anouk, c.w3, c.w1)
		case PhaseAgree:
			tt.do(coordinator, "agree.confirm", map[string]any{"worryIds": []string{c.w1, c.w2, c.w3}})
		}
	}
	if to == PhaseClosed {
		tt.do(coordinator, "plan.details.set", map[string]any{"regisseurPartyId": c.vt, "regisseurRole": "Gezinscoach", "nextEvaluation": "2027-02-01"})
		tt.do(coordinator, "meeting.close", nil)
	}
	if tt.m.Phase != to {
		tb.Fatalf("playTo(%s) ended in %s", to, tt.m.Phase)
	}
	return tt, c
}

// with returns a copy of the table that reports to tb, for use inside a subtest.
// The copy starts from the same state; what it does stays in the copy.
func (t *table) with(tb testing.TB) *table {
	c := *t
	c.tb = tb
	c.log = slices.Clone(t.log)
	return &c
}

// pending lets someone join for a party and leaves them waiting in the lobby.
func (t *table) pending(name, partyID string) string {
	t.tb.Helper()
	evs := t.do(Actor{Role: RoleJoiner}, "participant.join", map[string]string{"name": name, "partyId": partyID})
	var d participantData
	if err := json.Unmarshal(evs[0].Data, &d); err != nil {
		t.tb.Fatal(err)
	}
	return d.Participant.ID
}

func (t *table) phase(p Phase) {
	t.tb.Helper()
	t.do(coordinator, "phase.set", map[string]string{"phase": string(p)})
}

func (t *table) rank(pid string, worryIDs ...string) {
	t.tb.Helper()
	t.do(participant(pid), "ranking.set", map[string]any{"worryIds": worryIDs})
}

// add runs an item command and returns the item its first event carries.
func (t *table) add(a Actor, name string, data any) Item {
	t.tb.Helper()
	return itemOf(t.tb, t.do(a, name, data)[0])
}

// code runs a command that must fail with code and returns its error message.
func (t *table) code(a Actor, name string, data any, code string) string {
	t.tb.Helper()
	t.fails(a, name, data, code)
	_, err := t.try(a, name, data)
	return ErrorMessage(err)
}

func itemOf(tb testing.TB, ev Event) Item {
	tb.Helper()
	if ev.Name != EvItemUpserted {
		tb.Fatalf("event %s, want %s", ev.Name, EvItemUpserted)
	}
	var d itemData
	if err := json.Unmarshal(ev.Data, &d); err != nil {
		tb.Fatal(err)
	}
	return d.Item
}

func mustJSON(tb testing.TB, v any) string {
	tb.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		tb.Fatal(err)
	}
	return string(b)
}

// commandRules is the protocol's command list (docs/protocol.md), written out by hand
// so that the handler table is checked against the document, not against itself.
var commandRules = map[string]struct {
	roles  []Role
	phases []Phase // nil: any phase but closed
}{
	"participant.join":        {[]Role{RoleJoiner}, nil},
	"participant.admit":       {[]Role{RoleCoordinator}, nil},
	"participant.remove":      {[]Role{RoleCoordinator}, nil},
	"meeting.lock":            {[]Role{RoleCoordinator}, nil},
	"meeting.unlock":          {[]Role{RoleCoordinator}, nil},
	"party.add":               {[]Role{RoleCoordinator}, []Phase{PhaseLobby, PhaseStrengths, PhaseWorries}},
	"phase.set":               {[]Role{RoleCoordinator}, nil},
	"strength.add":            {[]Role{RoleCoordinator, RoleParticipant}, []Phase{PhaseStrengths}},
	"strength.edit":           {[]Role{RoleCoordinator, RoleParticipant}, []Phase{PhaseStrengths}},
	"strength.withdraw":       {[]Role{RoleCoordinator, RoleParticipant}, []Phase{PhaseStrengths}},
	"worry.add":               {[]Role{RoleCoordinator, RoleParticipant}, []Phase{PhaseWorries}},
	"worry.edit":              {[]Role{RoleCoordinator, RoleParticipant}, []Phase{PhaseWorries}},
	"worry.withdraw":          {[]Role{RoleCoordinator, RoleParticipant}, []Phase{PhaseWorries}},
	"reveal":                  {[]Role{RoleCoordinator}, []Phase{PhaseStrengths, PhaseWorries}},
	"worry.merge":             {[]Role{RoleCoordinator}, []Phase{PhaseCluster}},
	"worry.unmerge":           {[]Role{RoleCoordinator}, []Phase{PhaseCluster}},
	"familytime.start":        {[]Role{RoleCoordinator}, []Phase{PhaseStrengths, PhaseWorries}},
	"familytime.end":          {[]Role{RoleCoordinator, RoleParticipant}, nil},
	"familytime.spokesperson": {[]Role{RoleCoordinator}, nil},
	"family.add":              {[]Role{RoleParticipant}, []Phase{PhaseStrengths, PhaseWorries}},
	"family.edit":             {[]Role{RoleParticipant}, []Phase{PhaseStrengths, PhaseWorries}},
	"round.start":             {[]Role{RoleCoordinator}, []Phase{PhaseStrengths, PhaseWorries}},
	"round.order":             {[]Role{RoleCoordinator}, []Phase{PhaseStrengths, PhaseWorries}},
	"round.next":              {[]Role{RoleCoordinator}, []Phase{PhaseStrengths, PhaseWorries}},
	"round.back":              {[]Role{RoleCoordinator}, []Phase{PhaseStrengths, PhaseWorries}},
	"round.end":               {[]Role{RoleCoordinator}, []Phase{PhaseStrengths, PhaseWorries}},
	"round.pass":              {[]Role{RoleCoordinator, RoleParticipant}, []Phase{PhaseStrengths, PhaseWorries}},
	"worry.rephrase":          {[]Role{RoleCoordinator}, []Phase{PhaseWorries, PhaseCluster}},
	"ranking.set":             {[]Role{RoleParticipant}, []Phase{PhaseRank}},
	"ranking.close":           {[]Role{RoleCoordinator}, []Phase{PhaseRank}},
	"meeting.options.set":     {[]Role{RoleCoordinator}, nil},
	"lobby.admitAll":          {[]Role{RoleCoordinator}, nil},
	"lobby.dismissAll":        {[]Role{RoleCoordinator}, nil},
	"agree.confirm":           {[]Role{RoleCoordinator}, []Phase{PhaseAgree}},
	"agree.dissent":           {[]Role{RoleParticipant}, []Phase{PhaseAgree, PhasePlan}},
	"agree.akkoord":           {[]Role{RoleParticipant}, []Phase{PhaseAgree, PhasePlan}},
	"plan.goal.set":           {[]Role{RoleCoordinator}, []Phase{PhasePlan}},
	"plan.action.add":         {[]Role{RoleCoordinator}, []Phase{PhasePlan}},
	"plan.action.edit":        {[]Role{RoleCoordinator}, []Phase{PhasePlan}},
	"plan.action.remove":      {[]Role{RoleCoordinator}, []Phase{PhasePlan}},
	"plan.details.set":        {[]Role{RoleCoordinator}, []Phase{PhasePlan}},
	"meeting.close":           {[]Role{RoleCoordinator}, []Phase{PhasePlan}},
	"review.action.set":       {[]Role{RoleCoordinator}, []Phase{PhaseReview}},
	"review.score.set":        {[]Role{RoleCoordinator}, []Phase{PhaseReview}},
	"worry.carry":             {[]Role{RoleCoordinator}, []Phase{PhaseWorries}},

	// The Signs of Safety shape (safety.go).
	"safety.statement.set":        {[]Role{RoleCoordinator}, []Phase{PhasePlan}},
	"safety.scale.set":            {[]Role{RoleCoordinator}, []Phase{PhasePlan}},
	"safety.score.set":            {[]Role{RoleCoordinator, RoleParticipant}, []Phase{PhasePlan}},
	"safety.note.add":             {[]Role{RoleCoordinator, RoleParticipant}, []Phase{PhaseStrengths, PhaseWorries, PhasePlan}},
	"safety.note.remove":          {[]Role{RoleCoordinator}, []Phase{PhaseStrengths, PhaseWorries, PhasePlan}},
	"safety.agreement.add":        {[]Role{RoleCoordinator}, []Phase{PhasePlan}},
	"safety.agreement.edit":       {[]Role{RoleCoordinator}, []Phase{PhasePlan}},
	"safety.agreement.remove":     {[]Role{RoleCoordinator}, []Phase{PhasePlan}},
	"safety.condition.set":        {[]Role{RoleCoordinator, RoleParticipant}, nil},
	"safety.condition.resolve":    {[]Role{RoleCoordinator, RoleParticipant}, nil},
	"safety.carry":                {[]Role{RoleCoordinator}, []Phase{PhasePlan}},
	"safety.review.agreement.set": {[]Role{RoleCoordinator}, []Phase{PhaseReview}},
	"safety.review.score.set":     {[]Role{RoleCoordinator}, []Phase{PhaseReview}},
	"child.houses.set":            {[]Role{RoleCoordinator}, nil},
	"child.voice.bring":           {[]Role{RoleCoordinator}, nil},
	"child.houses.submit":         {[]Role{RoleChild}, nil},
	"worry.source.set":            {[]Role{RoleCoordinator, RoleParticipant}, []Phase{PhaseWorries}},
	"worry.wording.check":         {[]Role{RoleCoordinator, RoleParticipant}, []Phase{PhaseWorries}},
	"plan.contact.set":            {[]Role{RoleCoordinator}, []Phase{PhasePlan}},
	"meeting.takeover":            {[]Role{RoleCoordinator}, nil},
	"meeting.abandon":             {[]Role{RoleCoordinator}, nil},
}

func sortedCommands() []string {
	names := make([]string, 0, len(commandRules))
	for n := range commandRules {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

func TestCommandListMatchesProtocol(t *testing.T) {
	got := CommandNames()
	sort.Strings(got)
	if want := sortedCommands(); !slices.Equal(got, want) {
		t.Fatalf("CommandNames() = %v\nprotocol lists %v", got, want)
	}
}

func TestUnknownCommand(t *testing.T) {
	tt, c := playTo(t, PhaseWorries, Options{})
	for _, name := range []string{"worry.delete", "", "WORRY.ADD", "worry.add ", "ranking.get"} {
		for _, a := range []Actor{coordinator, participant(c.sanne), {Role: RoleScreen}, {Role: RoleJoiner}} {
			tt.fails(a, name, map[string]string{"text": "x"}, ECodeUnknownCommand)
		}
	}
}

func TestCommandRoles(t *testing.T) {
	tt, c := playTo(t, PhaseLobby, Options{})
	actors := map[Role]Actor{
		RoleCoordinator: coordinator,
		RoleScreen:      {Role: RoleScreen},
		RoleParticipant: participant(c.sanne),
		RoleJoiner:      {Role: RoleJoiner},
	}
	for _, name := range sortedCommands() {
		rule := commandRules[name]
		for _, role := range []Role{RoleCoordinator, RoleScreen, RoleParticipant, RoleJoiner} {
			if slices.Contains(rule.roles, role) {
				continue
			}
			t.Run(name+"/ErrForbidden/"+string(role), func(t *testing.T) {
				tt.with(t).fails(actors[role], name, map[string]string{}, ECodeForbidden)
			})
		}
	}
}

func TestCommandsNeedAdmittedParticipant(t *testing.T) {
	tt, c := playTo(t, PhaseWorries, Options{})
	gone := tt.join("Jan", c.father)
	tt.do(coordinator, "participant.remove", map[string]string{"participantId": gone})
	for _, name := range sortedCommands() {
		if !slices.Contains(commandRules[name].roles, RoleParticipant) {
			continue
		}
		t.Run(name+"/ErrForbidden", func(t *testing.T) {
			tt := tt.with(t)
			tt.fails(participant(c.kim), name, map[string]string{"text": "Ik wil ook iets zeggen"}, ECodeForbidden)
			tt.fails(participant(gone), name, map[string]string{"text": "Ik ben verwijderd"}, ECodeForbidden)
			tt.fails(participant("p999"), name, map[string]string{"text": "Wie ben ik"}, ECodeForbidden)
			tt.fails(participant(""), name, map[string]string{"text": "Niemand"}, ECodeForbidden)
		})
	}
}

func TestCommandPhases(t *testing.T) {
	tables := map[Phase]*table{}
	casts := map[Phase]cast{}
	for _, p := range Phases {
		tables[p], casts[p] = playTo(t, p, Options{StrengthsRound: true})
	}
	for _, name := range sortedCommands() {
		rule := commandRules[name]
		for _, p := range Phases {
			a := coordinator
			switch {
			case slices.Contains(rule.roles, RoleJoiner):
				a = Actor{Role: RoleJoiner}
			case slices.Contains(rule.roles, RoleChild):
				a = Actor{Role: RoleChild}
			case slices.Contains(rule.roles, RoleParticipant):
				a = participant(casts[p].sanne)
			}
			allowed := p != PhaseClosed && (rule.phases == nil || slices.Contains(rule.phases, p))
			if allowed {
				t.Run(name+"/OK/"+string(p), func(t *testing.T) {
					_, _, err := tables[p].m.Decide(Command{Name: name, Data: json.RawMessage(`{}`), Actor: a})
					if code := ErrorCode(err); err != nil && (code == ECodeWrongPhase || code == ECodeForbidden) {
						t.Fatalf("%s in %s: %v", name, p, err)
					}
				})
				continue
			}
			t.Run(name+"/ErrWrongPhase/"+string(p), func(t *testing.T) {
				tables[p].with(t).fails(a, name, map[string]string{}, ECodeWrongPhase)
			})
		}
	}
}

func TestInvalidData(t *testing.T) {
	for _, tc := range []struct {
		name  string
		phase Phase
		cmd   string
		data  string
	}{
		{"NotJSON", PhaseWorries, "worry.add", `{"text":`},
		{"Array", PhaseWorries, "worry.add", `["Te weinig geld"]`},
		{"String", PhaseWorries, "worry.add", `"Te weinig geld"`},
		{"UnknownField", PhaseWorries, "worry.add", `{"text":"Te weinig geld","urgent":true}`},
		{"TextIsNumber", PhaseWorries, "worry.add", `{"text":5}`},
		{"TextIsObject", PhaseWorries, "worry.add", `{"text":{"nl":"geld"}}`},
		{"TextIsNull", PhaseWorries, "worry.add", `{"text":null}`},
		{"NoData", PhaseWorries, "worry.add", ``},
		{"UnknownFieldOnEmptyCommand", PhaseLobby, "meeting.lock", `{"really":true}`},
		{"UnknownFieldOnAkkoord", PhaseAgree, "agree.akkoord", `{"ok":true}`},
		{"IDIsNumber", PhaseLobby, "participant.admit", `{"participantId":7}`},
		{"WorryIDsNotList", PhaseRank, "ranking.set", `{"worryIds":"w1"}`},
		{"ScoreIsFraction", PhasePlan, "plan.goal.set", `{"worryId":"w1","goal":"Rust","scoreNow":3.5}`},
		{"ScoreIsString", PhasePlan, "plan.goal.set", `{"worryId":"w1","goal":"Rust","scoreNow":"3"}`},
		{"PhaseMissing", PhaseLobby, "phase.set", `{}`},
		{"PhaseUnknown", PhaseLobby, "phase.set", `{"phase":"pauze"}`},
		{"PartyKindUnknown", PhaseLobby, "party.add", `{"name":"Oma","kind":"grandparent"}`},
		{"PartyKindMissing", PhaseLobby, "party.add", `{"name":"Oma"}`},
	} {
		t.Run("ErrInvalidInput/"+tc.name, func(t *testing.T) {
			tt, c := playTo(t, tc.phase, Options{})
			a := coordinator
			if slices.Contains(commandRules[tc.cmd].roles, RoleParticipant) {
				a = participant(c.sanne)
			}
			data := strings.ReplaceAll(tc.data, `"w1"`, `"`+c.w1+`"`)
			tt.fails(a, tc.cmd, json.RawMessage(data), ECodeInvalidInput)
		})
	}
}

func TestDecideLeavesReceiverUnchanged(t *testing.T) {
	tt, c := playTo(t, PhaseLobby, Options{StrengthsRound: true})
	step := func(a Actor, name string, data any) {
		t.Helper()
		before := tt.m
		was := mustJSON(t, before)
		tt.do(a, name, data)
		if now := mustJSON(t, before); now != was {
			t.Fatalf("%s changed the meeting it was decided on:\nbefore %s\nafter  %s", name, was, now)
		}
		if tt.m == before {
			t.Fatalf("%s returned the receiver itself", name)
		}
	}
	step(coordinator, "party.add", map[string]string{"name": "Oma", "kind": "family"})
	step(coordinator, "phase.set", map[string]string{"phase": "worries"})
	step(participant(c.sanne), "worry.add", map[string]string{"text": "Geld"})
	step(coordinator, "reveal", map[string]string{})
	step(participant(c.sanne), "worry.edit", map[string]string{"itemId": tt.m.Items[len(tt.m.Items)-1].ID, "text": "Te weinig geld"})
	w := tt.m.Items[len(tt.m.Items)-1].ID
	v := tt.worry(participant(c.henk), "Geld is op")
	step(coordinator, "reveal", map[string]string{})
	step(coordinator, "phase.set", map[string]string{"phase": "cluster"})
	step(coordinator, "worry.merge", map[string]string{"intoId": w, "fromId": v})
	step(coordinator, "worry.unmerge", map[string]string{"itemId": v})
	step(coordinator, "phase.set", map[string]string{"phase": "rank"})
	step(participant(c.sanne), "ranking.set", map[string]any{"worryIds": []string{w, v}})
	step(participant(c.sanne), "ranking.set", map[string]any{"worryIds": []string{v, w}})
	step(coordinator, "participant.remove", map[string]string{"participantId": c.sanne})
	step(participant(c.henk), "ranking.set", map[string]any{"worryIds": []string{v}})
	step(coordinator, "phase.set", map[string]string{"phase": "agree"})
	step(coordinator, "agree.confirm", map[string]any{"worryIds": []string{v}})
	step(participant(c.henk), "agree.akkoord", nil)
	step(participant(c.anouk), "agree.dissent", map[string]string{"text": "Ik mis de veiligheid"})
	step(coordinator, "agree.confirm", map[string]any{"worryIds": []string{w, v}, "reason": "Geld eerst"})
	step(coordinator, "phase.set", map[string]string{"phase": "plan"})
	step(coordinator, "plan.goal.set", map[string]any{"worryId": v, "goal": "Rond komen", "scoreNow": 4})
	step(coordinator, "plan.goal.set", map[string]any{"worryId": v, "goal": "Rond komen", "scoreNow": 5})
	step(coordinator, "plan.action.add", map[string]any{"worryId": v, "what": "Budgetcoach", "ownerPartyId": c.vt, "due": ""})
	step(coordinator, "plan.action.edit", map[string]any{"actionId": tt.m.Plan.Actions[0].ID, "what": "Budgetcoach", "ownerPartyId": c.vt, "status": "done"})
	step(coordinator, "plan.details.set", map[string]any{"regisseurPartyId": c.vt, "nextEvaluation": "2027-02-01"})
	step(coordinator, "meeting.close", nil)
}

func TestJoin(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		tt, c := playTo(t, PhaseLobby, Options{})
		evs := tt.do(Actor{Role: RoleJoiner}, "participant.join", map[string]string{"name": "  Oma Riet ", "partyId": c.network})
		var d participantData
		if err := json.Unmarshal(evs[0].Data, &d); err != nil {
			t.Fatal(err)
		}
		p := d.Participant
		if p.Name != "Oma Riet" || p.PartyID != c.network || p.Status != StatusPending || p.ID == "" {
			t.Fatalf("joined %+v, want pending Oma Riet of the network", p)
		}
		if evs[0].Scope != ScopeStaff || evs[0].ParticipantID != p.ID {
			t.Fatalf("join event scope %s for %q, want staff for the joiner", evs[0].Scope, evs[0].ParticipantID)
		}
	})
	t.Run("OKInEveryOpenPhase", func(t *testing.T) {
		tt, c := playTo(t, PhasePlan, Options{})
		tt.pending("Laatkomer", c.vt)
	})
	t.Run("ErrLocked", func(t *testing.T) {
		tt, c := playTo(t, PhaseLobby, Options{})
		tt.do(coordinator, "meeting.lock", nil)
		if !tt.m.Locked {
			t.Fatal("meeting not locked")
		}
		tt.fails(Actor{Role: RoleJoiner}, "participant.join", map[string]string{"name": "Onbekende", "partyId": c.vt}, ECodeLocked)
		tt.do(coordinator, "meeting.unlock", nil)
		tt.pending("Onbekende", c.vt)
	})
	t.Run("ErrUnknownParty", func(t *testing.T) {
		tt, _ := playTo(t, PhaseLobby, Options{})
		tt.fails(Actor{Role: RoleJoiner}, "participant.join", map[string]string{"name": "Jan", "partyId": "party999"}, ECodeNotFound)
		tt.fails(Actor{Role: RoleJoiner}, "participant.join", map[string]string{"name": "Jan"}, ECodeNotFound)
	})
	t.Run("ErrName", func(t *testing.T) {
		tt, c := playTo(t, PhaseLobby, Options{})
		for _, name := range []string{"", "   ", strings.Repeat("a", 81), "Jan\nPiet", "Jan\x1b[31m"} {
			tt.fails(Actor{Role: RoleJoiner}, "participant.join", map[string]string{"name": name, "partyId": c.vt}, ECodeInvalidInput)
		}
		tt.pending(strings.Repeat("a", 80), c.vt)
	})
	t.Run("ErrClosed", func(t *testing.T) {
		tt, c := playTo(t, PhaseClosed, Options{})
		tt.fails(Actor{Role: RoleJoiner}, "participant.join", map[string]string{"name": "Jan", "partyId": c.vt}, ECodeWrongPhase)
	})
}

func TestAdmitRemoveLock(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		tt, c := playTo(t, PhaseLobby, Options{})
		evs := tt.do(coordinator, "participant.admit", map[string]string{"participantId": c.kim})
		if p := tt.m.Participant(c.kim); p.Status != StatusAdmitted {
			t.Fatalf("kim is %s", p.Status)
		}
		if evs[0].Scope != ScopeTable || evs[0].ParticipantID != c.kim {
			t.Fatalf("admit scope %s for %q, want table and Kim", evs[0].Scope, evs[0].ParticipantID)
		}
		tt.do(coordinator, "participant.remove", map[string]string{"participantId": c.kim})
		if p := tt.m.Participant(c.kim); p.Status != StatusRemoved {
			t.Fatalf("kim is %s", p.Status)
		}
	})
	t.Run("OKRemovePending", func(t *testing.T) {
		tt, c := playTo(t, PhaseLobby, Options{})
		tt.do(coordinator, "participant.remove", map[string]string{"participantId": c.kim})
		tt.fails(coordinator, "participant.admit", map[string]string{"participantId": c.kim}, ECodeConflict)
	})
	t.Run("ErrConflict", func(t *testing.T) {
		tt, c := playTo(t, PhaseLobby, Options{})
		// The same action again is a silent success: a double tap is no error.
		tt.silent(coordinator, "participant.admit", map[string]string{"participantId": c.sanne})
		tt.do(coordinator, "participant.remove", map[string]string{"participantId": c.sanne})
		tt.silent(coordinator, "participant.remove", map[string]string{"participantId": c.sanne})
		tt.fails(coordinator, "participant.admit", map[string]string{"participantId": c.sanne}, ECodeConflict)
		tt.silent(coordinator, "meeting.unlock", nil)
		tt.do(coordinator, "meeting.lock", nil)
		tt.silent(coordinator, "meeting.lock", nil)
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		tt, _ := playTo(t, PhaseLobby, Options{})
		tt.fails(coordinator, "participant.admit", map[string]string{"participantId": "p999"}, ECodeNotFound)
		tt.fails(coordinator, "participant.remove", map[string]string{"participantId": ""}, ECodeNotFound)
	})
	t.Run("RemovedLosesAccess", func(t *testing.T) {
		tt, c := playTo(t, PhaseWorries, Options{})
		tt.do(coordinator, "participant.remove", map[string]string{"participantId": c.henk})
		tt.fails(participant(c.henk), "worry.add", map[string]string{"text": "Nog iets"}, ECodeForbidden)
	})
}

func TestPartyAdd(t *testing.T) {
	t.Run("OKSpeakingOrder", func(t *testing.T) {
		tt := newTable(t, Options{})
		pro := tt.party("Gebiedsteam", KindProfessional)
		net := tt.party("Buurman", KindNetwork)
		mom := tt.party("Moeder", KindFamily)
		pro2 := tt.party("Raad voor de Kinderbescherming", KindProfessional)
		dad := tt.party("Vader", KindFamily)
		for want, id := range []string{mom, dad, net, pro, pro2} {
			if p := tt.m.Party(id); p.Order != want {
				t.Errorf("%s has order %d, want %d", p.Name, p.Order, want)
			}
		}
	})
	t.Run("ErrInvalidInput", func(t *testing.T) {
		tt := newTable(t, Options{})
		tt.fails(coordinator, "party.add", map[string]string{"name": "", "kind": "family"}, ECodeInvalidInput)
		tt.fails(coordinator, "party.add", map[string]string{"name": strings.Repeat("x", 81), "kind": "family"}, ECodeInvalidInput)
		tt.fails(coordinator, "party.add", map[string]string{"name": "Oma", "kind": "Family"}, ECodeInvalidInput)
	})
	t.Run("ErrTooMany", func(t *testing.T) {
		tt := newTable(t, Options{})
		for i := 0; i < 40; i++ {
			tt.party("Partij", KindProfessional)
		}
		tt.fails(coordinator, "party.add", map[string]string{"name": "Nog een", "kind": "family"}, ECodeConflict)
	})
}

func TestPhaseSet(t *testing.T) {
	on, off := Options{StrengthsRound: true}, Options{}
	for _, tc := range []struct {
		name     string
		opts     Options
		from, to Phase
		code     string
	}{
		{"OK/ForwardToStrengths", on, PhaseLobby, PhaseStrengths, ""},
		{"OK/SkipStrengths", on, PhaseLobby, PhaseWorries, ""},
		{"OK/NoStrengthsRound", off, PhaseLobby, PhaseWorries, ""},
		{"OK/StrengthsToWorries", on, PhaseStrengths, PhaseWorries, ""},
		{"OK/WorriesToCluster", off, PhaseWorries, PhaseCluster, ""},
		{"OK/ClusterToRank", off, PhaseCluster, PhaseRank, ""},
		{"OK/RankToAgree", off, PhaseRank, PhaseAgree, ""},
		{"OK/AgreeToPlanConfirmed", off, PhaseAgree, PhasePlan, ""},
		{"OK/BackToStrengths", on, PhaseWorries, PhaseStrengths, ""},
		{"OK/BackToLobby", on, PhaseStrengths, PhaseLobby, ""},
		{"OK/BackOverMissingStrengths", off, PhaseWorries, PhaseLobby, ""},
		{"OK/BackToWorries", off, PhaseCluster, PhaseWorries, ""},
		{"OK/BackToCluster", off, PhaseRank, PhaseCluster, ""},
		{"OK/BackToRank", off, PhaseAgree, PhaseRank, ""},
		{"OK/BackToAgree", off, PhasePlan, PhaseAgree, ""},
		{"ErrConflict/TwoForward", off, PhaseLobby, PhaseCluster, ECodeConflict},
		{"ErrConflict/TwoForwardLater", off, PhaseWorries, PhaseRank, ECodeConflict},
		{"ErrConflict/SkipStrengthsNotFromLobby", off, PhaseCluster, PhaseAgree, ECodeConflict},
		{"ErrConflict/TwoBackOverHeldStrengths", on, PhaseWorries, PhaseLobby, ECodeConflict},
		{"ErrConflict/TwoBack", off, PhaseRank, PhaseWorries, ECodeConflict},
		{"ErrConflict/ThreeBack", off, PhasePlan, PhaseCluster, ECodeConflict},
		{"ErrConflict/CloseByPhaseSet", off, PhasePlan, PhaseClosed, ECodeConflict},
		{"ErrInvalidInput/Unknown", off, PhaseLobby, Phase("pauze"), ECodeInvalidInput},
		{"ErrInvalidInput/Empty", off, PhaseLobby, Phase(""), ECodeInvalidInput},
		{"ErrInvalidInput/Capitals", off, PhaseLobby, Phase("Worries"), ECodeInvalidInput},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tt, _ := playTo(t, tc.from, tc.opts)
			data := map[string]string{"phase": string(tc.to)}
			if tc.code != "" {
				tt.fails(coordinator, "phase.set", data, tc.code)
				return
			}
			before := tt.m.Header
			evs := tt.do(coordinator, "phase.set", data)
			want := before
			want.Phase = tc.to
			if tt.m.Header != want {
				t.Fatalf("header %+v, want %+v", tt.m.Header, want)
			}
			// Leaving the rank round forward closes it first: the result, then the phase.
			if tc.from == PhaseRank && tc.to == PhaseAgree {
				if len(evs) != 2 || evs[0].Name != EvRankingResult || !tt.m.RankingClosed {
					t.Fatalf("events %+v, want ranking.result then meeting.updated", evs)
				}
				evs = evs[1:]
			}
			if len(evs) != 1 || evs[0].Name != EvMeetingUpdated || evs[0].Scope != ScopeAll {
				t.Fatalf("events %+v, want one meeting.updated for all", evs)
			}
		})
	}
	t.Run("OK/SameIsSilent", func(t *testing.T) {
		tt, _ := playTo(t, PhaseWorries, off)
		tt.silent(coordinator, "phase.set", map[string]string{"phase": "worries"})
	})
	t.Run("ErrConflict/PlanNeedsConfirmedTop3", func(t *testing.T) {
		tt, _ := playTo(t, PhaseRank, Options{})
		tt.phase(PhaseAgree)
		tt.fails(coordinator, "phase.set", map[string]string{"phase": "plan"}, ECodeConflict)
	})
	t.Run("ErrWrongPhase/Closed", func(t *testing.T) {
		tt, _ := playTo(t, PhaseClosed, Options{})
		for _, p := range Phases {
			tt.fails(coordinator, "phase.set", map[string]string{"phase": string(p)}, ECodeWrongPhase)
		}
	})
}

func TestItemAdd(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		tt, c := playTo(t, PhaseWorries, Options{})
		evs := tt.do(participant(c.henk), "worry.add", map[string]string{"text": " Ik slaap slecht ", "domain": "geestelijke_gezondheid"})
		it := itemOf(t, evs[0])
		want := Item{ID: it.ID, Kind: KindWorry, PartyID: c.father, Text: "Ik slaap slecht", Domain: "geestelijke_gezondheid",
			AuthorIDs: []string{c.henk}, Order: evs[0].Seq}
		if mustJSON(t, it) != mustJSON(t, want) {
			t.Fatalf("item %+v\nwant %+v", it, want)
		}
		if evs[0].Scope != ScopePrivate || evs[0].ParticipantID != c.henk {
			t.Fatalf("draft scope %s for %q, want private for its author", evs[0].Scope, evs[0].ParticipantID)
		}
	})
	t.Run("OKStrength", func(t *testing.T) {
		tt, c := playTo(t, PhaseStrengths, Options{StrengthsRound: true})
		it := tt.add(participant(c.anouk), "strength.add", map[string]string{"text": "Vader is eerlijk"})
		if it.Kind != KindStrength || it.Revealed {
			t.Fatalf("strength %+v", it)
		}
	})
	t.Run("OKOnBehalf", func(t *testing.T) {
		tt, c := playTo(t, PhaseWorries, Options{})
		evs := tt.do(coordinator, "worry.add", map[string]string{"text": "Ik ben bang als papa boos is", "partyId": c.mother})
		it := itemOf(t, evs[0])
		if !it.OnBehalf || it.PartyID != c.mother || !slices.Equal(it.AuthorIDs, []string{CoordinatorAuthor}) || it.Revealed {
			t.Fatalf("on behalf item %+v", it)
		}
		if evs[0].Scope != ScopePrivate || evs[0].ParticipantID != "" {
			t.Fatalf("on behalf draft scope %s for %q, want private for coordinators", evs[0].Scope, evs[0].ParticipantID)
		}
	})
	t.Run("ErrOnBehalfParty", func(t *testing.T) {
		tt, _ := playTo(t, PhaseWorries, Options{})
		tt.fails(coordinator, "worry.add", map[string]string{"text": "Zorg"}, ECodeInvalidInput)
		tt.fails(coordinator, "worry.add", map[string]string{"text": "Zorg", "partyId": "party999"}, ECodeNotFound)
	})
	t.Run("ErrForbiddenOtherParty", func(t *testing.T) {
		tt, c := playTo(t, PhaseWorries, Options{})
		tt.fails(participant(c.anouk), "worry.add", map[string]string{"text": "Namens moeder", "partyId": c.mother}, ECodeForbidden)
		tt.fails(participant(c.sanne), "worry.add", map[string]string{"text": "Namens mezelf", "partyId": c.mother}, ECodeForbidden)
	})
	t.Run("ErrDomain", func(t *testing.T) {
		tt, c := playTo(t, PhaseWorries, Options{})
		for _, d := range []string{"geld", "Financien", "financiën", " financien"} {
			tt.fails(participant(c.sanne), "worry.add", map[string]string{"text": "Geld", "domain": d}, ECodeInvalidInput)
		}
		for _, d := range Domains {
			tt.add(participant(c.sanne), "worry.add", map[string]string{"text": "Zorg over " + d, "domain": d})
		}
	})
	t.Run("ErrTooManyItems", func(t *testing.T) {
		tt, c := playTo(t, PhaseWorries, Options{})
		for len(tt.m.Items) < 1000 {
			tt.worry(participant(c.sanne), "Nog een zorg")
		}
		tt.fails(participant(c.sanne), "worry.add", map[string]string{"text": "De duizend-en-eerste"}, ECodeConflict)
	})
}

func TestItemEditWithdraw(t *testing.T) {
	t.Run("OKEditDraft", func(t *testing.T) {
		tt, c := playTo(t, PhaseWorries, Options{})
		d := tt.worry(participant(c.sanne), "Geld")
		evs := tt.do(participant(c.sanne), "worry.edit", map[string]string{"itemId": d, "text": "Te weinig geld", "domain": "financien"})
		it := itemOf(t, evs[0])
		if it.ID != d || it.Text != "Te weinig geld" || it.Domain != "financien" || it.Revealed {
			t.Fatalf("edited %+v", it)
		}
		if evs[0].Scope != ScopePrivate || evs[0].ParticipantID != c.sanne {
			t.Fatalf("edited draft went to %s/%q", evs[0].Scope, evs[0].ParticipantID)
		}
	})
	t.Run("OKEditRevealed", func(t *testing.T) {
		tt, c := playTo(t, PhaseWorries, Options{})
		evs := tt.do(participant(c.sanne), "worry.edit", map[string]string{"itemId": c.w1, "text": "Te weinig geld voor eten en huur"})
		if evs[0].Scope != ScopeTable || !itemOf(t, evs[0]).Revealed {
			t.Fatalf("edited revealed item went to %s", evs[0].Scope)
		}
	})
	t.Run("OKCoordinatorEditsOnBehalf", func(t *testing.T) {
		tt, c := playTo(t, PhaseWorries, Options{})
		d := tt.add(coordinator, "worry.add", map[string]string{"text": "Bang", "partyId": c.mother}).ID
		tt.do(coordinator, "worry.edit", map[string]string{"itemId": d, "text": "Bang als papa boos is"})
		tt.do(coordinator, "worry.withdraw", map[string]string{"itemId": d})
	})
	t.Run("ErrNotFoundOthersDraft", func(t *testing.T) {
		tt, c := playTo(t, PhaseWorries, Options{})
		d := tt.worry(participant(c.sanne), "Henk drinkt")
		ob := tt.add(coordinator, "worry.add", map[string]string{"text": "Bang", "partyId": c.mother}).ID
		for _, tc := range []struct {
			a  Actor
			id string
		}{
			{participant(c.henk), d},     // another participant's draft
			{coordinator, d},             // coordinators do not see participants' drafts
			{participant(c.sanne), ob},   // a draft typed on behalf of her own party
			{participant(c.sanne), c.s1}, // no such worry (the meeting has no strengths)
		} {
			for _, cmd := range []string{"worry.edit", "worry.withdraw"} {
				data := map[string]string{"itemId": tc.id}
				if cmd == "worry.edit" {
					data["text"] = "Anders"
				}
				got := tt.code(tc.a, cmd, data, ECodeNotFound)
				data["itemId"] = "w999"
				if want := tt.code(tc.a, cmd, data, ECodeNotFound); got != want {
					t.Errorf("%s of a hidden draft says %q, of a missing item %q: the difference leaks the draft", cmd, got, want)
				}
			}
		}
	})
	t.Run("ErrNotFoundWrongKind", func(t *testing.T) {
		tt, c := playTo(t, PhaseWorries, Options{StrengthsRound: true})
		tt.fails(participant(c.sanne), "worry.edit", map[string]string{"itemId": c.s1, "text": "Anders"}, ECodeNotFound)
		tt.fails(participant(c.sanne), "worry.withdraw", map[string]string{"itemId": c.s1}, ECodeNotFound)
	})
	t.Run("ErrForbiddenOthersRevealed", func(t *testing.T) {
		tt, c := playTo(t, PhaseWorries, Options{})
		tt.fails(participant(c.henk), "worry.edit", map[string]string{"itemId": c.w1, "text": "Anders"}, ECodeForbidden)
		tt.fails(participant(c.henk), "worry.withdraw", map[string]string{"itemId": c.w1}, ECodeForbidden)
		tt.fails(coordinator, "worry.edit", map[string]string{"itemId": c.w1, "text": "Anders"}, ECodeForbidden)
		tt.fails(coordinator, "worry.withdraw", map[string]string{"itemId": c.w1}, ECodeForbidden)
	})
	t.Run("OKNoChangeIsSilent", func(t *testing.T) {
		tt, c := playTo(t, PhaseWorries, Options{})
		tt.silent(participant(c.sanne), "worry.edit", map[string]string{"itemId": c.w1, "text": "  Te weinig geld voor eten "})
	})
	t.Run("OKWithdraw", func(t *testing.T) {
		tt, c := playTo(t, PhaseWorries, Options{})
		d := tt.worry(participant(c.sanne), "Geld")
		evs := tt.do(participant(c.sanne), "worry.withdraw", map[string]string{"itemId": d})
		if it := itemOf(t, evs[0]); !it.Withdrawn || it.Revealed || evs[0].Scope != ScopePrivate {
			t.Fatalf("withdrawn draft %+v went to %s", it, evs[0].Scope)
		}
		tt.silent(participant(c.sanne), "worry.withdraw", map[string]string{"itemId": d})
		tt.fails(participant(c.sanne), "worry.edit", map[string]string{"itemId": d, "text": "Toch"}, ECodeConflict)
		tt.fails(participant(c.henk), "worry.withdraw", map[string]string{"itemId": d}, ECodeNotFound)
		tt.worry(participant(c.sanne), "Iets anders")
		evs = tt.do(coordinator, "reveal", map[string]string{})
		for _, it := range revealedItems(t, evs[0]) {
			if it.ID == d {
				t.Fatal("reveal showed a withdrawn draft")
			}
		}
		if tt.m.Item(d).Revealed {
			t.Fatal("withdrawn draft is revealed")
		}
		evs = tt.do(participant(c.sanne), "worry.withdraw", map[string]string{"itemId": c.w1})
		if evs[0].Scope != ScopeTable {
			t.Fatalf("withdrawing a revealed worry went to %s, want the table", evs[0].Scope)
		}
	})
}

func revealedItems(tb testing.TB, ev Event) []Item {
	tb.Helper()
	if ev.Name != EvItemsRevealed || ev.Scope != ScopeTable {
		tb.Fatalf("event %s/%s, want items.revealed for the table", ev.Name, ev.Scope)
	}
	var d itemsData
	if err := json.Unmarshal(ev.Data, &d); err != nil {
		tb.Fatal(err)
	}
	return d.Items
}

func itemIDs(items []Item) []string {
	ids := []string{}
	for _, it := range items {
		ids = append(ids, it.ID)
	}
	return ids
}

func TestReveal(t *testing.T) {
	t.Run("OKOneParty", func(t *testing.T) {
		tt, c := playTo(t, PhaseWorries, Options{})
		sanne := tt.worry(participant(c.sanne), "Geld")
		henk := tt.worry(participant(c.henk), "Werk")
		child := tt.add(coordinator, "worry.add", map[string]string{"text": "Ruzie", "partyId": c.mother}).ID
		evs := tt.do(coordinator, "reveal", map[string]string{"kind": "worry", "partyId": c.mother})
		if got := itemIDs(revealedItems(t, evs[0])); !slices.Equal(got, []string{sanne, child}) {
			t.Fatalf("revealed %v, want the mother's %v", got, []string{sanne, child})
		}
		if !tt.m.Item(sanne).Revealed || !tt.m.Item(child).Revealed || tt.m.Item(henk).Revealed {
			t.Fatal("reveal of the mother's party changed the wrong items")
		}
		tt.silent(coordinator, "reveal", map[string]string{"partyId": c.mother})
		evs = tt.do(coordinator, "reveal", map[string]string{"partyId": c.father})
		if got := itemIDs(revealedItems(t, evs[0])); !slices.Equal(got, []string{henk}) {
			t.Fatalf("revealed %v, want %v", got, []string{henk})
		}
	})
	t.Run("OKAllAndLateWorries", func(t *testing.T) {
		tt, c := playTo(t, PhaseWorries, Options{})
		a := tt.worry(participant(c.sanne), "Geld")
		b := tt.worry(participant(c.anouk), "Veiligheid")
		evs := tt.do(coordinator, "reveal", map[string]string{"kind": "worry"})
		if got := itemIDs(revealedItems(t, evs[0])); !slices.Equal(got, []string{a, b}) {
			t.Fatalf("revealed %v, want %v", got, []string{a, b})
		}
		late := tt.worry(participant(c.els), "Niemand helpt")
		if tt.m.Item(late).Revealed {
			t.Fatal("a worry added after the reveal is revealed at once")
		}
		if v := tt.m.ViewFor(tt.m.ViewerFor(RoleScreen, "")); slices.Contains(itemIDs(v.Items), late) {
			t.Fatal("the screen sees a late draft")
		}
		evs = tt.do(coordinator, "reveal", map[string]string{})
		if got := itemIDs(revealedItems(t, evs[0])); !slices.Equal(got, []string{late}) {
			t.Fatalf("second reveal showed %v, want only %v", got, []string{late})
		}
	})
	t.Run("OKStrengthsOnlyInStrengthsRound", func(t *testing.T) {
		tt, c := playTo(t, PhaseWorries, Options{StrengthsRound: true})
		w := tt.worry(participant(c.sanne), "Geld")
		tt.phase(PhaseStrengths)
		s := tt.add(participant(c.sanne), "strength.add", map[string]string{"text": "Wij praten veel"}).ID
		evs := tt.do(coordinator, "reveal", map[string]string{})
		if got := itemIDs(revealedItems(t, evs[0])); !slices.Equal(got, []string{s}) {
			t.Fatalf("revealed %v, want only the strength %s", got, s)
		}
		if tt.m.Item(w).Revealed {
			t.Fatal("a worry draft was revealed in the strengths round")
		}
	})
	t.Run("OKNothingIsSilent", func(t *testing.T) {
		tt, _ := playTo(t, PhaseWorries, Options{})
		tt.silent(coordinator, "reveal", map[string]string{})
	})
	t.Run("ErrNotFoundParty", func(t *testing.T) {
		tt, c := playTo(t, PhaseWorries, Options{})
		tt.worry(participant(c.sanne), "Geld")
		tt.fails(coordinator, "reveal", map[string]string{"partyId": "party999"}, ECodeNotFound)
	})
	t.Run("ErrWrongPhaseKind", func(t *testing.T) {
		tt, c := playTo(t, PhaseWorries, Options{})
		tt.worry(participant(c.sanne), "Geld")
		tt.fails(coordinator, "reveal", map[string]string{"kind": "strength"}, ECodeWrongPhase)
	})
	t.Run("ErrInvalidInputKind", func(t *testing.T) {
		tt, c := playTo(t, PhaseWorries, Options{})
		tt.worry(participant(c.sanne), "Geld")
		tt.fails(coordinator, "reveal", map[string]string{"kind": "zorg"}, ECodeInvalidInput)
	})
}

func TestMerge(t *testing.T) {
	merge := func(tt *table, into, from string) []Event {
		tt.tb.Helper()
		return tt.do(coordinator, "worry.merge", map[string]string{"intoId": into, "fromId": from})
	}
	t.Run("OKKeepsAuthorsAndUnmergeRestores", func(t *testing.T) {
		tt, c := playTo(t, PhaseCluster, Options{})
		evs := merge(tt, c.w1, c.w4)
		if it := itemOf(t, evs[0]); it.ID != c.w4 || it.MergedInto != c.w1 || evs[0].Scope != ScopeTable {
			t.Fatalf("merge event %+v to %s", it, evs[0].Scope)
		}
		if got := tt.m.authorsOf(c.w1); !slices.Equal(got, []string{c.sanne, c.henk}) {
			t.Fatalf("authors of the merged worry %v, want Sanne and Henk", got)
		}
		if got := itemIDs(tt.m.rankable()); slices.Contains(got, c.w4) {
			t.Fatalf("merged-away worry is still rankable: %v", got)
		}
		tt.do(coordinator, "worry.unmerge", map[string]string{"itemId": c.w4})
		if got := tt.m.authorsOf(c.w1); !slices.Equal(got, []string{c.sanne}) {
			t.Fatalf("authors after unmerge %v, want Sanne", got)
		}
		if got := tt.m.authorsOf(c.w4); !slices.Equal(got, []string{c.henk}) {
			t.Fatalf("authors of the unmerged worry %v, want Henk", got)
		}
		if tt.m.Item(c.w4).MergedInto != "" {
			t.Fatal("unmerge left mergedInto")
		}
	})
	t.Run("OKIntoMergedGoesToRoot", func(t *testing.T) {
		tt, c := playTo(t, PhaseCluster, Options{})
		merge(tt, c.w1, c.w4)
		merge(tt, c.w4, c.w3)
		if got := tt.m.Item(c.w3).MergedInto; got != c.w1 {
			t.Fatalf("merged into a merged-away worry: mergedInto %s, want its root %s", got, c.w1)
		}
		if got := tt.m.authorsOf(c.w1); !slices.Equal(got, []string{c.sanne, c.anouk, c.henk}) {
			t.Fatalf("authors %v", got)
		}
	})
	t.Run("ErrMergeChain", func(t *testing.T) {
		tt, c := playTo(t, PhaseCluster, Options{})
		merge(tt, c.w1, c.w4)
		// w1 holds w4: merging w1 itself would chain w4 -> w1 -> w2.
		tt.fails(coordinator, "worry.merge", map[string]string{"intoId": c.w2, "fromId": c.w1}, ECodeMergeChain)
		tt.do(coordinator, "worry.unmerge", map[string]string{"itemId": c.w4})
		merge(tt, c.w2, c.w1)
		if got := tt.m.authorsOf(c.w2); !slices.Equal(got, []string{c.sanne, c.henk}) {
			t.Fatalf("authors of w2 %v, want Sanne and Henk", got)
		}
		if got := itemIDs(tt.m.rankable()); !slices.Equal(got, []string{c.w2, c.w3, c.w4}) {
			t.Fatalf("rankable %v", got)
		}
	})
	t.Run("OKSameMergeIsSilent", func(t *testing.T) {
		tt, c := playTo(t, PhaseCluster, Options{})
		merge(tt, c.w1, c.w4)
		tt.silent(coordinator, "worry.merge", map[string]string{"intoId": c.w1, "fromId": c.w4})
		tt.silent(coordinator, "worry.unmerge", map[string]string{"itemId": c.w1})
	})
	t.Run("ErrConflict", func(t *testing.T) {
		tt, c := playTo(t, PhaseCluster, Options{})
		tt.fails(coordinator, "worry.merge", map[string]string{"intoId": c.w1, "fromId": c.w1}, ECodeConflict)
		merge(tt, c.w1, c.w4)
		tt.fails(coordinator, "worry.merge", map[string]string{"intoId": c.w4, "fromId": c.w1}, ECodeConflict)
		tt.fails(coordinator, "worry.merge", map[string]string{"intoId": c.w2, "fromId": c.w4}, ECodeConflict)
	})
	t.Run("ErrConflictWithdrawn", func(t *testing.T) {
		tt, c := playTo(t, PhaseWorries, Options{})
		tt.do(participant(c.henk), "worry.withdraw", map[string]string{"itemId": c.w4})
		tt.phase(PhaseCluster)
		tt.fails(coordinator, "worry.merge", map[string]string{"intoId": c.w1, "fromId": c.w4}, ECodeConflict)
		tt.fails(coordinator, "worry.merge", map[string]string{"intoId": c.w4, "fromId": c.w1}, ECodeConflict)
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		tt, c := playTo(t, PhaseWorries, Options{StrengthsRound: true})
		d := tt.worry(participant(c.sanne), "Nog niet onthuld")
		tt.phase(PhaseCluster)
		for _, id := range []string{d, "w999", "", c.s1} {
			tt.fails(coordinator, "worry.merge", map[string]string{"intoId": c.w1, "fromId": id}, ECodeNotFound)
			tt.fails(coordinator, "worry.merge", map[string]string{"intoId": id, "fromId": c.w1}, ECodeNotFound)
			tt.fails(coordinator, "worry.unmerge", map[string]string{"itemId": id}, ECodeNotFound)
		}
		got := tt.code(coordinator, "worry.merge", map[string]string{"intoId": c.w1, "fromId": d}, ECodeNotFound)
		want := tt.code(coordinator, "worry.merge", map[string]string{"intoId": c.w1, "fromId": "w999"}, ECodeNotFound)
		if strings.ReplaceAll(got, d, "ID") != strings.ReplaceAll(want, "w999", "ID") {
			t.Fatalf("a draft says %q, a missing worry %q", got, want)
		}
	})
}

func TestRankingSet(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		tt, c := playTo(t, PhaseRank, Options{})
		evs := tt.do(participant(c.els), "ranking.set", map[string]any{"worryIds": []string{c.w4, c.w2}})
		if len(evs) != 2 || evs[0].Name != EvRankingMine || evs[0].Scope != ScopePrivate || evs[0].ParticipantID != c.els {
			t.Fatalf("first event %+v, want ranking.mine for Els only", evs[0])
		}
		if evs[1].Name != EvRankingProgress || evs[1].Scope != ScopeTable || tt.m.RankingClosed {
			t.Fatalf("second event %+v, want ranking.progress for the table (everyone ranked: the round stays open)", evs[1])
		}
		if !slices.Equal(tt.m.Rankings[c.els], []string{c.w4, c.w2}) {
			t.Fatalf("Els's ranking %v", tt.m.Rankings[c.els])
		}
	})
	t.Run("OKClear", func(t *testing.T) {
		tt, c := playTo(t, PhaseRank, Options{})
		tt.rank(c.sanne)
		if _, ok := tt.m.Rankings[c.sanne]; ok {
			t.Fatal("an empty ranking is kept")
		}
		if slices.Contains(tt.m.Ranking().RankedBy, c.sanne) {
			t.Fatal("a cleared ranking still counts as ranked")
		}
	})
	t.Run("ErrInvalidInput", func(t *testing.T) {
		tt, c := playTo(t, PhaseRank, Options{})
		tt.fails(participant(c.els), "ranking.set", map[string]any{"worryIds": []string{c.w1, c.w2, c.w3, c.w4}}, ECodeInvalidInput)
		tt.fails(participant(c.els), "ranking.set", map[string]any{"worryIds": []string{c.w1, c.w1}}, ECodeInvalidInput)
		tt.fails(participant(c.els), "ranking.set", map[string]any{"worryIds": []string{c.w1, c.w2, c.w1}}, ECodeInvalidInput)
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		tt, c := playTo(t, PhaseWorries, Options{StrengthsRound: true})
		d := tt.worry(participant(c.els), "Mijn eigen draft")
		tt.phase(PhaseCluster)
		tt.phase(PhaseRank)
		for _, id := range []string{d, "w999", c.s1} { // "" is an open place (TestRankingKeepsTappedPlaces)
			tt.fails(participant(c.els), "ranking.set", map[string]any{"worryIds": []string{c.w1, id}}, ECodeNotFound)
		}
	})
	t.Run("ErrConflictMerged", func(t *testing.T) {
		tt, c := playTo(t, PhaseCluster, Options{})
		tt.do(coordinator, "worry.merge", map[string]string{"intoId": c.w1, "fromId": c.w4})
		tt.phase(PhaseRank)
		tt.fails(participant(c.els), "ranking.set", map[string]any{"worryIds": []string{c.w4}}, ECodeConflict)
	})
	t.Run("OKNoChangeIsSilent", func(t *testing.T) {
		tt, c := playTo(t, PhaseRank, Options{})
		tt.silent(participant(c.sanne), "ranking.set", map[string]any{"worryIds": []string{c.w1, c.w2, c.w3}})
		tt.silent(participant(c.els), "ranking.set", map[string]any{"worryIds": []string{}})
	})
	t.Run("ErrRankingClosed", func(t *testing.T) {
		tt, c := playTo(t, PhaseRank, Options{})
		tt.do(coordinator, "ranking.close", nil)
		tt.fails(participant(c.els), "ranking.set", map[string]any{"worryIds": []string{c.w1}}, ECodeRankingClosed)
		tt.fails(participant(c.sanne), "ranking.set", map[string]any{"worryIds": []string{c.w3}}, ECodeRankingClosed)
		tt.silent(coordinator, "ranking.close", nil)
	})
}

func TestAgree(t *testing.T) {
	unconfirmed := func(t *testing.T) (*table, cast) {
		t.Helper()
		tt, c := playTo(t, PhaseRank, Options{})
		tt.phase(PhaseAgree)
		return tt, c
	}
	confirm := func(ids []string, reason string) map[string]any {
		return map[string]any{"worryIds": ids, "reason": reason}
	}
	t.Run("OKConfirmRanking", func(t *testing.T) {
		tt, c := unconfirmed(t)
		evs := tt.do(coordinator, "agree.confirm", confirm([]string{c.w1, c.w2, c.w3}, "geen"))
		a := tt.m.Agreement
		if !a.Confirmed || !slices.Equal(a.WorryIDs, []string{c.w1, c.w2, c.w3}) || a.OverrideReason != "" {
			t.Fatalf("agreement %+v, want the ranking's top 3 and no override reason", a)
		}
		if evs[0].Name != EvAgreementUpdated || evs[0].Scope != ScopeTable {
			t.Fatalf("event %s/%s", evs[0].Name, evs[0].Scope)
		}
	})
	t.Run("OKOverrideWithReason", func(t *testing.T) {
		tt, c := unconfirmed(t)
		tt.do(coordinator, "agree.confirm", confirm([]string{c.w3, c.w1, c.w2}, "  Veiligheid gaat voor "))
		a := tt.m.Agreement
		if !slices.Equal(a.WorryIDs, []string{c.w3, c.w1, c.w2}) || a.OverrideReason != "Veiligheid gaat voor" {
			t.Fatalf("agreement %+v, want the override with its reason", a)
		}
		tt.do(coordinator, "agree.confirm", confirm([]string{c.w4}, "Eén ding tegelijk"))
		if !slices.Equal(tt.m.Agreement.WorryIDs, []string{c.w4}) {
			t.Fatalf("agreement %v", tt.m.Agreement.WorryIDs)
		}
	})
	t.Run("ErrInvalidInput", func(t *testing.T) {
		tt, c := unconfirmed(t)
		tt.fails(coordinator, "agree.confirm", confirm([]string{c.w2, c.w1, c.w3}, ""), ECodeInvalidInput) // order differs
		tt.fails(coordinator, "agree.confirm", confirm([]string{c.w1, c.w2, c.w4}, " \n "), ECodeInvalidInput)
		tt.fails(coordinator, "agree.confirm", confirm([]string{c.w1, c.w2}, ""), ECodeInvalidInput)
		tt.fails(coordinator, "agree.confirm", confirm([]string{}, "reden"), ECodeInvalidInput)
		tt.fails(coordinator, "agree.confirm", confirm([]string{c.w1, c.w2, c.w3, c.w4}, "reden"), ECodeInvalidInput)
		tt.fails(coordinator, "agree.confirm", confirm([]string{c.w1, c.w1, c.w2}, "reden"), ECodeInvalidInput)
		tt.fails(coordinator, "agree.confirm", confirm([]string{c.w1, c.w2, c.w3}, strings.Repeat("r", 501)), ECodeInvalidInput)
	})
	t.Run("ErrInvalidInputMerged", func(t *testing.T) {
		tt, c := playTo(t, PhaseCluster, Options{})
		tt.do(coordinator, "worry.merge", map[string]string{"intoId": c.w1, "fromId": c.w4})
		tt.phase(PhaseRank)
		tt.phase(PhaseAgree)
		tt.fails(coordinator, "agree.confirm", confirm([]string{c.w4}, "reden"), ECodeInvalidInput)
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		tt, c := unconfirmed(t)
		tt.fails(coordinator, "agree.confirm", confirm([]string{c.w1, "w999"}, "reden"), ECodeNotFound)
	})
	t.Run("OKDissent", func(t *testing.T) {
		tt, c := playTo(t, PhaseAgree, Options{})
		tt.do(participant(c.anouk), "agree.dissent", map[string]string{"text": "De veiligheid van de kinderen hoort bovenaan"})
		tt.do(participant(c.henk), "agree.dissent", map[string]string{"text": "Werk ontbreekt"})
		want := []Dissent{{c.anouk, c.vt, "De veiligheid van de kinderen hoort bovenaan"}, {c.henk, c.father, "Werk ontbreekt"}}
		if !slices.Equal(tt.m.Agreement.Dissent, want) {
			t.Fatalf("dissent %+v, want %+v", tt.m.Agreement.Dissent, want)
		}
		// One dissent per participant: sending again changes it, and the event
		// carries that one entry, not the list.
		evs := tt.do(participant(c.anouk), "agree.dissent", map[string]string{"text": "Veiligheid eerst"})
		if len(evs) != 1 || evs[0].Name != EvDissentUpserted || strings.Contains(string(evs[0].Data), "Werk ontbreekt") {
			t.Fatalf("events %+v, want one dissent.upserted with Anouk's entry only", evs)
		}
		want = []Dissent{{c.henk, c.father, "Werk ontbreekt"}, {c.anouk, c.vt, "Veiligheid eerst"}}
		if !slices.Equal(tt.m.Agreement.Dissent, want) {
			t.Fatalf("dissent %+v, want %+v", tt.m.Agreement.Dissent, want)
		}
		tt.silent(participant(c.anouk), "agree.dissent", map[string]string{"text": " Veiligheid eerst "})
		// Empty text takes it back.
		tt.do(participant(c.anouk), "agree.dissent", map[string]string{"text": "  "})
		tt.silent(participant(c.anouk), "agree.dissent", map[string]string{"text": ""})
		tt.phase(PhasePlan)
		tt.do(participant(c.els), "agree.dissent", map[string]string{"text": "Ook in het plan"})
		if want := []Dissent{{c.henk, c.father, "Werk ontbreekt"}, {c.els, c.network, "Ook in het plan"}}; !slices.Equal(tt.m.Agreement.Dissent, want) {
			t.Fatalf("dissent %+v, want %+v", tt.m.Agreement.Dissent, want)
		}
	})
	t.Run("OKAkkoord", func(t *testing.T) {
		tt, c := playTo(t, PhaseAgree, Options{})
		tt.do(participant(c.sanne), "agree.akkoord", nil)
		tt.phase(PhasePlan)
		tt.do(participant(c.henk), "agree.akkoord", map[string]any{})
		want := []Akkoord{{c.sanne, c.mother}, {c.henk, c.father}}
		if !slices.Equal(tt.m.Agreement.Akkoord, want) {
			t.Fatalf("akkoord %+v, want %+v", tt.m.Agreement.Akkoord, want)
		}
	})
	t.Run("ErrAkkoord", func(t *testing.T) {
		tt, c := unconfirmed(t)
		tt.fails(participant(c.sanne), "agree.akkoord", nil, ECodeConflict)
		tt.do(coordinator, "agree.confirm", confirm([]string{c.w1, c.w2, c.w3}, ""))
		tt.fails(participant(c.els), "agree.akkoord", nil, ECodeForbidden)   // network is not the family
		tt.fails(participant(c.anouk), "agree.akkoord", nil, ECodeForbidden) // professional
		tt.fails(coordinator, "agree.akkoord", nil, ECodeForbidden)
		tt.do(participant(c.sanne), "agree.akkoord", nil)
		tt.silent(participant(c.sanne), "agree.akkoord", nil) // a double tap: no "Je gaf al akkoord"
	})
	t.Run("OKNewConfirmResetsAkkoord", func(t *testing.T) {
		tt, c := playTo(t, PhaseAgree, Options{})
		tt.do(participant(c.sanne), "agree.akkoord", nil)
		tt.do(participant(c.anouk), "agree.dissent", map[string]string{"text": "Niet eens"})
		tt.do(coordinator, "agree.confirm", confirm([]string{c.w3, c.w1, c.w2}, "Veiligheid eerst"))
		a := tt.m.Agreement
		if len(a.Akkoord) != 0 {
			t.Fatalf("akkoord %+v survived a new top 3", a.Akkoord)
		}
		if len(a.Dissent) != 1 {
			t.Fatalf("dissent %+v lost by a new confirm", a.Dissent)
		}
		tt.do(participant(c.sanne), "agree.akkoord", nil)
	})
}

func TestPlan(t *testing.T) {
	goal := func(worry string, text string, score any) map[string]any {
		return map[string]any{"worryId": worry, "goal": text, "scoreNow": score}
	}
	t.Run("OKGoal", func(t *testing.T) {
		tt, c := playTo(t, PhasePlan, Options{})
		evs := tt.do(coordinator, "plan.goal.set", goal(c.w1, "Elke dag eten op tafel", 3))
		if evs[0].Name != EvPlanUpdated || evs[0].Scope != ScopeTable {
			t.Fatalf("event %s/%s", evs[0].Name, evs[0].Scope)
		}
		tt.do(coordinator, "plan.goal.set", goal(c.w2, "Rust", nil))
		tt.do(coordinator, "plan.goal.set", goal(c.w1, "Elke dag eten op tafel", 0))
		tt.do(coordinator, "plan.goal.set", goal(c.w3, "", 10))
		g := tt.m.Plan.Goals
		if len(g) != 3 || g[0].WorryID != c.w1 || *g[0].ScoreNow != 0 || g[1].ScoreNow != nil || *g[2].ScoreNow != 10 {
			t.Fatalf("goals %s", mustJSON(t, g))
		}
		tt.silent(coordinator, "plan.goal.set", goal(c.w1, "Elke dag eten op tafel", 0))
	})
	t.Run("ErrGoal", func(t *testing.T) {
		tt, c := playTo(t, PhasePlan, Options{})
		tt.fails(coordinator, "plan.goal.set", goal(c.w1, "Rust", -1), ECodeInvalidInput)
		tt.fails(coordinator, "plan.goal.set", goal(c.w1, "Rust", 11), ECodeInvalidInput)
		tt.fails(coordinator, "plan.goal.set", goal(c.w1, strings.Repeat("x", 501), 5), ECodeInvalidInput)
		tt.fails(coordinator, "plan.goal.set", goal(c.w4, "Niet in de top 3", 5), ECodeNotFound)
		tt.fails(coordinator, "plan.goal.set", goal("w999", "Bestaat niet", 5), ECodeNotFound)
	})
	action := func(worry, what, owner, due string) map[string]any {
		return map[string]any{"worryId": worry, "what": what, "ownerPartyId": owner, "due": due}
	}
	t.Run("OKActions", func(t *testing.T) {
		tt, c := playTo(t, PhasePlan, Options{})
		tt.do(coordinator, "plan.action.add", action(c.w1, "Budgetcoach aanvragen", c.vt, "2027-01-15"))
		tt.do(coordinator, "plan.action.add", action(c.w2, "Samen koken", c.network, ""))
		acts := tt.m.Plan.Actions
		if len(acts) != 2 || acts[0].ID == acts[1].ID || acts[0].Status != ActionOpen || acts[1].Due != "" {
			t.Fatalf("actions %+v", acts)
		}
		first := acts[0].ID
		tt.do(coordinator, "plan.action.edit", map[string]any{"actionId": first, "what": "Budgetcoach gestart", "ownerPartyId": c.vt, "due": "2027-01-15", "status": "doing"})
		if a := tt.m.Plan.Actions[0]; a.ID != first || a.WorryID != c.w1 || a.What != "Budgetcoach gestart" || a.Status != ActionDoing {
			t.Fatalf("edited %+v", a)
		}
		tt.do(coordinator, "plan.action.edit", map[string]any{"actionId": first, "worryId": c.w3, "what": "Budgetcoach gestart", "ownerPartyId": c.mother, "status": "done"})
		if a := tt.m.Plan.Actions[0]; a.WorryID != c.w3 || a.OwnerPartyID != c.mother || a.Status != ActionDone || a.Due != "" {
			t.Fatalf("edited %+v", a)
		}
		tt.silent(coordinator, "plan.action.edit", map[string]any{"actionId": first, "what": "Budgetcoach gestart", "ownerPartyId": c.mother, "status": "done"})
		tt.do(coordinator, "plan.action.remove", map[string]string{"actionId": first})
		if acts := tt.m.Plan.Actions; len(acts) != 1 || acts[0].What != "Samen koken" {
			t.Fatalf("after remove %+v", acts)
		}
		tt.fails(coordinator, "plan.action.remove", map[string]string{"actionId": first}, ECodeNotFound)
	})
	t.Run("ErrActions", func(t *testing.T) {
		tt, c := playTo(t, PhasePlan, Options{})
		for _, due := range []string{"2027-13-01", "2027-02-30", "15-01-2027", "2027-1-5", "morgen"} {
			tt.fails(coordinator, "plan.action.add", action(c.w1, "Iets", c.vt, due), ECodeInvalidInput)
		}
		tt.fails(coordinator, "plan.action.add", action(c.w1, " ", c.vt, ""), ECodeInvalidInput)
		tt.fails(coordinator, "plan.action.add", action(c.w1, "Iets", "party999", ""), ECodeNotFound)
		tt.fails(coordinator, "plan.action.add", action(c.w1, "Iets", "", ""), ECodeNotFound)
		tt.fails(coordinator, "plan.action.add", action(c.w4, "Niet in de top 3", c.vt, ""), ECodeNotFound)
		tt.fails(coordinator, "plan.action.add", map[string]any{"actionId": "a1", "worryId": c.w1, "what": "Iets", "ownerPartyId": c.vt}, ECodeInvalidInput)
		tt.fails(coordinator, "plan.action.add", map[string]any{"worryId": c.w1, "what": "Iets", "ownerPartyId": c.vt, "status": "bezig"}, ECodeInvalidInput)
		tt.do(coordinator, "plan.action.add", action(c.w1, "Iets", c.vt, ""))
		id := tt.m.Plan.Actions[0].ID
		tt.fails(coordinator, "plan.action.edit", map[string]any{"actionId": "a999", "what": "Iets", "ownerPartyId": c.vt}, ECodeNotFound)
		tt.fails(coordinator, "plan.action.edit", map[string]any{"actionId": id, "worryId": c.w4, "what": "Iets", "ownerPartyId": c.vt}, ECodeNotFound)
		tt.fails(coordinator, "plan.action.edit", map[string]any{"actionId": id, "what": "Iets", "ownerPartyId": c.vt, "status": "klaar"}, ECodeInvalidInput)
		tt.fails(coordinator, "plan.action.remove", map[string]string{"actionId": ""}, ECodeNotFound)
	})
	t.Run("OKDetails", func(t *testing.T) {
		tt, c := playTo(t, PhasePlan, Options{})
		tt.do(coordinator, "plan.details.set", map[string]string{"regisseurPartyId": c.vt, "regisseurRole": "Gezinscoach", "nextEvaluation": "2027-02-01"})
		p := tt.m.Plan
		if p.RegisseurPartyID != c.vt || p.RegisseurRole != "Gezinscoach" || p.NextEvaluation != "2027-02-01" {
			t.Fatalf("details %+v", p)
		}
	})
	t.Run("ErrDetails", func(t *testing.T) {
		tt, c := playTo(t, PhasePlan, Options{})
		tt.fails(coordinator, "plan.details.set", map[string]string{"regisseurPartyId": "party999"}, ECodeNotFound)
		tt.fails(coordinator, "plan.details.set", map[string]string{"regisseurPartyId": c.vt, "nextEvaluation": "1-2-2027"}, ECodeInvalidInput)
		tt.fails(coordinator, "plan.details.set", map[string]string{"regisseurPartyId": c.vt, "regisseurRole": strings.Repeat("r", 81)}, ECodeInvalidInput)
		tt.fails(coordinator, "plan.details.set", map[string]string{"regisseurPartyId": c.vt, "regisseurRole": "Gezins\ncoach"}, ECodeInvalidInput)
		tt.silent(coordinator, "plan.details.set", map[string]string{}) // nothing changes
	})
	t.Run("ErrCloseIncomplete", func(t *testing.T) {
		tt, c := playTo(t, PhasePlan, Options{})
		tt.fails(coordinator, "meeting.close", nil, ECodeConflict)
		// plan.details.set sets all three fields at once, so each call leaves one missing.
		tt.do(coordinator, "plan.details.set", map[string]string{"regisseurPartyId": c.vt})
		tt.fails(coordinator, "meeting.close", nil, ECodeConflict) // no evaluation date
		tt.do(coordinator, "plan.details.set", map[string]string{"nextEvaluation": "2027-02-01"})
		tt.fails(coordinator, "meeting.close", nil, ECodeConflict) // no regisseur
		tt.fails(coordinator, "meeting.close", map[string]bool{"force": true}, ECodeInvalidInput)
	})
	t.Run("OKCloseFreezesVersion", func(t *testing.T) {
		tt, c := playTo(t, PhasePlan, Options{})
		tt.do(coordinator, "plan.goal.set", goal(c.w1, "Eten op tafel", 3))
		tt.do(coordinator, "plan.action.add", action(c.w1, "Budgetcoach", c.vt, "2027-01-15"))
		tt.do(coordinator, "plan.details.set", map[string]string{"regisseurPartyId": c.vt, "regisseurRole": "Gezinscoach", "nextEvaluation": "2027-02-01"})
		plan := mustJSON(t, tt.m.Plan)
		evs := tt.do(coordinator, "meeting.close", nil)
		if len(evs) != 2 || evs[0].Name != EvPlanClosed || evs[1].Name != EvMeetingUpdated || evs[0].Scope != ScopeTable || evs[1].Scope != ScopeAll {
			t.Fatalf("close events %+v", evs)
		}
		if tt.m.Phase != PhaseClosed || len(tt.m.Versions) != 1 {
			t.Fatalf("phase %s, %d versions", tt.m.Phase, len(tt.m.Versions))
		}
		v := tt.m.Versions[0]
		if v.Number != 1 || !v.ClosedAt.Equal(time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)) ||
			!slices.Equal(v.Top3, []string{c.w1, c.w2, c.w3}) || mustJSON(t, v.Plan) != plan {
			t.Fatalf("version %s\nwant plan %s", mustJSON(t, v), plan)
		}
		frozen := mustJSON(t, tt.m.Versions)
		id := tt.m.Plan.Actions[0].ID
		for _, tc := range []struct {
			name string
			data any
		}{
			{"plan.goal.set", goal(c.w1, "Anders", 9)},
			{"plan.action.add", action(c.w1, "Later", c.vt, "")},
			{"plan.action.edit", map[string]any{"actionId": id, "what": "Later", "ownerPartyId": c.vt, "status": "done"}},
			{"plan.action.remove", map[string]string{"actionId": id}},
			{"plan.details.set", map[string]string{"regisseurPartyId": c.mother}},
			{"meeting.close", nil},
			{"agree.confirm", map[string]any{"worryIds": []string{c.w4}, "reason": "Toch anders"}},
			{"phase.set", map[string]string{"phase": "plan"}},
		} {
			tt.fails(coordinator, tc.name, tc.data, ECodeWrongPhase)
		}
		tt.fails(participant(c.sanne), "agree.akkoord", nil, ECodeWrongPhase)
		tt.fails(participant(c.anouk), "agree.dissent", map[string]string{"text": "Te laat"}, ECodeWrongPhase)
		if mustJSON(t, tt.m.Versions) != frozen {
			t.Fatal("the closed version changed")
		}
	})
}

func TestReplay(t *testing.T) {
	replay := func(tb testing.TB, opts Options, evs []Event) *Meeting {
		tb.Helper()
		m := New(Header{ID: "m1", FamilyLabel: "Gezin J.", Options: opts})
		for _, ev := range evs {
			if err := m.Apply(ev); err != nil {
				tb.Fatalf("replay: %v", err)
			}
		}
		return m
	}
	for name, opts := range map[string]Options{"StrengthsParty": {StrengthsRound: true}, "Person": {Weighting: WeightPerson}} {
		t.Run("OK/"+name, func(t *testing.T) {
			tt, c := playTo(t, PhasePlan, opts)
			tt.do(coordinator, "phase.set", map[string]string{"phase": "agree"})
			tt.do(participant(c.sanne), "agree.akkoord", nil)
			tt.do(participant(c.anouk), "agree.dissent", map[string]string{"text": "Veiligheid"})
			tt.phase(PhasePlan)
			tt.do(coordinator, "participant.remove", map[string]string{"participantId": c.henk})
			tt.do(coordinator, "plan.goal.set", map[string]any{"worryId": c.w1, "goal": "Eten", "scoreNow": 4})
			tt.do(coordinator, "plan.action.add", map[string]any{"worryId": c.w1, "what": "Budgetcoach", "ownerPartyId": c.vt})
			tt.do(coordinator, "plan.details.set", map[string]string{"regisseurPartyId": c.vt, "nextEvaluation": "2027-02-01"})
			tt.do(coordinator, "meeting.close", nil)
			for i, ev := range tt.log {
				if ev.Seq != int64(i+1) {
					t.Fatalf("event %d has seq %d", i, ev.Seq)
				}
			}
			if got, want := mustJSON(t, replay(t, opts, tt.log)), mustJSON(t, tt.m); got != want {
				t.Fatalf("replayed state differs from the live one:\nreplayed %s\nlive     %s", got, want)
			}
		})
	}
	t.Run("OKEveryStep", func(t *testing.T) {
		opts := Options{StrengthsRound: true}
		m := New(Header{ID: "m1", FamilyLabel: "Gezin J.", Options: opts})
		steps := stepsOf(t, opts)
		for i, s := range steps {
			for _, ev := range s.events {
				if err := m.Apply(ev); err != nil {
					t.Fatal(err)
				}
			}
			if got, want := mustJSON(t, m), mustJSON(t, s.state); got != want {
				t.Fatalf("after command %d (%s) replayed state differs:\nreplayed %s\nlive     %s", i+1, s.name, got, want)
			}
		}
	})
	t.Run("ErrOutOfOrder", func(t *testing.T) {
		tt, _ := playTo(t, PhaseWorries, Options{})
		evs := tt.log
		for _, tc := range []struct {
			name   string
			before []Event // applied first, in order
			ev     Event   // must be refused
		}{
			{"Gap", evs[:3], evs[4]},
			{"Repeat", evs[:3], evs[2]},
			{"Old", evs[:3], evs[0]},
			{"StartsLate", nil, evs[1]},
		} {
			t.Run(tc.name, func(t *testing.T) {
				m := New(Header{ID: "m1", FamilyLabel: "Gezin J."})
				for _, ev := range tc.before {
					if err := m.Apply(ev); err != nil {
						t.Fatal(err)
					}
				}
				before := mustJSON(t, m)
				if err := m.Apply(tc.ev); err == nil {
					t.Fatalf("applied seq %d after %d", tc.ev.Seq, len(tc.before))
				}
				if mustJSON(t, m) != before {
					t.Fatal("a refused event changed the meeting")
				}
			})
		}
	})
	t.Run("ErrCorruptEvent", func(t *testing.T) {
		m := New(Header{ID: "m1"})
		for _, ev := range []Event{
			{Seq: 1, Name: "item.deleted", Data: json.RawMessage(`{}`)},
			{Seq: 1, Name: EvItemUpserted, Data: json.RawMessage(`{"item":[]}`)},
			{Seq: 1, Name: EvMeetingUpdated, Data: json.RawMessage(`nonsense`)},
		} {
			if err := m.Apply(ev); err == nil {
				t.Errorf("applied corrupt event %s %s", ev.Name, ev.Data)
			}
			if m.Seq != 0 {
				t.Fatalf("a corrupt event moved seq to %d", m.Seq)
			}
		}
	})
}

// step is one accepted command of a played meeting: its events and the state after it.
type step struct {
	name   string
	events []Event
	state  *Meeting
}

// stepsOf plays a whole meeting, with merges, removals and overrides, and records every step.
func stepsOf(tb testing.TB, opts Options) []step {
	tb.Helper()
	tt := newTable(tb, opts)
	var steps []step
	do := func(a Actor, name string, data any) []Event {
		tb.Helper()
		evs := tt.all(a, name, data)
		steps = append(steps, step{name, evs, tt.m})
		return evs
	}
	id := func(evs []Event) string {
		tb.Helper()
		return itemOf(tb, evs[len(evs)-1]).ID
	}
	joined := func(evs []Event) string {
		var d participantData
		if err := json.Unmarshal(evs[0].Data, &d); err != nil {
			tb.Fatal(err)
		}
		return d.Participant.ID
	}
	mother := partyOf(tb, do(coordinator, "party.add", map[string]string{"name": "Moeder", "kind": "family"}))
	vt := partyOf(tb, do(coordinator, "party.add", map[string]string{"name": "Veilig Thuis", "kind": "professional"}))
	net := partyOf(tb, do(coordinator, "party.add", map[string]string{"name": "Buurman", "kind": "network"}))
	sanne := joined(do(Actor{Role: RoleJoiner}, "participant.join", map[string]string{"name": "Sanne", "partyId": mother}))
	anouk := joined(do(Actor{Role: RoleJoiner}, "participant.join", map[string]string{"name": "Anouk", "partyId": vt}))
	bob := joined(do(Actor{Role: RoleJoiner}, "participant.join", map[string]string{"name": "Bob", "partyId": net}))
	do(coordinator, "participant.admit", map[string]string{"participantId": sanne})
	do(coordinator, "participant.admit", map[string]string{"participantId": anouk})
	do(coordinator, "participant.admit", map[string]string{"participantId": bob})
	do(coordinator, "meeting.lock", nil)
	do(coordinator, "phase.set", map[string]string{"phase": "strengths"})
	do(participant(sanne), "strength.add", map[string]string{"text": "We lachen veel"})
	do(coordinator, "reveal", map[string]string{})
	do(coordinator, "phase.set", map[string]string{"phase": "worries"})
	w1 := id(do(participant(sanne), "worry.add", map[string]string{"text": "Geld", "domain": "financien"}))
	w2 := id(do(participant(anouk), "worry.add", map[string]string{"text": "Veiligheid"}))
	w3 := id(do(coordinator, "worry.add", map[string]string{"text": "Ruzie", "partyId": mother}))
	w4 := id(do(participant(bob), "worry.add", map[string]string{"text": "Schulden"}))
	do(participant(sanne), "worry.edit", map[string]string{"itemId": w1, "text": "Te weinig geld"})
	x := id(do(participant(bob), "worry.add", map[string]string{"text": "Vergissing"}))
	do(participant(bob), "worry.withdraw", map[string]string{"itemId": x})
	do(coordinator, "reveal", map[string]string{"partyId": mother})
	do(coordinator, "reveal", map[string]string{})
	do(coordinator, "phase.set", map[string]string{"phase": "cluster"})
	do(coordinator, "worry.merge", map[string]string{"intoId": w1, "fromId": w4})
	do(coordinator, "phase.set", map[string]string{"phase": "rank"})
	do(participant(sanne), "ranking.set", map[string]any{"worryIds": []string{w1, w3, w2}})
	do(participant(anouk), "ranking.set", map[string]any{"worryIds": []string{w2, w1}})
	do(participant(bob), "ranking.set", map[string]any{"worryIds": []string{w3}})
	do(coordinator, "phase.set", map[string]string{"phase": "cluster"})
	do(coordinator, "worry.unmerge", map[string]string{"itemId": w4})
	do(coordinator, "phase.set", map[string]string{"phase": "rank"})
	do(coordinator, "participant.remove", map[string]string{"participantId": bob})
	do(coordinator, "phase.set", map[string]string{"phase": "agree"})
	do(coordinator, "agree.confirm", map[string]any{"worryIds": []string{w2, w1}, "reason": "Veiligheid eerst"})
	do(participant(sanne), "agree.akkoord", nil)
	do(participant(anouk), "agree.dissent", map[string]string{"text": "Schulden ook"})
	do(coordinator, "phase.set", map[string]string{"phase": "plan"})
	do(coordinator, "plan.goal.set", map[string]any{"worryId": w2, "goal": "Veilig thuis", "scoreNow": 2})
	do(coordinator, "plan.action.add", map[string]any{"worryId": w2, "what": "Veiligheidsplan", "ownerPartyId": vt, "due": "2027-01-10"})
	do(coordinator, "plan.details.set", map[string]string{"regisseurPartyId": vt, "regisseurRole": "Gezinscoach", "nextEvaluation": "2027-02-01"})
	do(coordinator, "meeting.close", nil)
	return steps
}

func partyOf(tb testing.TB, evs []Event) string {
	tb.Helper()
	var d partyData
	if err := json.Unmarshal(evs[len(evs)-1].Data, &d); err != nil {
		tb.Fatal(err)
	}
	return d.Party.ID
}

func TestNextPhase(t *testing.T) {
	for _, tc := range []struct {
		strengths bool
		from, to  Phase
	}{
		{true, PhaseLobby, PhaseStrengths},
		{false, PhaseLobby, PhaseWorries},
		{true, PhaseStrengths, PhaseWorries},
		{false, PhaseRank, PhaseAgree},
		{false, PhasePlan, PhaseClosed},
		{false, PhaseClosed, PhaseClosed},
	} {
		m := New(Header{Phase: tc.from, Options: Options{StrengthsRound: tc.strengths}})
		if got := m.NextPhase(); got != tc.to {
			t.Errorf("NextPhase from %s (strengths round %v) = %s, want %s", tc.from, tc.strengths, got, tc.to)
		}
	}
	// What NextPhase proposes, phase.set accepts, all the way to plan.
	for _, opts := range []Options{{}, {StrengthsRound: true}} {
		tt, _ := playTo(t, PhaseLobby, opts)
		for tt.m.Phase != PhaseAgree {
			tt.phase(tt.m.NextPhase())
		}
	}
}

func TestErrors(t *testing.T) {
	e := Errorf(ECodeConflict, "Er verandert niets (%s)", "x")
	wrapped := fmt.Errorf("store: %w", e)
	if ErrorCode(wrapped) != ECodeConflict || ErrorMessage(wrapped) != "Er verandert niets (x)" {
		t.Fatalf("wrapped: %s %q", ErrorCode(wrapped), ErrorMessage(wrapped))
	}
	if e.Error() != "conflict: Er verandert niets (x)" {
		t.Fatalf("Error() = %q", e.Error())
	}
	plain := errors.New("pq: connection refused at 10.0.0.3")
	if ErrorCode(plain) != ECodeInternal || strings.Contains(ErrorMessage(plain), "10.0.0.3") {
		t.Fatalf("an internal error shows %s %q", ErrorCode(plain), ErrorMessage(plain))
	}
	if ErrorCode(nil) != ECodeInternal {
		t.Fatalf("ErrorCode(nil) = %s", ErrorCode(nil))
	}
}

func TestLimits(t *testing.T) {
	t.Run("ErrConflict/Actions", func(t *testing.T) {
		tt, c := playTo(t, PhasePlan, Options{})
		for len(tt.m.Plan.Actions) < 100 {
			tt.do(coordinator, "plan.action.add", map[string]any{"worryId": c.w1, "what": "Actie", "ownerPartyId": c.vt})
		}
		tt.fails(coordinator, "plan.action.add", map[string]any{"worryId": c.w1, "what": "Nog een", "ownerPartyId": c.vt}, ECodeConflict)
	})
	t.Run("OK/DissentOnePerPerson", func(t *testing.T) {
		tt, c := playTo(t, PhaseAgree, Options{})
		for i := 0; i < 300; i++ {
			tt.do(participant(c.anouk), "agree.dissent", map[string]string{"text": fmt.Sprintf("Oneens %d", i)})
		}
		if n := len(tt.m.Agreement.Dissent); n != 1 {
			t.Fatalf("one person left %d dissents, want 1", n)
		}
		tt.do(participant(c.henk), "agree.dissent", map[string]string{"text": "Ik ook"})
	})
	t.Run("ErrTooMany/Dissent", func(t *testing.T) {
		tt, c := playTo(t, PhaseAgree, Options{})
		for i := 0; len(tt.m.Agreement.Dissent) < 200; i++ {
			tt.m.Agreement.Dissent = append(tt.m.Agreement.Dissent, Dissent{ParticipantID: fmt.Sprintf("p%d", 1000+i), Text: "Oneens"})
		}
		tt.fails(participant(c.henk), "agree.dissent", map[string]string{"text": "Ik ook"}, ECodeTooMany)
	})
}
