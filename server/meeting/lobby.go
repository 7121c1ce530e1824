package meeting

import "encoding/json"

// Rules for the lobby and the meeting's frame: joining, admission, parties, phases.

func participantJoin(d *decision) error {
	var in struct {
		Name    string `json:"name"`
		PartyID string `json:"partyId"`
	}
	if err := d.decode(&in); err != nil {
		return err
	}
	name, err := CleanText("name", in.Name, MaxNameLen, false, false)
	if err != nil {
		return err
	}
	if d.m.Locked {
		return Fail(ECodeLocked, "meeting_locked", "meeting locked")
	}
	if d.m.Party(in.PartyID) == nil {
		return Fail(ECodeNotFound, "unknown_party", "unknown party")
	}
	p := Participant{ID: d.newID("p"), Name: name, PartyID: in.PartyID, Status: StatusPending}
	return d.emit(EvParticipantUpsert, ScopeStaff, p.ID, participantData{p})
}

func participantStatus(to ParticipantStatus) func(*decision) error {
	return func(d *decision) error {
		var in struct {
			ParticipantID string `json:"participantId"`
		}
		if err := d.decode(&in); err != nil {
			return err
		}
		p := d.m.Participant(in.ParticipantID)
		if p == nil {
			return Fail(ECodeNotFound, "unknown_participant", "unknown participant")
		}
		if p.Status == to {
			return nil // admitted or removed already: a double tap
		}
		if p.Status == StatusRemoved {
			return Fail(ECodeConflict, "already_removed", "already removed")
		}
		return d.setStatus(*p, to)
	}
}

// setStatus admits or removes a participant. A removed participant's drafts
// are withdrawn with them: they never reach the table with their party's.
func (d *decision) setStatus(p Participant, to ParticipantStatus) error {
	p.Status = to
	// The table and the person themself: a joiner still in the lobby learns
	// no one else's name.
	if err := d.emit(EvParticipantUpsert, ScopeTable, p.ID, participantData{p}); err != nil {
		return err
	}
	if to != StatusRemoved {
		return nil
	}
	for _, it := range d.m.Items {
		if it.Revealed || it.Withdrawn || it.OnBehalf || it.AuthorIDs[0] != p.ID {
			continue
		}
		it.Withdrawn = true
		scope, pid := draftScope(it)
		if err := d.emit(EvItemUpserted, scope, pid, itemData{it}); err != nil {
			return err
		}
	}
	return nil
}

// lobbyAll admits, or dismisses, everyone still waiting in the lobby in one
// command: "Iedereen toelaten", or clearing a flood of joins.
func lobbyAll(to ParticipantStatus) func(*decision) error {
	return func(d *decision) error {
		if err := d.decode(&struct{}{}); err != nil {
			return err
		}
		for _, p := range d.m.Participants {
			if p.Status != StatusPending {
				continue
			}
			if err := d.setStatus(p, to); err != nil {
				return err
			}
		}
		return nil
	}
}

func setLocked(locked bool) func(*decision) error {
	return func(d *decision) error {
		if err := d.decode(&struct{}{}); err != nil {
			return err
		}
		if d.m.Locked == locked {
			return nil // locked (or unlocked) already
		}
		h := d.m.Header
		h.Locked = locked
		return d.emit(EvMeetingUpdated, ScopeAll, "", meetingData{h})
	}
}

func partyAdd(d *decision) error {
	var in NewParty
	if err := d.decode(&in); err != nil {
		return err
	}
	name, err := CleanText("name", in.Name, MaxNameLen, false, false)
	if err != nil {
		return err
	}
	if !validKind(in.Kind) {
		return Fail(ECodeInvalidInput, "bad_party_kind", "kind must be family, network or professional")
	}
	if len(d.m.Parties) >= 40 {
		return Fail(ECodeConflict, "too_many_parties", "at most 40 parties")
	}
	// Speaking order: family first, then network, then professionals; within a
	// kind, in the order they were added. Parties after the new one move down.
	order := 0
	for _, p := range d.m.Parties {
		if kindRank(p.Kind) <= kindRank(in.Kind) {
			order++
		}
	}
	for _, p := range d.m.Parties {
		if p.Order >= order {
			p.Order++
			if err := d.emit(EvPartyUpserted, ScopeAll, "", partyData{p}); err != nil {
				return err
			}
		}
	}
	p := Party{ID: d.newID("party"), Name: name, Kind: in.Kind, Order: order}
	return d.emit(EvPartyUpserted, ScopeAll, "", partyData{p})
}

// holds says whether the meeting has phase p: the strengths round only when it
// was chosen, the review round only in a follow-up meeting.
func (m *Meeting) holds(p Phase) bool {
	switch p {
	case PhaseStrengths:
		return m.Options.StrengthsRound
	case PhaseReview:
		return m.Previous != nil
	}
	return phaseIndex(p) >= 0
}

// optionalPhase is a round the coordinator may skip: review and strengths.
func optionalPhase(p Phase) bool { return p == PhaseReview || p == PhaseStrengths }

// NextPhase returns the phase after the current one, skipping the rounds the meeting does not hold.
func (m *Meeting) NextPhase() Phase {
	for i := phaseIndex(m.Phase) + 1; i > 0 && i < len(Phases); i++ {
		if m.holds(Phases[i]) {
			return Phases[i]
		}
	}
	return m.Phase
}

func phaseSet(d *decision) error {
	var in struct {
		Phase Phase `json:"phase"`
	}
	if err := d.decode(&in); err != nil {
		return err
	}
	from, to := phaseIndex(d.m.Phase), phaseIndex(in.Phase)
	if to < 0 {
		return Fail(ECodeInvalidInput, "unknown_phase", "unknown phase")
	}
	if to == from {
		return nil // a double tap on "next round": already there
	}
	if in.Phase == PhaseStrengths && !d.m.holds(in.Phase) {
		return Fail(ECodeConflict, "no_strengths_round", "no strengths round")
	}
	if in.Phase == PhaseReview && !d.m.holds(in.Phase) {
		return Fail(ECodeConflict, "review_follow_up_only", "review is for follow-up meetings")
	}
	// Forward: one step, or over optional rounds (held or not). Back: one step to
	// the previous round the meeting holds.
	ok := to != from
	for i := min(from, to) + 1; i < max(from, to); i++ {
		if to > from && !optionalPhase(Phases[i]) || to < from && d.m.holds(Phases[i]) {
			ok = false
		}
	}
	if !ok {
		return Fail(ECodeConflict, "one_step", "only one step at a time")
	}
	if in.Phase == PhaseClosed {
		return Fail(ECodeConflict, "use_close", "use meeting.close")
	}
	if in.Phase == PhasePlan && !d.m.Agreement.Confirmed {
		return Fail(ECodeConflict, "confirm_top3_first", "confirm the top 3 first")
	}
	// Leaving the rank round forward closes it (the agree round needs its
	// result); going back to before it reopens it, as worries may change.
	if d.m.Phase == PhaseRank && to > from && !d.m.RankingClosed {
		if err := d.closeRanking(); err != nil {
			return err
		}
	}
	if to < phaseIndex(PhaseRank) && d.m.Published != nil {
		if err := d.emit(EvRankingProgress, ScopeTable, "", resultData{d.m.RankingProgress()}); err != nil {
			return err
		}
	}
	if err := d.endRoundOnPhase(); err != nil {
		return err
	}
	h := d.m.Header
	h.Phase = in.Phase
	return d.emit(EvMeetingUpdated, ScopeAll, "", meetingData{h})
}

// optionsSet changes what the table is shown of the ranking. Once the round is
// closed these options are frozen: changing them would publish more of it.
func optionsSet(d *decision) error {
	var in struct {
		ShowSingleTop3 *bool `json:"showSingleTop3"`
		ShowPersonTop3 *bool `json:"showPersonTop3"`
	}
	if err := d.decode(&in); err != nil {
		return err
	}
	h := d.m.Header
	if in.ShowSingleTop3 != nil {
		h.Options.ShowSingleTop3 = *in.ShowSingleTop3
	}
	if in.ShowPersonTop3 != nil {
		h.Options.ShowPersonTop3 = *in.ShowPersonTop3
	}
	if h.Options == d.m.Options {
		return nil
	}
	if d.m.RankingClosed {
		return Fail(ECodeOptionsFrozen, "options_frozen", "ranking options cannot change after the round is closed")
	}
	return d.emit(EvMeetingUpdated, ScopeAll, "", meetingData{h})
}

// NewParty is a party to seat when a meeting is prepared.
type NewParty struct {
	Name string    `json:"name"`
	Kind PartyKind `json:"kind"`
}

// PrepareParties seats parties at a new meeting, as the coordinator's party.add
// commands would, and returns the meeting after them with their events.
func (m *Meeting) PrepareParties(parties []NewParty) (*Meeting, []Event, error) {
	var all []Event
	for _, p := range parties {
		data, err := json.Marshal(p)
		if err != nil {
			return nil, nil, err
		}
		next, evs, err := m.Decide(Command{Name: "party.add", Data: data, Actor: Actor{Role: RoleCoordinator}})
		if err != nil {
			return nil, nil, err
		}
		m, all = next, append(all, evs...)
	}
	return m, all, nil
}
