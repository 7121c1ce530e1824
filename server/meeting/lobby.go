package meeting

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
		return Errorf(ECodeLocked, "Dit gesprek is op slot. Vraag de gespreksleider. (meeting locked)")
	}
	if d.m.Party(in.PartyID) == nil {
		return Errorf(ECodeNotFound, "Deze partij bestaat niet (unknown party)")
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
			return Errorf(ECodeNotFound, "Deze persoon is niet in dit gesprek (unknown participant)")
		}
		if p.Status == StatusRemoved {
			return Errorf(ECodeConflict, "Deze persoon is al verwijderd (already removed)")
		}
		if p.Status == to {
			return Errorf(ECodeConflict, "Dat is al zo (no change)")
		}
		np := *p
		np.Status = to
		return d.emit(EvParticipantUpsert, ScopeAll, np.ID, participantData{np})
	}
}

func setLocked(locked bool) func(*decision) error {
	return func(d *decision) error {
		if err := d.decode(&struct{}{}); err != nil {
			return err
		}
		if d.m.Locked == locked {
			return Errorf(ECodeConflict, "Dat is al zo (no change)")
		}
		h := d.m.Header
		h.Locked = locked
		return d.emit(EvMeetingUpdated, ScopeAll, "", meetingData{h})
	}
}

func partyAdd(d *decision) error {
	var in struct {
		Name string    `json:"name"`
		Kind PartyKind `json:"kind"`
	}
	if err := d.decode(&in); err != nil {
		return err
	}
	name, err := CleanText("name", in.Name, MaxNameLen, false, false)
	if err != nil {
		return err
	}
	if !validKind(in.Kind) {
		return Errorf(ECodeInvalidInput, "Soort partij onbekend (kind must be family, network or professional)")
	}
	if len(d.m.Parties) >= 40 {
		return Errorf(ECodeConflict, "Te veel partijen (at most 40 parties)")
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

// NextPhase returns the phase after p, skipping the strengths round when the meeting has none.
func (m *Meeting) NextPhase() Phase {
	i := phaseIndex(m.Phase)
	if i < 0 || i+1 >= len(Phases) {
		return m.Phase
	}
	next := Phases[i+1]
	if next == PhaseStrengths && !m.Options.StrengthsRound {
		next = PhaseWorries
	}
	return next
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
		return Errorf(ECodeInvalidInput, "Onbekende ronde (unknown phase)")
	}
	if in.Phase == PhaseStrengths && !d.m.Options.StrengthsRound {
		return Errorf(ECodeConflict, "Dit gesprek heeft geen ronde 'wat gaat goed' (no strengths round)")
	}
	switch {
	case to == from+1, to == from+2 && Phases[from+1] == PhaseStrengths:
		// Forward one step, or over the optional strengths round.
	case to == from-1:
		// Back one step.
	case to == from-2 && Phases[from-1] == PhaseStrengths && !d.m.Options.StrengthsRound:
		// Back over a strengths round the meeting does not hold.
	default:
		return Errorf(ECodeConflict, "Je kunt alleen één stap verder of terug (only one step at a time)")
	}
	if in.Phase == PhaseClosed {
		return Errorf(ECodeConflict, "Sluit het gesprek met 'meeting.close' (use meeting.close)")
	}
	if in.Phase == PhasePlan && !d.m.Agreement.Confirmed {
		return Errorf(ECodeConflict, "Bevestig eerst de top 3 (confirm the top 3 first)")
	}
	h := d.m.Header
	h.Phase = in.Phase
	return d.emit(EvMeetingUpdated, ScopeAll, "", meetingData{h})
}
