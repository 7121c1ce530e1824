package export

import (
	"maps"
	"slices"
	"strings"

	"github.com/tafel-met/tafel/server/meeting"
)

// What people typed is drawn in the PDF as a bidi isolate (FSI ... PDI): its
// own direction and punctuation stay inside it, and it cannot reorder the
// labels, names and numbers drawn around it on the same line. The explicit
// bidi controls (embeddings, overrides, isolates: U+202A-U+202E and
// U+2066-U+2069) are refused when typed (meeting.CleanText), but a row stored
// before that rule may hold them; they are dropped when drawn, so a stray
// override cannot turn a line around, inside the text or beyond it.

const (
	fsi = "\u2068" // FIRST STRONG ISOLATE: the text takes the direction of its first letter
	pdi = "\u2069" // POP DIRECTIONAL ISOLATE
)

// isBidiControl reports whether r is an explicit bidi embedding, override or isolate.
func isBidiControl(r rune) bool {
	return r >= 0x202A && r <= 0x202E || r >= 0x2066 && r <= 0x2069
}

// withoutBidiControls returns s without its explicit bidi controls.
func withoutBidiControls(s string) string {
	if !strings.ContainsFunc(s, isBidiControl) {
		return s
	}
	return strings.Map(func(r rune) rune {
		if isBidiControl(r) {
			return -1
		}
		return r
	}, s)
}

// isolated returns typed text s as one bidi isolate per paragraph, without
// stray bidi controls of its own. Empty text stays empty, so "nothing typed"
// still reads as nothing.
func isolated(s string) string {
	s = withoutBidiControls(s)
	if strings.TrimSpace(s) == "" {
		return s
	}
	// The PDF wraps paragraph by paragraph: an isolate must not span a newline.
	paras := strings.Split(s, "\n")
	for i, p := range paras {
		if strings.TrimSpace(p) != "" {
			paras[i] = fsi + p + pdi
		}
	}
	return strings.Join(paras, "\n")
}

// isIsolated reports whether s is one isolate made by isolated.
func isIsolated(s string) bool {
	return strings.HasPrefix(s, fsi) && strings.HasSuffix(s, pdi) && !strings.Contains(s, "\n")
}

func isolatedAll(list []string) []string {
	out := make([]string, len(list))
	for i, s := range list {
		out[i] = isolated(s)
	}
	return out
}

// pdfDocument returns a copy of d for the PDF with every text a person typed
// (names, labels, worries, goals, actions, notes, the safety plan) isolated.
// d itself is not changed: Markdown, CSV and JSON carry the text as stored.
// Ids, dates, kinds and statuses are not typed text and stay as they are.
func pdfDocument(d Document) Document {
	d.FamilyLabel, d.Title, d.OverrideReason = isolated(d.FamilyLabel), isolated(d.Title), isolated(d.OverrideReason)
	d.Parties = slices.Clone(d.Parties)
	for i := range d.Parties {
		pt := &d.Parties[i]
		pt.Name, pt.People = isolated(pt.Name), isolatedAll(pt.People)
	}
	d.Strengths = slices.Clone(d.Strengths)
	for i := range d.Strengths {
		s := &d.Strengths[i]
		s.Party, s.Text = isolated(s.Party), isolated(s.Text)
	}
	d.Top3 = slices.Clone(d.Top3)
	for i := range d.Top3 {
		w := &d.Top3[i]
		w.Text, w.Goal = isolated(w.Text), isolated(w.Goal)
		w.AlsoSaidAs, w.RaisedBy = isolatedAll(w.AlsoSaidAs), isolatedAll(w.RaisedBy)
	}
	d.Actions = slices.Clone(d.Actions)
	for i := range d.Actions {
		a := &d.Actions[i]
		a.What, a.Owner = isolated(a.What), isolated(a.Owner)
	}
	if d.Regisseur != nil {
		r := *d.Regisseur
		r.Party, r.Role = isolated(r.Party), isolated(r.Role)
		d.Regisseur = &r
	}
	d.Dissent = slices.Clone(d.Dissent)
	for i := range d.Dissent {
		x := &d.Dissent[i]
		x.Party, x.Text = isolated(x.Party), isolated(x.Text)
	}
	d.Akkoord = slices.Clone(d.Akkoord)
	for i := range d.Akkoord {
		k := &d.Akkoord[i]
		k.Name, k.Party = isolated(k.Name), isolated(k.Party)
	}
	if d.Contact != nil {
		c := *d.Contact
		c.Role, c.Organisation, c.Phone, c.Email = isolated(c.Role), isolated(c.Organisation), isolated(c.Phone), isolated(c.Email)
		d.Contact = &c
	}
	if d.Changes != nil {
		d.Changes = isolatedChanges(*d.Changes)
	}
	if d.Safety != nil {
		d.Safety = isolatedSafety(*d.Safety)
	}
	return d
}

func isolatedChanges(c meeting.ChangeSet) *meeting.ChangeSet {
	worries := func(list []meeting.WorryChange) []meeting.WorryChange {
		out := slices.Clone(list)
		for i := range out {
			out[i].PreviousText, out[i].Text = isolated(out[i].PreviousText), isolated(out[i].Text)
		}
		return out
	}
	c.Kept, c.New, c.Dropped = worries(c.Kept), worries(c.New), worries(c.Dropped)
	c.Actions = slices.Clone(c.Actions)
	for i := range c.Actions {
		a := &c.Actions[i]
		a.What, a.Owner, a.Note = isolated(a.What), isolated(a.Owner), isolated(a.Note)
	}
	if c.Safety != nil {
		s := meeting.SafetyChanges{Scores: slices.Clone(c.Safety.Scores), Agreements: slices.Clone(c.Safety.Agreements)}
		for i := range s.Scores {
			s.Scores[i].Question, s.Scores[i].Party = isolated(s.Scores[i].Question), isolated(s.Scores[i].Party)
		}
		for i := range s.Agreements {
			s.Agreements[i].What, s.Agreements[i].Note = isolated(s.Agreements[i].What), isolated(s.Agreements[i].Note)
		}
		c.Safety = &s
	}
	return &c
}

func isolatedSafety(s SafetyDoc) *SafetyDoc {
	scales := func(list []ScaleDoc) []ScaleDoc {
		out := slices.Clone(list)
		for i := range out {
			sc := &out[i]
			sc.Question, sc.TenMeans, sc.ZeroMeans = isolated(sc.Question), isolated(sc.TenMeans), isolated(sc.ZeroMeans)
			sc.Scores = slices.Clone(sc.Scores)
			for j := range sc.Scores {
				sc.Scores[j].Party = isolated(sc.Scores[j].Party)
			}
		}
		return out
	}
	notes := func(list []NoteDoc) []NoteDoc {
		out := slices.Clone(list)
		for i := range out {
			out[i].Party, out[i].Text = isolated(out[i].Party), isolated(out[i].Text)
		}
		return out
	}
	s.Scales, s.Existing, s.Complicating = scales(s.Scales), notes(s.Existing), notes(s.Complicating)
	s.Agreements = slices.Clone(s.Agreements)
	for i := range s.Agreements {
		a := &s.Agreements[i]
		a.What, a.Doer, a.Checker, a.PlanB = isolated(a.What), isolated(a.Doer), isolated(a.Checker), isolated(a.PlanB)
		a.Watchers, a.Answers = isolatedAll(a.Watchers), isolatedAll(a.Answers)
	}
	s.Conditions = slices.Clone(s.Conditions)
	for i := range s.Conditions {
		c := &s.Conditions[i]
		c.Party, c.Text, c.Plain, c.Reason = isolated(c.Party), isolated(c.Text), isolated(c.Plain), isolated(c.Reason)
	}
	s.Children = slices.Clone(s.Children)
	for i := range s.Children {
		c := &s.Children[i]
		c.ChildName, c.Worries, c.GoesWell, c.Wishes = isolated(c.ChildName), isolated(c.Worries), isolated(c.GoesWell), isolated(c.Wishes)
		c.Bringer, c.Story = isolated(c.Bringer), isolated(c.Story)
	}
	s.Statements = maps.Clone(s.Statements)
	for id, st := range s.Statements {
		st.Worried, st.Happened, st.MayHappen = isolated(st.Worried), isolated(st.Happened), isolated(st.MayHappen)
		st.Disagreement, st.SafetyGoal, st.GoalDuration = isolated(st.Disagreement), isolated(st.SafetyGoal), isolated(st.GoalDuration)
		s.Statements[id] = st
	}
	s.WorryScales = maps.Clone(s.WorryScales)
	for id, list := range s.WorryScales {
		s.WorryScales[id] = scales(list)
	}
	return &s
}
