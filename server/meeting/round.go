package meeting

import (
	"slices"
	"time"
)

// Rules for a speaking round: in the strengths or worries round the parties
// speak in turn, family first, and everyone sees whose turn it is.

// Round is a speaking round: the order of the parties, whose turn it is, who
// passed, and when the turn's time is up.
type Round struct {
	Active bool `json:"active"`
	// Order is the party ids in speaking order; Turn is the index of the one at turn.
	Order []string `json:"order"`
	Turn  int      `json:"turn"`
	// Passed lists the parties that used their right to pass ("Ik sla over").
	Passed []string `json:"passed"`
	// TurnSeconds is the time per turn; 0 for no timer.
	TurnSeconds int `json:"turnSeconds"`
	// Deadline is when the current turn's time is up, by the server's clock;
	// clients count down to it. Nil without a timer.
	Deadline *time.Time `json:"deadline,omitempty"`
}

// AtTurn returns the party id at turn, or "" when no round is on.
func (r Round) AtTurn() string {
	if !r.Active || r.Turn < 0 || r.Turn >= len(r.Order) {
		return ""
	}
	return r.Order[r.Turn]
}

// cloneRound copies r; nil lists stay nil (a replayed meeting equals a live one).
func cloneRound(r Round) Round {
	r.Order = slices.Clone(r.Order)
	r.Passed = slices.Clone(r.Passed)
	if r.Deadline != nil {
		d := *r.Deadline
		r.Deadline = &d
	}
	return r
}

// viewRound is r for a view: lists are [], never null.
func viewRound(r Round) Round {
	r = cloneRound(r)
	if r.Order == nil {
		r.Order = []string{}
	}
	if r.Passed == nil {
		r.Passed = []string{}
	}
	return r
}

// maxTurnSeconds bounds a turn's timer: a quarter of an hour.
const maxTurnSeconds = 15 * 60

type roundData struct {
	Round Round `json:"round"`
}

func (d *decision) emitRound(r Round) error {
	if r.Active && r.TurnSeconds > 0 {
		at := d.cmd.Now.Add(time.Duration(r.TurnSeconds) * time.Second).UTC()
		r.Deadline = &at
	} else {
		r.Deadline = nil
	}
	return d.emit(EvRoundUpdated, ScopeTable, "", roundData{r})
}

// roundOrder checks a speaking order: distinct parties of the meeting. An
// empty order is every party in speaking order, family first.
func (d *decision) roundOrder(order []string) ([]string, error) {
	if len(order) == 0 {
		for _, p := range sortedParties(d.m.Parties) {
			order = append(order, p.ID)
		}
		return order, nil
	}
	seen := map[string]bool{}
	for _, id := range order {
		if d.m.Party(id) == nil {
			return nil, Fail(ECodeNotFound, "unknown_party", "unknown party "+truncate(id, 20))
		}
		if seen[id] {
			return nil, Fail(ECodeInvalidInput, "party_twice", "a party speaks once in a round")
		}
		seen[id] = true
	}
	return append([]string{}, order...), nil
}

func roundStart(d *decision) error {
	var in struct {
		Order       []string `json:"order"`
		TurnSeconds int      `json:"turnSeconds"`
	}
	if err := d.decode(&in); err != nil {
		return err
	}
	if in.TurnSeconds < 0 || in.TurnSeconds > maxTurnSeconds {
		return Fail(ECodeInvalidInput, "turn_seconds", "turnSeconds out of range", "max", maxTurnSeconds)
	}
	order, err := d.roundOrder(in.Order)
	if err != nil {
		return err
	}
	if len(order) == 0 {
		return Fail(ECodeConflict, "no_parties", "no parties to speak")
	}
	if d.m.Round.Active {
		return Fail(ECodeConflict, "round_on", "a round is on already")
	}
	return d.emitRound(Round{Active: true, Order: order, Passed: []string{}, TurnSeconds: in.TurnSeconds})
}

func roundSetOrder(d *decision) error {
	var in struct {
		Order []string `json:"order"`
	}
	if err := d.decode(&in); err != nil {
		return err
	}
	r, err := d.activeRound()
	if err != nil {
		return err
	}
	order, err := d.roundOrder(in.Order)
	if err != nil {
		return err
	}
	if equalStrings(order, r.Order) {
		return nil
	}
	// The party at turn keeps the turn if it is still in the order.
	at := r.AtTurn()
	r.Order, r.Turn = order, 0
	for i, id := range order {
		if id == at {
			r.Turn = i
		}
	}
	return d.emitRound(r)
}

func (d *decision) activeRound() (Round, error) {
	if !d.m.Round.Active {
		return Round{}, Fail(ECodeConflict, "no_round", "no speaking round is on")
	}
	return cloneRound(d.m.Round), nil
}

// roundMove moves the turn by step: next, or back. Next after the last party
// ends the round; back at the first changes nothing.
func roundMove(step int) func(*decision) error {
	return func(d *decision) error {
		var in struct {
			Turn *int `json:"turn"`
		}
		if err := d.decode(&in); err != nil {
			return err
		}
		r, err := d.activeRound()
		if err != nil {
			return err
		}
		// A double tap on "next" must not skip a party: the client says which
		// turn it moves from, and a move from a turn that is gone changes nothing.
		if in.Turn != nil && *in.Turn != r.Turn {
			return nil
		}
		next := r.Turn + step
		if next < 0 {
			return nil
		}
		if next >= len(r.Order) {
			return d.emitRound(Round{Order: r.Order, Passed: r.Passed})
		}
		r.Turn = next
		return d.emitRound(r)
	}
}

func roundEnd(d *decision) error {
	if err := d.decode(&struct{}{}); err != nil {
		return err
	}
	if !d.m.Round.Active {
		return nil
	}
	r := cloneRound(d.m.Round)
	return d.emitRound(Round{Order: r.Order, Passed: r.Passed})
}

// roundPass is the right to pass: a participant of the party at turn (or the
// coordinator for them) says "Ik sla over", and the turn moves on.
func roundPass(d *decision) error {
	var in struct {
		Turn *int `json:"turn"`
	}
	if err := d.decode(&in); err != nil {
		return err
	}
	r, err := d.activeRound()
	if err != nil {
		return err
	}
	if in.Turn != nil && *in.Turn != r.Turn {
		return nil // passed already: the turn moved on
	}
	at := r.AtTurn()
	if d.cmd.Actor.Role == RoleParticipant {
		if p := d.m.Participant(d.cmd.Actor.ParticipantID); p.PartyID != at {
			return Fail(ECodeForbidden, "not_your_turn", "only the party at turn can pass")
		}
	}
	r.Passed = append(r.Passed, at)
	if r.Turn+1 >= len(r.Order) {
		return d.emitRound(Round{Order: r.Order, Passed: r.Passed})
	}
	r.Turn++
	return d.emitRound(r)
}

// endRoundOnPhase ends a speaking round when the meeting leaves its phase.
func (d *decision) endRoundOnPhase() error {
	if !d.m.Round.Active {
		return nil
	}
	r := cloneRound(d.m.Round)
	return d.emitRound(Round{Order: r.Order, Passed: r.Passed})
}
