package meeting

import (
	"encoding/json"
	"slices"
)

// The protected source of a worry (who reported it): kept from the family and
// the screen, checked against the family wording before a reveal, and withheld
// where a meeting's data leaves Tafel.

// ProtectedSources returns the protected sources of a meeting's worries, for
// the audited route that shows them to a coordinator.
func (m *Meeting) ProtectedSources() []ProtectedSource {
	return slices.Clone(m.Safety.Sources)
}

// uncheckedWording refuses a reveal that would show a worry with a protected
// source before its raiser checked the family wording.
func (d *decision) uncheckedWording(kind ItemKind, partyID string) error {
	if kind != KindWorry {
		return nil
	}
	for _, s := range d.m.Safety.Sources {
		it := d.m.Item(s.WorryID)
		if it == nil || it.Revealed || it.Withdrawn || s.Source == "" || (partyID != "" && it.PartyID != partyID) {
			continue
		}
		if s.CheckedText != it.Text {
			return Fail(ECodeWordingUnchecked, "wording_unchecked", "a worry has a protected source and its family wording is not checked", "worry", it.ID)
		}
	}
	return nil
}

// sourceItem returns the actor's own unrevealed worry, raised for a professional party.
func (d *decision) sourceItem(id string) (Item, error) {
	it, err := d.ownItem(id, KindWorry)
	if err != nil {
		return Item{}, err
	}
	if it.Revealed {
		return Item{}, Fail(ECodeConflict, "worry_revealed", "the worry is on the table already")
	}
	if party := d.m.Party(it.PartyID); party == nil || party.Kind != KindProfessional {
		return Item{}, Fail(ECodeForbidden, "source_professional_only", "only a worry raised by a professional carries a protected source")
	}
	return it, nil
}

// emitSource sends a source to its raiser only; one typed on behalf reaches no socket.
func (d *decision) emitSource(s ProtectedSource) error {
	if s.AuthorID == CoordinatorAuthor {
		return d.emit(EvSourceUpserted, ScopeSealed, "", sourceData{s})
	}
	return d.emit(EvSourceUpserted, ScopePrivate, s.AuthorID, sourceData{s})
}

func (m *Meeting) source(worryID string) *ProtectedSource {
	return find(m.Safety.Sources, func(s *ProtectedSource) bool { return s.WorryID == worryID })
}

func worrySourceSet(d *decision) error {
	var in struct {
		ItemID string `json:"itemId"`
		Source string `json:"source"`
	}
	if err := d.decodeSafety(&in); err != nil {
		return err
	}
	src, err := CleanText("source", in.Source, MaxTextLen, true, true)
	if err != nil {
		return err
	}
	it, err := d.sourceItem(in.ItemID)
	if err != nil {
		return err
	}
	s := ProtectedSource{WorryID: it.ID, AuthorID: it.AuthorIDs[0]}
	if old := d.m.source(it.ID); old != nil {
		s = *old
	}
	if s.Source == src && d.m.source(it.ID) != nil {
		return nil // saved already: a repeated action is a success that changes nothing
	}
	s.Source = src
	return d.emitSource(s)
}

func worryWordingCheck(d *decision) error {
	var in struct {
		ItemID string `json:"itemId"`
	}
	if err := d.decodeSafety(&in); err != nil {
		return err
	}
	it, err := d.sourceItem(in.ItemID)
	if err != nil {
		return err
	}
	old := d.m.source(it.ID)
	if old == nil || old.Source == "" {
		return Fail(ECodeConflict, "no_source", "the worry has no protected source")
	}
	if old.CheckedText == it.Text {
		return nil // checked already
	}
	s := *old
	s.CheckedText = it.Text
	return d.emitSource(s)
}

// WithheldSource stands in for a protected source where a meeting's whole data
// leaves Tafel (the family's data export, AVG right of access): a reporter's
// identity is given only with their consent (Wmo 2015).
const WithheldSource = "[withheld: protected source]"

// RedactSource returns ev with a protected source withheld; other events as they are.
func RedactSource(ev Event) Event {
	if ev.Name != EvSourceUpserted {
		return ev
	}
	var d sourceData
	if err := json.Unmarshal(ev.Data, &d); err != nil || d.Source.Source == "" {
		return ev
	}
	d.Source.Source = WithheldSource
	ev.Data, _ = json.Marshal(d)
	return ev
}

// WithoutSources returns a copy of m with every protected source withheld.
func (m *Meeting) WithoutSources() *Meeting {
	c := m.Clone()
	for i := range c.Safety.Sources {
		if c.Safety.Sources[i].Source != "" {
			c.Safety.Sources[i].Source = WithheldSource
		}
	}
	return c
}
