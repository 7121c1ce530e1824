package meeting

import "strings"

// The child's voice: a child's three houses (worries, good things, dreams),
// written by the coordinator or on the child's own phone, and the participant
// who brings the child's story to the table.

// ChildCodeIDPrefix starts the id of a child's voice made from a child code; the
// ids the domain makes itself ("child12") never start with it.
const ChildCodeIDPrefix = "kid-"

// MaxChildIDLen bounds the id of a child's voice that the server names for a child code.
const MaxChildIDLen = 64

// maxChildren is how many children's voices one meeting holds.
const maxChildren = 12

// childHouses is the three houses as child.houses.set and child.houses.submit
// send them. It is an alias of an unnamed struct, as each command's own input
// was, because encoding/json names a named type in its error messages, and
// those reach the client.
type childHouses = struct {
	ChildID   string `json:"childId"`
	ChildName string `json:"childName"`
	Worries   string `json:"worries"`
	GoesWell  string `json:"goesWell"`
	Wishes    string `json:"wishes"`
}

// cleanHouses checks and cleans the child's name and the three houses: the rule
// both commands share. A child on their own phone may leave their name empty.
func cleanHouses(h *childHouses, nameMayBeEmpty bool) error {
	name, err := CleanText("childName", h.ChildName, MaxNameLen, false, nameMayBeEmpty)
	if err != nil {
		return err
	}
	h.ChildName = name
	return texts(map[string]*string{"worries": &h.Worries, "goesWell": &h.GoesWell, "wishes": &h.Wishes})
}

// emitHouses writes the houses into the child's voice c and sends it.
func (d *decision) emitHouses(c ChildVoice, h childHouses) error {
	if c.ChildName == h.ChildName && c.Worries == h.Worries && c.GoesWell == h.GoesWell && c.Wishes == h.Wishes {
		return nil // saved already: a repeated action is a success that changes nothing
	}
	c.ChildName, c.Worries, c.GoesWell, c.Wishes = h.ChildName, h.Worries, h.GoesWell, h.Wishes
	return d.emitChild(c)
}

// child returns the meeting's child's voice with that id, or nil.
func (m *Meeting) child(id string) *ChildVoice {
	return find(m.Safety.Children, func(x *ChildVoice) bool { return x.ID == id })
}

func childHousesSet(d *decision) error {
	var in childHouses
	if err := d.decodeSafety(&in); err != nil {
		return err
	}
	if err := cleanHouses(&in, false); err != nil {
		return err
	}
	c := ChildVoice{ID: in.ChildID}
	if in.ChildID == "" {
		if len(d.m.Safety.Children) >= maxChildren {
			return Fail(ECodeConflict, "too_many_children", "at most 12 children")
		}
		c.ID = d.newID("child")
	} else if old := d.m.child(in.ChildID); old != nil {
		c = *old
	} else {
		return Fail(ECodeNotFound, "unknown_child", "unknown child")
	}
	return d.emitHouses(c, in)
}

// childHousesSubmit is a child's own three houses, sent from the child's phone
// with their child code (RoleChild). The server names the voice (childId) by the
// code, never the child. Like child.houses.set, only coordinators see it until an
// admitted participant brings it to the table; once brought it stays as it was.
func childHousesSubmit(d *decision) error {
	var in childHouses
	if err := d.decodeSafety(&in); err != nil {
		return err
	}
	if !strings.HasPrefix(in.ChildID, ChildCodeIDPrefix) || len(in.ChildID) > MaxChildIDLen {
		return Fail(ECodeInvalidInput, "invalid_id", "a child's voice from a child code has a kid- id")
	}
	if err := cleanHouses(&in, true); err != nil {
		return err
	}
	if in.Worries == "" && in.GoesWell == "" && in.Wishes == "" {
		return Fail(ECodeInvalidInput, "houses_empty", "write something in at least one house")
	}
	c := ChildVoice{ID: in.ChildID, ByChild: true}
	if old := d.m.child(in.ChildID); old != nil {
		if old.Brought {
			return Fail(ECodeConflict, "child_voice_brought", "the child's story is at the table already")
		}
		c = *old
	} else if len(d.m.Safety.Children) >= maxChildren {
		return Fail(ECodeConflict, "too_many_children", "at most 12 children")
	}
	return d.emitHouses(c, in)
}

// emitChild sends a child's voice to the coordinators only until it is brought to the table.
func (d *decision) emitChild(c ChildVoice) error {
	if c.Brought {
		return d.emit(EvChildUpserted, ScopeTable, "", childData{c})
	}
	return d.emit(EvChildUpserted, ScopePrivate, "", childData{c})
}

func childVoiceBring(d *decision) error {
	var in struct {
		ChildID   string `json:"childId"`
		BringerID string `json:"bringerId"`
		Story     string `json:"story"`
	}
	if err := d.decodeSafety(&in); err != nil {
		return err
	}
	story, err := CleanText("story", in.Story, MaxTextLen, true, true)
	if err != nil {
		return err
	}
	old := d.m.child(in.ChildID)
	if old == nil {
		return Fail(ECodeNotFound, "unknown_child", "unknown child")
	}
	if p := d.m.Participant(in.BringerID); p == nil || p.Status != StatusAdmitted {
		return Fail(ECodeNotFound, "bringer_at_table", "the child's story is brought by a participant at the table")
	}
	c := *old
	if c.Brought && c.BringerID == in.BringerID && c.Story == story {
		return nil // saved already: a repeated action is a success that changes nothing
	}
	c.Brought, c.BringerID, c.Story = true, in.BringerID, story
	return d.emitChild(c)
}

// ChildVoiceOf returns the child's voice with that id, if the meeting has it:
// what a child's own phone may read back of the meeting, and nothing else.
func (m *Meeting) ChildVoiceOf(id string) (ChildVoice, bool) {
	if c := m.child(id); c != nil {
		return *c, true
	}
	return ChildVoice{}, false
}
