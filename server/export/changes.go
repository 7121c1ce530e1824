package export

import (
	"fmt"
	"strings"

	"github.com/tafel-met/tafel/server/meeting"
)

// "Wat is er veranderd": a follow-up's plan compared with the plan before it.

// changeLines are the sentences of a worry's line: its words last time (when
// they differ) and its scores then, at the review and now.
func changeLines(l Lang, w meeting.WorryChange, group string) []string {
	var out []string
	if group == "kept" && w.PreviousText != "" && w.PreviousText != w.Text {
		out = append(out, l.t("lastTimeAs", w.PreviousText))
	}
	var scores []string
	if group != "new" {
		scores = append(scores, l.t("scoreThen", score(l, w.PreviousScore)), l.t("scoreReview", score(l, w.ReviewScore)))
	}
	if group != "dropped" {
		scores = append(scores, l.t("scoreNowIs", score(l, w.ScoreNow)))
	}
	return append(out, strings.Join(scores, " "))
}

// changeText is the worry's words as the line shows them: the new ones, or the
// previous ones for a worry that left the top 3.
func changeText(w meeting.WorryChange) string {
	if w.WorryID == "" {
		return w.PreviousText
	}
	return w.Text
}

type changeGroup struct {
	key     string
	worries []meeting.WorryChange
}

func changeGroups(c *meeting.ChangeSet) []changeGroup {
	return []changeGroup{{"kept", c.Kept}, {"new", c.New}, {"dropped", c.Dropped}}
}

// actionOutcome is "Budgetcoach aanvragen (Wijkteam): deels gedaan. Wachtlijst".
func actionOutcome(l Lang, a meeting.ActionChange) (head, note string) {
	head = a.What
	if a.Owner != "" {
		head += " (" + a.Owner + ")"
	}
	return head + ": " + l.outcome(a.Outcome) + ".", a.Note
}

func mdChanges(b *strings.Builder, l Lang, c *meeting.ChangeSet) {
	p := func(format string, args ...any) { fmt.Fprintf(b, format, args...) }
	p("\n## %s\n\n", mdLine(l.t("changes")))
	p("%s\n", mdLine(l.t("changesSince", l.date(c.PreviousDate), c.PreviousVersion)))
	if !c.Decided {
		p("\n%s\n", mdLine(l.t("changesOpen")))
	}
	for _, g := range changeGroups(c) {
		if len(g.worries) == 0 {
			continue
		}
		p("\n**%s**\n\n", mdLine(l.t(g.key)))
		for _, w := range g.worries {
			p("- %s", mdLine(changeText(w)))
			for _, line := range changeLines(l, w, g.key) {
				p("\\\n  %s", mdLine(line))
			}
			p("\n")
		}
	}
	p("\n**%s**\n\n", mdLine(l.t("prevActions")))
	if len(c.Actions) == 0 {
		p("%s\n", mdLine(l.t("noPrevActions")))
	}
	for _, a := range c.Actions {
		head, note := actionOutcome(l, a)
		p("- %s", mdLine(head))
		if note != "" {
			p("\\\n  %s", mdText(note, "  "))
		}
		p("\n")
	}
}

func (p *pdfWriter) changes(c *meeting.ChangeSet) {
	l := p.l
	p.heading(l.t("changes"))
	p.font("", bodySize, muted)
	p.text(p.t("changesSince", l.date(c.PreviousDate), c.PreviousVersion), 0, 6)
	if !c.Decided {
		p.font("", bodySize, ink)
		p.text(l.t("changesOpen"), 0, 6)
	}
	for _, g := range changeGroups(c) {
		if len(g.worries) == 0 {
			continue
		}
		p.f.Ln(2)
		p.space(18)
		p.font("B", bodySize, accent)
		p.text(l.t(g.key), 0, 6)
		for _, w := range g.worries {
			p.space(14)
			p.font("B", bodySize, ink)
			p.text(changeText(w), 4, 6)
			p.font("", 10, ink)
			for _, line := range changeLines(l, w, g.key) {
				p.text(line, 4, 5.5)
			}
		}
	}
	p.f.Ln(2)
	p.space(18)
	p.font("B", bodySize, accent)
	p.text(l.t("prevActions"), 0, 6)
	if len(c.Actions) == 0 {
		p.font("", bodySize, ink)
		p.text(l.t("noPrevActions"), 0, 6)
	}
	for _, a := range c.Actions {
		head, note := actionOutcome(l, a)
		p.space(12)
		p.font("", bodySize, ink)
		p.text(head, 4, 6)
		if note != "" {
			p.font("", 10, muted)
			p.text(note, 8, 5.5)
		}
	}
}

// The JSON of "changes": absent values are null, lists are [].
type (
	jsonChanges struct {
		Previous jsonPrevious         `json:"previous"`
		Decided  bool                 `json:"decided"`
		Kept     []jsonWorryChange    `json:"kept"`
		New      []jsonWorryChange    `json:"new"`
		Dropped  []jsonWorryChange    `json:"dropped"`
		Actions  []jsonPreviousAction `json:"actions"`
		// Safety is tafel.plan/v2's per-party score changes and which safety agreements held.
		Safety *meeting.SafetyChanges `json:"safety,omitempty"`
	}
	jsonPrevious struct {
		MeetingID string `json:"meetingId"`
		Date      string `json:"date"`
		Version   int    `json:"version"`
	}
	jsonWorryChange struct {
		PreviousID    *string `json:"previousId"`
		PreviousText  *string `json:"previousText"`
		PreviousRank  *int    `json:"previousRank"`
		WorryID       *string `json:"worryId"`
		Text          *string `json:"text"`
		Rank          *int    `json:"rank"`
		PreviousScore *int    `json:"previousScore"`
		ReviewScore   *int    `json:"reviewScore"`
		ScoreNow      *int    `json:"scoreNow"`
	}
	jsonPreviousAction struct {
		ID      string  `json:"id"`
		WorryID string  `json:"worryId"`
		What    string  `json:"what"`
		Owner   string  `json:"owner"`
		Due     *string `json:"due"`
		Status  string  `json:"status"`
		Outcome *string `json:"outcome"`
		Note    string  `json:"note"`
	}
)

func optionalInt(n int) *int {
	if n == 0 {
		return nil
	}
	return &n
}

func toJSONChanges(c *meeting.ChangeSet) *jsonChanges {
	if c == nil {
		return nil
	}
	out := &jsonChanges{Previous: jsonPrevious{MeetingID: c.PreviousMeetingID, Date: c.PreviousDate, Version: c.PreviousVersion},
		Decided: c.Decided, Kept: []jsonWorryChange{}, New: []jsonWorryChange{}, Dropped: []jsonWorryChange{}, Actions: []jsonPreviousAction{}}
	worry := func(w meeting.WorryChange) jsonWorryChange {
		j := jsonWorryChange{PreviousID: optional(w.PreviousID), PreviousRank: optionalInt(w.PreviousRank), WorryID: optional(w.WorryID),
			Rank: optionalInt(w.Rank), PreviousScore: w.PreviousScore, ReviewScore: w.ReviewScore, ScoreNow: w.ScoreNow}
		if w.PreviousID != "" {
			j.PreviousText = &w.PreviousText
		}
		if w.WorryID != "" {
			j.Text = &w.Text
		}
		return j
	}
	for _, w := range c.Kept {
		out.Kept = append(out.Kept, worry(w))
	}
	for _, w := range c.New {
		out.New = append(out.New, worry(w))
	}
	for _, w := range c.Dropped {
		out.Dropped = append(out.Dropped, worry(w))
	}
	for _, a := range c.Actions {
		out.Actions = append(out.Actions, jsonPreviousAction{ID: a.ActionID, WorryID: a.WorryID, What: a.What, Owner: a.Owner,
			Due: optional(a.Due), Status: string(a.Status), Outcome: optional(string(a.Outcome)), Note: a.Note})
	}
	out.Safety = c.Safety
	return out
}
