package meeting

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// Role is what a connection or request may do.
type Role string

// Roles.
const (
	RoleCoordinator Role = "coordinator"
	RoleScreen      Role = "screen"
	RoleParticipant Role = "participant"
	// RoleJoiner is someone joining by code who is not yet a participant.
	RoleJoiner Role = "joiner"
	// RoleChild is a child with their own child code: they fill in their three
	// houses (child.houses.submit) and see nothing of the meeting.
	RoleChild Role = "child"
)

// Actor is who sends a command.
type Actor struct {
	Role          Role
	ParticipantID string
	// UserID and UserName are the signed-in coordinator's; "" for anyone else
	// and for the server itself.
	UserID   string
	UserName string
}

// Command is a request to change a meeting, with a client-made id.
type Command struct {
	ID    string
	Name  string
	Data  json.RawMessage
	Actor Actor
	Now   time.Time
}

// decision is the working state of one Decide call: a clone of the meeting that
// every emitted event is applied to, so later checks see earlier changes.
type decision struct {
	m      *Meeting
	cmd    Command
	events []Event
}

func (d *decision) emit(name string, scope Scope, participantID string, payload any) error {
	data, err := json.Marshal(payload)
	if err != nil {
		return err
	}
	ev := Event{Seq: d.m.Seq + 1, Name: name, Scope: scope, ParticipantID: participantID, Data: data}
	if err := d.m.Apply(ev); err != nil {
		return err
	}
	d.events = append(d.events, ev)
	return nil
}

// sameJSON says whether a change leaves a part of the meeting as it was: its
// state before (cloned the way the change clones it, so that empty lists
// encode alike) and after encode to the same JSON.
func sameJSON(before, after any) bool {
	b, _ := json.Marshal(before)
	a, _ := json.Marshal(after)
	return string(b) == string(a)
}

type handler struct {
	roles  []Role
	phases []Phase // empty: any phase but closed
	run    func(d *decision) error
}

var (
	coord = []Role{RoleCoordinator}
	part  = []Role{RoleParticipant}
	both  = []Role{RoleCoordinator, RoleParticipant}
)

// handlers is the read-only table of commands: who, in which phases, and what it does.
var handlers = map[string]handler{
	"participant.join":        {[]Role{RoleJoiner}, nil, participantJoin},
	"participant.admit":       {coord, nil, participantStatus(StatusAdmitted)},
	"participant.remove":      {coord, nil, participantStatus(StatusRemoved)},
	"meeting.lock":            {coord, nil, setLocked(true)},
	"meeting.unlock":          {coord, nil, setLocked(false)},
	"party.add":               {coord, []Phase{PhaseLobby, PhaseStrengths, PhaseWorries}, partyAdd},
	"phase.set":               {coord, nil, phaseSet},
	"strength.add":            {both, []Phase{PhaseStrengths}, itemAdd(KindStrength)},
	"strength.edit":           {both, []Phase{PhaseStrengths}, itemEdit(KindStrength)},
	"strength.withdraw":       {both, []Phase{PhaseStrengths}, itemWithdraw(KindStrength)},
	"worry.add":               {both, []Phase{PhaseWorries}, itemAdd(KindWorry)},
	"worry.edit":              {both, []Phase{PhaseWorries}, itemEdit(KindWorry)},
	"worry.withdraw":          {both, []Phase{PhaseWorries}, itemWithdraw(KindWorry)},
	"reveal":                  {coord, []Phase{PhaseStrengths, PhaseWorries}, reveal},
	"worry.merge":             {coord, []Phase{PhaseCluster}, worryMerge},
	"worry.unmerge":           {coord, []Phase{PhaseCluster}, worryUnmerge},
	"worry.rephrase":          {coord, []Phase{PhaseWorries, PhaseCluster}, worryRephrase},
	"ranking.set":             {part, []Phase{PhaseRank}, rankingSet},
	"ranking.close":           {coord, []Phase{PhaseRank}, rankingClose},
	"meeting.options.set":     {coord, nil, optionsSet},
	"lobby.admitAll":          {coord, nil, lobbyAll(StatusAdmitted)},
	"familytime.start":        {coord, []Phase{PhaseStrengths, PhaseWorries}, familyTimeStart},
	"familytime.end":          {both, nil, familyTimeEnd},
	"familytime.spokesperson": {coord, nil, familySpokesperson},
	"family.add":              {part, []Phase{PhaseStrengths, PhaseWorries}, familyAdd},
	"family.edit":             {part, []Phase{PhaseStrengths, PhaseWorries}, familyEdit},
	"round.start":             {coord, []Phase{PhaseStrengths, PhaseWorries}, roundStart},
	"round.order":             {coord, []Phase{PhaseStrengths, PhaseWorries}, roundSetOrder},
	"round.next":              {coord, []Phase{PhaseStrengths, PhaseWorries}, roundMove(1)},
	"round.back":              {coord, []Phase{PhaseStrengths, PhaseWorries}, roundMove(-1)},
	"round.end":               {coord, []Phase{PhaseStrengths, PhaseWorries}, roundEnd},
	"round.pass":              {both, []Phase{PhaseStrengths, PhaseWorries}, roundPass},
	"lobby.dismissAll":        {coord, nil, lobbyAll(StatusRemoved)},
	"agree.confirm":           {coord, []Phase{PhaseAgree}, agreeConfirm},
	"agree.dissent":           {part, []Phase{PhaseAgree, PhasePlan}, agreeDissent},
	"agree.akkoord":           {part, []Phase{PhaseAgree, PhasePlan}, agreeAkkoord},
	"plan.goal.set":           {coord, []Phase{PhasePlan}, planGoalSet},
	"plan.action.add":         {coord, []Phase{PhasePlan}, planActionAdd},
	"plan.action.edit":        {coord, []Phase{PhasePlan}, planActionEdit},
	"plan.action.remove":      {coord, []Phase{PhasePlan}, planActionRemove},
	"plan.details.set":        {coord, []Phase{PhasePlan}, planDetailsSet},
	"meeting.close":           {coord, []Phase{PhasePlan}, meetingClose},
	"review.action.set":       {coord, []Phase{PhaseReview}, reviewActionSet},
	"review.score.set":        {coord, []Phase{PhaseReview}, reviewScoreSet},
	"worry.carry":             {coord, []Phase{PhaseWorries}, worryCarry},
}

// CommandNames lists every command the meeting understands.
func CommandNames() []string {
	var out []string
	for name := range handlers {
		out = append(out, name)
	}
	for name := range safetyHandlers {
		out = append(out, name)
	}
	for name := range leadHandlers {
		out = append(out, name)
	}
	return out
}

// Decide checks cmd against the rules and returns the meeting as it would be after
// it, with the events that take it there. m itself is never changed: the caller
// stores the events and only then uses the new state.
func (m *Meeting) Decide(cmd Command) (*Meeting, []Event, error) {
	h, ok := handlers[cmd.Name]
	if !ok {
		h, ok = safetyHandlers[cmd.Name]
	}
	if !ok {
		h, ok = leadHandlers[cmd.Name]
	}
	if !ok {
		return nil, nil, Fail(ECodeUnknownCommand, "unknown_command", "unknown command", "command", truncate(cmd.Name, 40))
	}
	if !roleIn(cmd.Actor.Role, h.roles) {
		return nil, nil, Fail(ECodeForbidden, "not_allowed", "not allowed for this role", "role", cmd.Actor.Role)
	}
	if cmd.Actor.Role == RoleParticipant {
		p := m.Participant(cmd.Actor.ParticipantID)
		if p == nil || p.Status != StatusAdmitted {
			return nil, nil, Fail(ECodeForbidden, "not_admitted", "not admitted")
		}
		if err := m.interpreterMay(cmd); err != nil {
			return nil, nil, err
		}
	}
	if m.Phase == PhaseClosed {
		return nil, nil, Fail(ECodeWrongPhase, "meeting_closed", "meeting closed")
	}
	if len(h.phases) > 0 && !phaseIn(m.Phase, h.phases) {
		return nil, nil, Fail(ECodeWrongPhase, "wrong_phase", "not allowed in this phase", "phase", m.Phase)
	}
	if cmd.Actor.Role == RoleCoordinator {
		if err := m.leadMay(cmd); err != nil {
			return nil, nil, err
		}
	}
	d := &decision{m: m.Clone(), cmd: cmd}
	before, drafts := m.rankedByKey(), m.draftsKey()
	if err := d.claimLead(); err != nil {
		return nil, nil, err
	}
	if err := h.run(d); err != nil {
		return nil, nil, err
	}
	if len(d.events) == 0 {
		// A repeated identical action (a double tap, a resend with a new id)
		// changes nothing and is answered as a success.
		return d.m, nil, nil
	}
	if d.m.draftsKey() != drafts {
		// The console's count of unrevealed items goes first and the command
		// runs again after it, so the command's own events stay last: the
		// ack's seq is the seq of what it made (a new worry's id).
		counts := d.m.DraftCounts()
		d = &decision{m: m.Clone(), cmd: cmd}
		if err := d.emit(EvDraftsCounted, ScopePrivate, "", draftsData{counts}); err != nil {
			return nil, nil, err
		}
		if err := d.claimLead(); err != nil {
			return nil, nil, err
		}
		if err := h.run(d); err != nil {
			return nil, nil, err
		}
	}
	if err := d.rankingFollows(before); err != nil {
		return nil, nil, err
	}
	return d.m, d.events, nil
}

// rankingFollows tells the table what a change did to the ranking round. While
// the round is open the table learns only who has ranked, never a result that
// moves with each ballot (the difference of two results would be a ballot). A
// closed round's result is frozen.
//
// The round does not close by itself when everyone has ranked: a phone saves
// each tap, so the last person's first tap would freeze their ballot before
// they finished or corrected it. The coordinator closes it (the console says
// when everyone has chosen).
func (d *decision) rankingFollows(before string) error {
	if d.m.RankingClosed {
		return nil
	}
	if d.m.rankedByKey() != before {
		return d.emit(EvRankingProgress, ScopeTable, "", resultData{d.m.RankingProgress()})
	}
	return nil
}

// closeRanking closes the round and sends the table its result.
func (d *decision) closeRanking() error {
	return d.emit(EvRankingResult, ScopeTable, "", resultData{d.m.SharedRanking()})
}

// rankedByKey is who has a ballot that counts: all the table learns of an open round.
func (m *Meeting) rankedByKey() string {
	if len(m.Rankings) == 0 {
		return ""
	}
	return strings.Join(m.RankingProgress().RankedBy, ",")
}

// decode reads the command's data into v, refusing unknown fields.
func (d *decision) decode(v any) error {
	data := d.cmd.Data
	if len(data) == 0 || string(data) == "null" {
		data = []byte("{}")
	}
	// encoding/json would quietly turn invalid UTF-8 into U+FFFD: refuse it instead.
	if !utf8.Valid(data) {
		return Fail(ECodeInvalidInput, "invalid_utf8", "invalid UTF-8")
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return Fail(ECodeInvalidInput, "invalid_data", "invalid data: "+truncate(err.Error(), 120))
	}
	return nil
}

func roleIn(r Role, rs []Role) bool {
	for _, x := range rs {
		if x == r {
			return true
		}
	}
	return false
}

func phaseIn(p Phase, ps []Phase) bool {
	for _, x := range ps {
		if x == p {
			return true
		}
	}
	return false
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}

// newID makes an id that is unique within the meeting: the seq of the event that creates it.
func (d *decision) newID(prefix string) string {
	return fmt.Sprintf("%s%d", prefix, d.m.Seq+1)
}
