package meeting

import "fmt"

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
	if it == nil || it.Kind != kind || it.Family && !it.Revealed || !d.canSeeItem(*it) {
		return Item{}, Fail(ECodeNotFound, "unknown_item", "unknown item")
	}
	if it.AuthorIDs[0] != d.actorAuthor() {
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

// actorAuthor is the author id the actor writes items as.
func (d *decision) actorAuthor() string {
	if d.cmd.Actor.Role == RoleParticipant {
		return d.cmd.Actor.ParticipantID
	}
	return CoordinatorAuthor
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
			return nil // saved already
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
		if it := d.m.Item(in.ItemID); it != nil && it.Withdrawn && d.canSeeItem(*it) && it.AuthorIDs[0] == d.actorAuthor() {
			return nil // withdrawn already: a double tap
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
	if err := d.uncheckedWording(in.Kind, in.PartyID); err != nil {
		return err
	}
	revealed := []Item{}
	for _, it := range d.m.Items {
		if it.Kind != in.Kind || it.Revealed || it.Withdrawn || it.Family || (in.PartyID != "" && it.PartyID != in.PartyID) {
			continue
		}
		it.Revealed = true
		revealed = append(revealed, it)
	}
	if len(revealed) == 0 {
		return nil // revealed already (a double tap), or nothing there
	}
	return d.emit(EvItemsRevealed, ScopeTable, "", itemsData{revealed})
}

// DraftCount is how many items of a kind a party still has unrevealed: what
// the console needs to know which parties to reveal, never what they wrote.
type DraftCount struct {
	PartyID string   `json:"partyId"`
	Kind    ItemKind `json:"kind"`
	Count   int      `json:"count"`
}

// DraftCounts counts the unrevealed, not withdrawn items per party and kind, in
// speaking order.
func (m *Meeting) DraftCounts() []DraftCount {
	out := []DraftCount{}
	for _, p := range sortedParties(m.Parties) {
		for _, k := range []ItemKind{KindStrength, KindWorry} {
			n := 0
			for _, it := range m.Items {
				if it.PartyID == p.ID && it.Kind == k && !it.Revealed && !it.Withdrawn && !it.Family {
					n++
				}
			}
			if n > 0 {
				out = append(out, DraftCount{PartyID: p.ID, Kind: k, Count: n})
			}
		}
	}
	return out
}

// draftsKey sums up DraftCounts cheaply: it changes when any count does.
func (m *Meeting) draftsKey() string {
	n := map[string]int{}
	for _, it := range m.Items {
		if !it.Revealed && !it.Withdrawn && !it.Family {
			n[it.PartyID+"/"+string(it.Kind)]++
		}
	}
	return fmt.Sprint(n) // fmt prints maps sorted by key
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
		if from.MergedInto == d.m.root(into.ID) {
			return nil // merged there already
		}
		return Fail(ECodeConflict, "already_merged", "already merged")
	}
	// Merges do not chain: a worry others were merged into stays a root, so
	// every merged worry shows under the one it joined and unmerges alone.
	for _, it := range d.m.Items {
		if it.MergedInto == from.ID {
			return Fail(ECodeMergeChain, "merge_chain", "a worry that others were merged into cannot be merged itself")
		}
	}
	from.MergedInto = d.m.root(into.ID)
	return d.emit(EvItemUpserted, ScopeTable, "", itemData{from})
}

// worryRephrase lets the coordinator put a revealed worry in other words (a
// 500-character worry shortened for the screen). The author's own words are
// kept with it, and everyone at the table, the author too, sees the change.
func worryRephrase(d *decision) error {
	var in struct {
		ItemID string `json:"itemId"`
		Text   string `json:"text"`
	}
	if err := d.decode(&in); err != nil {
		return err
	}
	text, err := CleanText("text", in.Text, MaxTextLen, true, false)
	if err != nil {
		return err
	}
	it, err := d.revealedWorry(in.ItemID)
	if err != nil {
		return err
	}
	if it.Text == text {
		return nil
	}
	if it.OriginalText == "" {
		it.OriginalText = it.Text
	}
	it.Text = text
	if it.Text == it.OriginalText {
		it.OriginalText = "" // back in the author's own words
	}
	return d.emit(EvItemUpserted, ScopeTable, "", itemData{it})
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
		return nil // not merged (any more): a double tap
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
