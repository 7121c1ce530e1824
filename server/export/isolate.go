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

func mapAll(f func(string) string, list []string) []string {
	out := make([]string, len(list))
	for i, s := range list {
		out[i] = f(s)
	}
	return out
}

// typedText returns a copy of d with f applied to every text a person typed
// (names, labels, worries, goals, actions, notes, the safety plan): isolated
// for the PDF and a right-to-left Markdown. d itself is not changed: CSV and
// JSON carry the text as stored. Ids, dates, kinds and statuses are not typed
// text and stay as they are.
func typedText(d Document, f func(string) string) Document {
	d.FamilyLabel, d.Title, d.OverrideReason = f(d.FamilyLabel), f(d.Title), f(d.OverrideReason)
	d.Parties = slices.Clone(d.Parties)
	for i := range d.Parties {
		pt := &d.Parties[i]
		pt.Name, pt.People = f(pt.Name), mapAll(f, pt.People)
	}
	d.Strengths = slices.Clone(d.Strengths)
	for i := range d.Strengths {
		s := &d.Strengths[i]
		s.Party, s.Text = f(s.Party), f(s.Text)
	}
	d.Top3 = slices.Clone(d.Top3)
	for i := range d.Top3 {
		w := &d.Top3[i]
		w.Text, w.Goal = f(w.Text), f(w.Goal)
		w.AlsoSaidAs, w.RaisedBy = mapAll(f, w.AlsoSaidAs), mapAll(f, w.RaisedBy)
	}
	d.Actions = slices.Clone(d.Actions)
	for i := range d.Actions {
		a := &d.Actions[i]
		a.What, a.Owner = f(a.What), f(a.Owner)
	}
	if d.Regisseur != nil {
		r := *d.Regisseur
		r.Party, r.Role = f(r.Party), f(r.Role)
		d.Regisseur = &r
	}
	d.Dissent = slices.Clone(d.Dissent)
	for i := range d.Dissent {
		x := &d.Dissent[i]
		x.Party, x.Text = f(x.Party), f(x.Text)
	}
	d.Akkoord = slices.Clone(d.Akkoord)
	for i := range d.Akkoord {
		k := &d.Akkoord[i]
		k.Name, k.Party = f(k.Name), f(k.Party)
	}
	if d.Contact != nil {
		c := *d.Contact
		c.Role, c.Organisation, c.Phone, c.Email = f(c.Role), f(c.Organisation), f(c.Phone), f(c.Email)
		d.Contact = &c
	}
	if d.Changes != nil {
		d.Changes = typedChanges(*d.Changes, f)
	}
	if d.Safety != nil {
		d.Safety = typedSafety(*d.Safety, f)
	}
	return d
}

func typedChanges(c meeting.ChangeSet, f func(string) string) *meeting.ChangeSet {
	worries := func(list []meeting.WorryChange) []meeting.WorryChange {
		out := slices.Clone(list)
		for i := range out {
			out[i].PreviousText, out[i].Text = f(out[i].PreviousText), f(out[i].Text)
		}
		return out
	}
	c.Kept, c.New, c.Dropped = worries(c.Kept), worries(c.New), worries(c.Dropped)
	c.Actions = slices.Clone(c.Actions)
	for i := range c.Actions {
		a := &c.Actions[i]
		a.What, a.Owner, a.Note = f(a.What), f(a.Owner), f(a.Note)
	}
	if c.Safety != nil {
		s := meeting.SafetyChanges{Scores: slices.Clone(c.Safety.Scores), Agreements: slices.Clone(c.Safety.Agreements)}
		for i := range s.Scores {
			s.Scores[i].Question, s.Scores[i].Party = f(s.Scores[i].Question), f(s.Scores[i].Party)
		}
		for i := range s.Agreements {
			s.Agreements[i].What, s.Agreements[i].Note = f(s.Agreements[i].What), f(s.Agreements[i].Note)
		}
		c.Safety = &s
	}
	return &c
}

func typedSafety(s SafetyDoc, f func(string) string) *SafetyDoc {
	scales := func(list []ScaleDoc) []ScaleDoc {
		out := slices.Clone(list)
		for i := range out {
			sc := &out[i]
			sc.Question, sc.TenMeans, sc.ZeroMeans = f(sc.Question), f(sc.TenMeans), f(sc.ZeroMeans)
			sc.Scores = slices.Clone(sc.Scores)
			for j := range sc.Scores {
				sc.Scores[j].Party = f(sc.Scores[j].Party)
			}
		}
		return out
	}
	notes := func(list []NoteDoc) []NoteDoc {
		out := slices.Clone(list)
		for i := range out {
			out[i].Party, out[i].Text = f(out[i].Party), f(out[i].Text)
		}
		return out
	}
	s.Scales, s.Existing, s.Complicating = scales(s.Scales), notes(s.Existing), notes(s.Complicating)
	s.Agreements = slices.Clone(s.Agreements)
	for i := range s.Agreements {
		a := &s.Agreements[i]
		a.What, a.Doer, a.Checker, a.PlanB = f(a.What), f(a.Doer), f(a.Checker), f(a.PlanB)
		a.Watchers, a.Answers = mapAll(f, a.Watchers), mapAll(f, a.Answers)
	}
	s.Conditions = slices.Clone(s.Conditions)
	for i := range s.Conditions {
		c := &s.Conditions[i]
		c.Party, c.Text, c.Plain, c.Reason = f(c.Party), f(c.Text), f(c.Plain), f(c.Reason)
	}
	s.Children = slices.Clone(s.Children)
	for i := range s.Children {
		c := &s.Children[i]
		c.ChildName, c.Worries, c.GoesWell, c.Wishes = f(c.ChildName), f(c.Worries), f(c.GoesWell), f(c.Wishes)
		c.Bringer, c.Story = f(c.Bringer), f(c.Story)
	}
	s.Statements = maps.Clone(s.Statements)
	for id, st := range s.Statements {
		st.Worried, st.Happened, st.MayHappen = f(st.Worried), f(st.Happened), f(st.MayHappen)
		st.Disagreement, st.SafetyGoal, st.GoalDuration = f(st.Disagreement), f(st.SafetyGoal), f(st.GoalDuration)
		s.Statements[id] = st
	}
	s.WorryScales = maps.Clone(s.WorryScales)
	for id, list := range s.WorryScales {
		s.WorryScales[id] = scales(list)
	}
	return &s
}
