package meeting

// Rules for family time (eigen tijd van het gezin): the professionals step out,
// the family and its network write a shared list alone, and when family time
// ends what they chose to bring is put on the table. Until then the server
// keeps every word of it from professionals, the coordinator and the screen.

// familySide says whether a party sits on the family's side of the table: the
// family and the network it invited.
func familySide(k PartyKind) bool { return k == KindFamily || k == KindNetwork }

// onFamilySide says whether participant id is admitted and of a family or network party.
func (m *Meeting) onFamilySide(id string) bool {
	p := m.Participant(id)
	if p == nil || p.Status != StatusAdmitted {
		return false
	}
	party := m.Party(p.PartyID)
	return party != nil && familySide(party.Kind)
}

func familyTimeStart(d *decision) error {
	if err := d.decode(&struct{}{}); err != nil {
		return err
	}
	if d.m.FamilyTime {
		return nil
	}
	if err := d.endRoundOnPhase(); err != nil {
		return err
	}
	h := d.m.Header
	h.FamilyTime = true
	return d.emit(EvMeetingUpdated, ScopeAll, "", meetingData{h})
}

// familySpokesperson marks the family member who may end family time ("" for none).
func familySpokesperson(d *decision) error {
	var in struct {
		ParticipantID string `json:"participantId"`
	}
	if err := d.decode(&in); err != nil {
		return err
	}
	if in.ParticipantID != "" {
		p := d.m.Participant(in.ParticipantID)
		if p == nil {
			return Fail(ECodeNotFound, "unknown_participant", "unknown participant")
		}
		if party := d.m.Party(p.PartyID); party == nil || party.Kind != KindFamily || p.Status != StatusAdmitted {
			return Fail(ECodeInvalidInput, "spokesperson_family", "the spokesperson is an admitted family member")
		}
	}
	if d.m.Spokesperson == in.ParticipantID {
		return nil
	}
	h := d.m.Header
	h.Spokesperson = in.ParticipantID
	return d.emit(EvMeetingUpdated, ScopeAll, "", meetingData{h})
}

// familyActor checks that family time is on and the actor sits on the family's side.
func (d *decision) familyActor() error {
	if !d.m.FamilyTime {
		return Fail(ECodeConflict, "familytime_off", "family time is not on")
	}
	if d.cmd.Actor.Role != RoleParticipant || !d.m.onFamilySide(d.cmd.Actor.ParticipantID) {
		return Fail(ECodeForbidden, "family_list_only", "the family list is the family's and the network's")
	}
	return nil
}

func familyAdd(d *decision) error {
	var in struct {
		Text string `json:"text"`
	}
	if err := d.decode(&in); err != nil {
		return err
	}
	if err := d.familyActor(); err != nil {
		return err
	}
	text, err := CleanText("text", in.Text, MaxTextLen, true, false)
	if err != nil {
		return err
	}
	if len(d.m.Items) >= 1000 {
		return Fail(ECodeConflict, "too_many_items", "at most 1000 items")
	}
	kind, prefix := KindWorry, "w"
	if d.m.Phase == PhaseStrengths {
		kind, prefix = KindStrength, "s"
	}
	p := d.m.Participant(d.cmd.Actor.ParticipantID)
	it := Item{ID: d.newID(prefix), Kind: kind, PartyID: p.PartyID, Text: text, AuthorIDs: []string{p.ID},
		Family: true, Order: d.m.Seq + 1}
	return d.emit(EvItemUpserted, ScopeFamily, "", itemData{it})
}

// familyItem finds an item of the family list that is still on it.
func (d *decision) familyItem(id string) (Item, error) {
	if err := d.familyActor(); err != nil {
		return Item{}, err
	}
	it := d.m.Item(id)
	if it == nil || !it.Family || it.Revealed {
		return Item{}, Fail(ECodeNotFound, "unknown_item", "unknown item")
	}
	return *it, nil
}

// familyEdit changes an item of the shared family list: its words, whether the
// family brings it to the table, or that it is taken off the list.
func familyEdit(d *decision) error {
	var in struct {
		ItemID    string  `json:"itemId"`
		Text      *string `json:"text"`
		Bring     *bool   `json:"bring"`
		Withdrawn *bool   `json:"withdrawn"`
	}
	if err := d.decode(&in); err != nil {
		return err
	}
	it, err := d.familyItem(in.ItemID)
	if err != nil {
		return err
	}
	before := it
	if in.Text != nil {
		text, err := CleanText("text", *in.Text, MaxTextLen, true, false)
		if err != nil {
			return err
		}
		it.Text = text
	}
	if in.Bring != nil {
		it.Bring = *in.Bring
	}
	if in.Withdrawn != nil {
		it.Withdrawn = *in.Withdrawn
	}
	if it.Text == before.Text && it.Bring == before.Bring && it.Withdrawn == before.Withdrawn {
		return nil
	}
	return d.emit(EvItemUpserted, ScopeFamily, "", itemData{it})
}

// familyTimeEnd ends family time, by the coordinator or the spokesperson: what
// the family chose to bring is revealed to the table; the rest of the list
// stays the family's.
func familyTimeEnd(d *decision) error {
	if err := d.decode(&struct{}{}); err != nil {
		return err
	}
	if !d.m.FamilyTime {
		return nil // ended already
	}
	if d.cmd.Actor.Role == RoleParticipant && (d.m.Spokesperson == "" || d.cmd.Actor.ParticipantID != d.m.Spokesperson) {
		return Fail(ECodeForbidden, "spokesperson_ends", "the coordinator or the family's spokesperson ends family time")
	}
	h := d.m.Header
	h.FamilyTime = false
	if err := d.emit(EvMeetingUpdated, ScopeAll, "", meetingData{h}); err != nil {
		return err
	}
	brought := []Item{}
	for _, it := range d.m.Items {
		if it.Family && it.Bring && !it.Withdrawn && !it.Revealed {
			it.Revealed = true
			brought = append(brought, it)
		}
	}
	if len(brought) == 0 {
		return nil
	}
	return d.emit(EvItemsRevealed, ScopeTable, "", itemsData{brought})
}
