package meeting

// Rules for strengths and worries: add, edit, withdraw, reveal, merge.

// author returns the author id and party of the actor for a new item.
func (d *decision) itemAuthor(partyID string) (author, party string, onBehalf bool, err error) {
	if d.cmd.Actor.Role == RoleCoordinator {
		if partyID == "" {
			return "", "", false, Fail(ECodeInvalidInput, "party_required", "partyId required")
		}
		if d.m.Party(partyID) == nil {
			return "", "", false, Fail(ECodeNotFound, "unknown_party", "unknown party")
		}
		return CoordinatorAuthor, partyID, true, nil
	}
	if partyID != "" {
		return "", "", false, Fail(ECodeForbidden, "own_party_only", "own party only")
	}
	p := d.m.Participant(d.cmd.Actor.ParticipantID)
	return p.ID, p.PartyID, false, nil
}

// draftScope is who may see an item: its author while it is a draft, the table after.
func draftScope(it Item) (Scope, string) {
	if it.Revealed {
		return ScopeTable, ""
	}
	if it.OnBehalf {
		return ScopePrivate, ""
	}
	return ScopePrivate, it.AuthorIDs[0]
}

func itemAdd(kind ItemKind) func(*decision) error {
	return func(d *decision) error {
		var in struct {
			Text      string `json:"text"`
			Domain    string `json:"domain"`
			PartyID   string `json:"partyId"`
			Continues string `json:"continues"`
		}
		if err := d.decode(&in); err != nil {
			return err
		}
		text, err := d.itemText(kind, in.Text, in.Domain, in.Continues)
		if err != nil {
			return err
		}
		author, party, onBehalf, err := d.itemAuthor(in.PartyID)
		if err != nil {
			return err
		}
		if len(d.m.Items) >= 1000 {
			return Fail(ECodeConflict, "too_many_items", "at most 1000 items")
		}
		prefix := "w"
		if kind == KindStrength {
			prefix = "s"
		}
		it := Item{ID: d.newID(prefix), Kind: kind, PartyID: party, Text: text, Domain: in.Domain,
			AuthorIDs: []string{author}, OnBehalf: onBehalf, Continues: in.Continues, Order: d.m.Seq + 1}
		scope, pid := draftScope(it)
		return d.emit(EvItemUpserted, scope, pid, itemData{it})
	}
}

// ownItem finds an item of kind that the actor wrote.
func (d *decision) ownItem(id string, kind ItemKind) (Item, error) {
	it := d.m.Item(id)
	if it == nil || it.Kind != kind || !d.canSeeItem(*it) {
		return Item{}, Fail(ECodeNotFound, "unknown_item", "unknown item")
	}
	author := CoordinatorAuthor
	if d.cmd.Actor.Role == RoleParticipant {
		author = d.cmd.Actor.ParticipantID
	}
	if it.AuthorIDs[0] != author {
		return Item{}, Fail(ECodeForbidden, "own_items_only", "own items only")
	}
	if it.Withdrawn {
		return Item{}, Fail(ECodeConflict, "item_withdrawn", "already withdrawn")
	}
	if it.MergedInto != "" {
		return Item{}, Fail(ECodeConflict, "item_merged", "item merged")
	}
	return *it, nil
}

// canSeeItem says whether the actor may know the item exists: a draft of someone
// else is "not found", exactly like an id that does not exist.
func (d *decision) canSeeItem(it Item) bool {
	v := Viewer{Role: d.cmd.Actor.Role, ParticipantID: d.cmd.Actor.ParticipantID, Admitted: true}
	return v.canSeeItem(it)
}

func itemEdit(kind ItemKind) func(*decision) error {
	return func(d *decision) error {
		var in struct {
			ItemID string `json:"itemId"`
			Text   string `json:"text"`
			Domain string `json:"domain"`
			// Continues, when sent, changes which previous worry this one carries on ("" for none).
			Continues *string `json:"continues"`
		}
		if err := d.decode(&in); err != nil {
			return err
		}
		sent := ""
		if in.Continues != nil {
			sent = *in.Continues
		}
		text, err := d.itemText(kind, in.Text, in.Domain, sent)
		if err != nil {
			return err
		}
		it, err := d.ownItem(in.ItemID, kind)
		if err != nil {
			return err
		}
		continues := it.Continues
		if in.Continues != nil {
			continues = *in.Continues
		}
		if it.Text == text && it.Domain == in.Domain && it.Continues == continues {
			return Fail(ECodeConflict, "no_change", "nothing to change")
		}
		it.Text, it.Domain, it.Continues = text, in.Domain, continues
		scope, pid := draftScope(it)
		return d.emit(EvItemUpserted, scope, pid, itemData{it})
	}
}

func itemWithdraw(kind ItemKind) func(*decision) error {
	return func(d *decision) error {
		var in struct {
			ItemID string `json:"itemId"`
		}
		if err := d.decode(&in); err != nil {
			return err
		}
		it, err := d.ownItem(in.ItemID, kind)
		if err != nil {
			return err
		}
		it.Withdrawn = true
		scope, pid := draftScope(it)
		return d.emit(EvItemUpserted, scope, pid, itemData{it})
	}
}

func reveal(d *decision) error {
	var in struct {
		Kind    ItemKind `json:"kind"`
		PartyID string   `json:"partyId"`
	}
	if err := d.decode(&in); err != nil {
		return err
	}
	want := KindWorry
	if d.m.Phase == PhaseStrengths {
		want = KindStrength
	}
	if in.Kind == "" {
		in.Kind = want
	}
	if in.Kind != KindWorry && in.Kind != KindStrength {
		return Fail(ECodeInvalidInput, "bad_item_kind", "kind must be strength or worry")
	}
	if in.Kind != want {
		return Fail(ECodeWrongPhase, "wrong_kind", "wrong kind for this phase", "kind", want)
	}
	if in.PartyID != "" && d.m.Party(in.PartyID) == nil {
		return Fail(ECodeNotFound, "unknown_party", "unknown party")
	}
	revealed := []Item{}
	for _, it := range d.m.Items {
		if it.Kind != in.Kind || it.Revealed || it.Withdrawn || (in.PartyID != "" && it.PartyID != in.PartyID) {
			continue
		}
		it.Revealed = true
		revealed = append(revealed, it)
	}
	if len(revealed) == 0 {
		return Fail(ECodeConflict, "nothing_to_reveal", "nothing to reveal")
	}
	return d.emit(EvItemsRevealed, ScopeTable, "", itemsData{revealed})
}

// worryRoot returns a revealed, live worry by id.
func (d *decision) revealedWorry(id string) (Item, error) {
	it := d.m.Item(id)
	if it == nil || it.Kind != KindWorry || !it.Revealed {
		return Item{}, Fail(ECodeNotFound, "unknown_worry", "unknown worry", "id", truncate(id, 20))
	}
	if it.Withdrawn {
		return Item{}, Fail(ECodeConflict, "worry_withdrawn", "worry withdrawn")
	}
	return *it, nil
}

func worryMerge(d *decision) error {
	var in struct {
		IntoID string `json:"intoId"`
		FromID string `json:"fromId"`
	}
	if err := d.decode(&in); err != nil {
		return err
	}
	into, err := d.revealedWorry(in.IntoID)
	if err != nil {
		return err
	}
	from, err := d.revealedWorry(in.FromID)
	if err != nil {
		return err
	}
	if into.ID == from.ID || d.m.root(into.ID) == from.ID {
		return Fail(ECodeConflict, "merge_into_itself", "cannot merge into itself")
	}
	if from.MergedInto != "" {
		return Fail(ECodeConflict, "already_merged", "already merged")
	}
	from.MergedInto = d.m.root(into.ID)
	return d.emit(EvItemUpserted, ScopeTable, "", itemData{from})
}

func worryUnmerge(d *decision) error {
	var in struct {
		ItemID string `json:"itemId"`
	}
	if err := d.decode(&in); err != nil {
		return err
	}
	it, err := d.revealedWorry(in.ItemID)
	if err != nil {
		return err
	}
	if it.MergedInto == "" {
		return Fail(ECodeConflict, "not_merged", "not merged")
	}
	it.MergedInto = ""
	return d.emit(EvItemUpserted, ScopeTable, "", itemData{it})
}

// itemText checks what an item is made of: its text, its life domain and, for a
// worry in a follow-up meeting, the previous worry it carries on.
func (d *decision) itemText(kind ItemKind, text, domain, continues string) (string, error) {
	text, err := CleanText("text", text, MaxTextLen, true, false)
	if err != nil {
		return "", err
	}
	if !validDomain(domain) {
		return "", Fail(ECodeInvalidInput, "unknown_domain", "unknown domain")
	}
	if continues != "" {
		if kind != KindWorry {
			return "", Fail(ECodeInvalidInput, "continues_worries_only", "continues is for worries")
		}
		if d.m.Previous == nil || d.m.Previous.Worry(continues) == nil {
			return "", Fail(ECodeNotFound, "unknown_previous_worry", "unknown previous worry")
		}
	}
	return text, nil
}
