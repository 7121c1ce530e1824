package export

import (
	"fmt"
	"strings"
)

// WriteMarkdown writes the plan as CommonMark, for reading and for systems that
// take Markdown. The family's own words are escaped, so nothing they typed turns
// into a heading, a link or HTML.
//
// A right-to-left language (Arabic, Farsi) is wrapped in <div dir="rtl"
// lang="..."> with blank lines around its content, so the Markdown inside
// still renders (CommonMark ends an HTML block at a blank line; GitHub and
// pandoc keep dir and lang), and every typed text in it is a bidi isolate, so
// a Dutch name or a number keeps its own order and punctuation. In any
// language stray bidi controls of old rows are dropped (see isolate.go).
func WriteMarkdown(d Document) []byte {
	l := d.Lang
	var b strings.Builder
	p := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	if l.rtl() {
		d = typedText(d, isolated)
		p("<div dir=\"rtl\" lang=\"%s\">\n\n", l)
	} else {
		d = typedText(d, withoutBidiControls)
	}

	p("# %s\n\n", mdLine(l.t("title", d.FamilyLabel)))
	p("%s\\\n", mdLine(l.t("meetingOn", d.Title, l.date(d.Date))))
	if d.Live {
		p("%s\n", mdLine(l.t("live")))
	} else {
		p("%s\n", mdLine(l.t("version", d.Version, l.date(d.Stamp.Format("2006-01-02")))))
	}

	p("\n## %s\n\n", mdLine(l.t("atTable")))
	for _, pt := range d.Parties {
		people := l.t("notPresent")
		if len(pt.People) > 0 {
			people = strings.Join(pt.People, ", ")
		}
		p("- **%s**: %s\n", mdLine(partyLabel(l, pt)), mdLine(people))
	}

	p("\n## %s\n\n", mdLine(l.t("strengths")))
	if len(d.Strengths) == 0 {
		p("%s\n", mdLine(l.t("noStrengths")))
	}
	for _, s := range d.Strengths {
		p("- **%s**: %s\n", mdLine(s.Party), mdText(s.Text, "  "))
	}

	mdSafetyBefore(&b, d)
	if d.Changes != nil {
		mdChanges(&b, l, d.Changes)
		mdSafetyChanges(&b, l, d.Changes.Safety)
	}

	p("\n## %s\n\n", mdLine(l.t("top3")))
	if !d.Agreed || len(d.Top3) == 0 {
		p("%s\n", mdLine(l.t("notAgreed")))
	}
	if d.OverrideReason != "" {
		p("%s\n", mdText(l.t("override", d.OverrideReason), ""))
	}
	for _, w := range d.Top3 {
		p("\n### %d. %s\n\n", w.Rank, mdLine(w.Text))
		if len(w.AlsoSaidAs) > 0 {
			p("- %s: %s\n", mdLine(l.t("alsoSaidAs")), mdLine(strings.Join(w.AlsoSaidAs, " / ")))
		}
		if len(w.RaisedBy) > 0 {
			p("- %s: %s\n", mdLine(l.t("raisedBy")), mdLine(strings.Join(w.RaisedBy, ", ")))
		}
		goal := l.t("noGoal")
		if w.Goal != "" {
			goal = w.Goal
		}
		p("- %s: %s\n", mdLine(l.t("goal")), mdText(goal, "  "))
		p("- %s: %s\n", mdLine(l.t("score")), mdLine(score(l, w.ScoreNow)))
		mdStatement(&b, d, w)
		mdActions(&b, l, l.t("actions"), d.actionsFor(w.Rank))
	}
	if other := d.actionsFor(0); len(other) > 0 {
		p("\n### %s\n", mdLine(l.t("otherActions")))
		mdActions(&b, l, "", other)
	}
	mdSafetyAfter(&b, d)

	p("\n## %s\n\n", mdLine(l.t("regisseur")))
	if d.Regisseur == nil {
		p("%s\n", mdLine(l.t("noRegisseur")))
	} else {
		p("**%s**", mdLine(d.Regisseur.Party))
		if d.Regisseur.Role != "" {
			p(" (%s)", mdLine(d.Regisseur.Role))
		}
		if d.Contact != nil {
			p("\\\n%s: %s", mdLine(l.t("contact")), mdLine(contactLine(d.Contact)))
		}
		p("\\\n%s\n", mdLine(l.t("regisseurHelp")))
	}

	p("\n## %s\n\n", mdLine(l.t("nextEvaluation")))
	if d.NextEvaluation == "" {
		p("%s\n", mdLine(l.t("noDate")))
	} else {
		p("**%s**\n", mdLine(l.date(d.NextEvaluation)))
	}

	p("\n## %s\n\n", mdLine(l.t("dissent")))
	if len(d.Dissent) == 0 {
		p("%s\n", mdLine(l.t("noDissent")))
	}
	for _, x := range d.Dissent {
		p("- **%s**: %s\n", mdLine(x.Party), mdText(x.Text, "  "))
	}

	p("\n## %s\n\n", mdLine(l.t("akkoord")))
	if len(d.Akkoord) == 0 {
		p("%s\n", mdLine(l.t("noAkkoord")))
	} else {
		p("%s:\n\n", mdLine(l.t("akkoordBy")))
		for _, k := range d.Akkoord {
			p("- %s (%s)\n", mdLine(k.Name), mdLine(k.Party))
		}
	}
	if l.rtl() {
		p("\n</div>\n")
	}
	return []byte(b.String())
}

func mdActions(b *strings.Builder, l Lang, title string, actions []Action) {
	if title != "" {
		fmt.Fprintf(b, "\n**%s**\n", mdLine(title))
	}
	b.WriteString("\n")
	if len(actions) == 0 {
		fmt.Fprintf(b, "%s\n", mdLine(l.t("noActions")))
		return
	}
	for _, a := range actions {
		fmt.Fprintf(b, "- %s\\\n  %s\n", mdText(a.What, "  "), mdLine(actionLine(l, a)))
	}
}

// actionLine is "Wie: Veilig Thuis. Klaar op: 15 januari 2027. Stand: nog te doen."
func actionLine(l Lang, a Action) string {
	due := l.t("noDue")
	if a.Due != "" {
		due = l.date(a.Due)
	}
	return fmt.Sprintf("%s: %s. %s: %s. %s: %s.", l.t("who"), a.Owner, l.t("due"), due, l.t("status"), l.status(a.Status))
}

// score is "3 van de 10", or the words for no score.
func score(l Lang, s *int) string {
	if s == nil {
		return l.t("noScore")
	}
	return l.t("scoreOf", *s)
}

// mdLine escapes text for one line of Markdown: line breaks become spaces.
func mdLine(s string) string {
	return mdEscapeLine(strings.Join(strings.Fields(s), " "))
}

// mdText escapes text that may have several lines: each line break becomes a hard
// break, and the next line is indented to stay inside a list item.
func mdText(s, indent string) string {
	var lines []string
	for _, line := range strings.Split(s, "\n") {
		if line = strings.Join(strings.Fields(line), " "); line != "" {
			lines = append(lines, mdEscapeLine(line))
		}
	}
	return strings.Join(lines, "\\\n"+indent)
}

// mdEscapeLine backslash-escapes the characters that have meaning inside a line,
// and a start that would open a block (a heading, a list item, a setext underline).
func mdEscapeLine(s string) string {
	var b strings.Builder
	at := blockMarker(s)
	for i, r := range s {
		switch r {
		case '\\', '`', '*', '_', '[', ']', '<', '>', '|', '~':
			b.WriteByte('\\')
		case '&':
			if i+1 < len(s) && (s[i+1] == '#' || isASCIILetter(s[i+1])) {
				b.WriteByte('\\')
			}
		default:
			if i == at {
				b.WriteByte('\\')
			}
		}
		b.WriteRune(r)
	}
	return b.String()
}

// blockMarker returns the index of the character that would make a line starting
// with s a heading ("# "), a list item ("- ", "+ ", "1. ") or a setext underline
// ("==="), or -1.
func blockMarker(s string) int {
	if s == "" {
		return -1
	}
	rest := strings.TrimLeft(s, s[:1])
	switch s[0] {
	case '#', '-', '+':
		if rest == "" || rest[0] == ' ' {
			return 0
		}
	case '=':
		if strings.TrimSpace(rest) == "" {
			return 0
		}
	}
	digits := len(s) - len(strings.TrimLeft(s, "0123456789"))
	if digits > 0 && digits <= 9 && digits < len(s) && (s[digits] == '.' || s[digits] == ')') &&
		(digits+1 == len(s) || s[digits+1] == ' ') {
		return digits
	}
	return -1
}

func isASCIILetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
