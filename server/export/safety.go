package export

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/tafel-met/tafel/server/meeting"
)

// The Signs of Safety shape in every format. A protected source is never part
// of a Document: it is read only through the audited route, so no export (and
// above all not the family's PDF) can carry it.

// SafetyDoc is the safety plan with names resolved, in reading order.
type SafetyDoc struct {
	Scales       []ScaleDoc // questions about the whole plan; a worry's own are in Statement
	Existing     []NoteDoc  // what already keeps the child safe
	Complicating []NoteDoc
	Agreements   []AgreementDoc
	Conditions   []ConditionDoc
	Children     []ChildDoc // brought to the table
	Statements   map[string]StatementDoc
	WorryScales  map[string][]ScaleDoc
}

// StatementDoc is a worry statement and its safety goal.
type StatementDoc = meeting.WorryStatement

// ScaleDoc is a scaling question with its ends and each party's score.
type ScaleDoc struct {
	ID, Question, TenMeans, ZeroMeans string
	Scores                            []ScoreDoc
}

// ScoreDoc is one party's score.
type ScoreDoc struct {
	PartyID, Party string
	Score          int
}

// NoteDoc is a line of existing safety or a complicating factor.
type NoteDoc struct{ PartyID, Party, Text string }

// AgreementDoc is one safety agreement with its parties named.
type AgreementDoc struct {
	ID, What, Doer, Checker, PlanB string
	Watchers                       []string
	Answers                        []string // the conditions it answers, in plain words
	AnswerIDs                      []string
}

// ConditionDoc is a condition of the authorised professional.
type ConditionDoc struct{ ID, PartyID, Party, Text, Plain, Status, Reason string }

// ChildDoc is a child's three houses and who brought them.
type ChildDoc struct{ ChildName, Worries, GoesWell, Wishes, Bringer, Story string }

// fillSafety adds the Signs of Safety shape and the regisseur's contact to d.
func (d *Document) fillSafety(v meeting.View, version *meeting.PlanVersion, plan meeting.Plan) {
	d.Shape = v.Options.Shape
	d.Contact = plan.RegisseurContact
	if v.Safety == nil {
		return
	}
	sp := v.Safety.Plan
	children := []meeting.ChildVoice{}
	for _, c := range v.Safety.Children {
		if c.Brought {
			children = append(children, c)
		}
	}
	if version != nil {
		if version.Safety == nil {
			return
		}
		sp, children = *version.Safety, version.Safety.Children
	}
	name := map[string]string{}
	for _, p := range v.Parties {
		name[p.ID] = p.Name
	}
	people := map[string]string{}
	for _, p := range v.Participants {
		people[p.ID] = p.Name
	}
	s := &SafetyDoc{Scales: []ScaleDoc{}, Existing: []NoteDoc{}, Complicating: []NoteDoc{}, Agreements: []AgreementDoc{},
		Conditions: []ConditionDoc{}, Children: []ChildDoc{}, Statements: map[string]StatementDoc{}, WorryScales: map[string][]ScaleDoc{}}
	for _, st := range sp.Statements {
		s.Statements[st.WorryID] = st
	}
	for _, sc := range sp.Scales {
		doc := ScaleDoc{ID: sc.ID, Question: sc.Question, TenMeans: sc.TenMeans, ZeroMeans: sc.ZeroMeans, Scores: []ScoreDoc{}}
		for _, x := range sc.Scores {
			doc.Scores = append(doc.Scores, ScoreDoc{PartyID: x.PartyID, Party: name[x.PartyID], Score: x.Score})
		}
		if sc.WorryID != "" {
			s.WorryScales[sc.WorryID] = append(s.WorryScales[sc.WorryID], doc)
		} else {
			s.Scales = append(s.Scales, doc)
		}
	}
	for _, n := range sp.Notes {
		doc := NoteDoc{PartyID: n.PartyID, Party: name[n.PartyID], Text: n.Text}
		if n.Kind == meeting.NoteExisting {
			s.Existing = append(s.Existing, doc)
		} else {
			s.Complicating = append(s.Complicating, doc)
		}
	}
	plain := map[string]string{}
	for _, c := range sp.Conditions {
		plain[c.ID] = c.Plain
		s.Conditions = append(s.Conditions, ConditionDoc{ID: c.ID, PartyID: c.PartyID, Party: name[c.PartyID], Text: c.Text,
			Plain: c.Plain, Status: c.Status, Reason: c.Reason})
	}
	for _, a := range sp.Agreements {
		doc := AgreementDoc{ID: a.ID, What: a.What, Doer: name[a.DoerPartyID], Checker: name[a.CheckerPartyID], PlanB: a.PlanB,
			Watchers: []string{}, Answers: []string{}, AnswerIDs: append([]string{}, a.Answers...)}
		for _, w := range a.WatcherPartyIDs {
			doc.Watchers = append(doc.Watchers, name[w])
		}
		for _, c := range a.Answers {
			doc.Answers = append(doc.Answers, plain[c])
		}
		s.Agreements = append(s.Agreements, doc)
	}
	for _, c := range children {
		s.Children = append(s.Children, ChildDoc{ChildName: c.ChildName, Worries: c.Worries, GoesWell: c.GoesWell,
			Wishes: c.Wishes, Bringer: people[c.BringerID], Story: c.Story})
	}
	d.Safety = s
}

// partyLabel is a party's name with its role when that is not family, network or professional.
func partyLabel(l Lang, pt PartyAtTable) string {
	if pt.Kind == meeting.KindInterpreter || pt.Kind == meeting.KindSupport {
		return pt.Name + " (" + l.t("kind:"+string(pt.Kind)) + ")"
	}
	return pt.Name
}

// contactLine is "Jeugdbeschermer, Veilig Thuis Voorbeeld, 020 123 4567, regie@example.org".
func contactLine(c *meeting.Contact) string {
	var parts []string
	for _, s := range []string{c.Role, c.Organisation, c.Phone, c.Email} {
		if s != "" {
			parts = append(parts, s)
		}
	}
	return strings.Join(parts, ", ")
}

// scoreOr is a score in words, or the words for none.
func scoreOr(l Lang, s *int) string {
	if s == nil {
		return l.t("dash")
	}
	return strconv.Itoa(*s)
}

// statementLines are a worry statement's labelled parts that are filled in.
func statementLines(l Lang, st StatementDoc) [][2]string {
	var out [][2]string
	for _, f := range [][2]string{{"worried", st.Worried}, {"happened", st.Happened}, {"mayHappen", st.MayHappen},
		{"disagreement", st.Disagreement}, {"safetyGoal", st.SafetyGoal}, {"goalDuration", st.GoalDuration}} {
		if f[1] != "" {
			out = append(out, [2]string{l.t(f[0]), f[1]})
		}
	}
	return out
}

func scoreList(sc ScaleDoc) string {
	var parts []string
	for _, x := range sc.Scores {
		parts = append(parts, fmt.Sprintf("%s %d", x.Party, x.Score))
	}
	return strings.Join(parts, ", ")
}

// Markdown.

func mdSafetyBefore(b *strings.Builder, d Document) {
	if d.Safety == nil {
		return
	}
	l := d.Lang
	p := func(format string, args ...any) { fmt.Fprintf(b, format, args...) }
	for _, g := range []struct {
		key   string
		notes []NoteDoc
	}{{"existing", d.Safety.Existing}, {"complicating", d.Safety.Complicating}} {
		p("\n## %s\n\n", mdLine(l.t(g.key)))
		if len(g.notes) == 0 {
			p("%s\n", mdLine(l.t("noNotes")))
		}
		for _, n := range g.notes {
			p("- **%s**: %s\n", mdLine(n.Party), mdText(n.Text, "  "))
		}
	}
	if len(d.Safety.Children) > 0 {
		p("\n## %s\n", mdLine(l.t("childVoice")))
		for _, c := range d.Safety.Children {
			p("\n### %s\n\n", mdLine(c.ChildName))
			if c.Bringer != "" {
				p("%s\n\n", mdLine(l.t("broughtBy", c.Bringer)))
			}
			if c.Story != "" {
				p("%s\n\n", mdText(c.Story, ""))
			}
			for _, h := range [][2]string{{"houseWorries", c.Worries}, {"houseGoesWell", c.GoesWell}, {"houseWishes", c.Wishes}} {
				p("- %s: %s\n", mdLine(l.t(h[0])), mdText(h[1], "  "))
			}
		}
	}
}

func mdStatement(b *strings.Builder, d Document, w Worry) {
	if d.Safety == nil {
		return
	}
	l := d.Lang
	if st, ok := d.Safety.Statements[w.ID]; ok {
		for _, ln := range statementLines(l, st) {
			fmt.Fprintf(b, "- %s: %s\n", mdLine(ln[0]), mdText(ln[1], "  "))
		}
	}
	for _, sc := range d.Safety.WorryScales[w.ID] {
		mdScale(b, l, sc)
	}
}

func mdScale(b *strings.Builder, l Lang, sc ScaleDoc) {
	scores := l.t("noScores")
	if len(sc.Scores) > 0 {
		scores = scoreList(sc)
	}
	fmt.Fprintf(b, "- %s\\\n  %s\\\n  %s\\\n  %s\n", mdLine(sc.Question), mdLine(l.t("tenMeans", sc.TenMeans)),
		mdLine(l.t("zeroMeans", sc.ZeroMeans)), mdLine(scores))
}

func mdSafetyAfter(b *strings.Builder, d Document) {
	if d.Safety == nil {
		return
	}
	l := d.Lang
	p := func(format string, args ...any) { fmt.Fprintf(b, format, args...) }
	if len(d.Safety.Scales) > 0 {
		p("\n## %s\n\n", mdLine(l.t("scales")))
		for _, sc := range d.Safety.Scales {
			mdScale(b, l, sc)
		}
	}
	p("\n## %s\n\n", mdLine(l.t("safetyPlan")))
	if len(d.Safety.Agreements) == 0 {
		p("%s\n", mdLine(l.t("noAgreements")))
	}
	for _, a := range d.Safety.Agreements {
		p("- %s\\\n  %s: %s. %s: %s.", mdText(a.What, "  "), mdLine(l.t("doer")), mdLine(a.Doer), mdLine(l.t("checker")), mdLine(a.Checker))
		if len(a.Watchers) > 0 {
			p(" %s: %s.", mdLine(l.t("watchers")), mdLine(strings.Join(a.Watchers, ", ")))
		}
		p("\\\n  %s: %s", mdLine(l.t("planB")), mdText(a.PlanB, "  "))
		if len(a.Answers) > 0 {
			p("\\\n  %s: %s", mdLine(l.t("answers")), mdLine(strings.Join(a.Answers, " / ")))
		}
		p("\n")
	}
	if len(d.Safety.Conditions) > 0 {
		p("\n## %s\n\n%s\n\n", mdLine(l.t("conditions")), mdLine(l.t("conditionsHelp")))
		for _, c := range d.Safety.Conditions {
			p("- %s\\\n  %s. %s: %s", mdText(c.Plain, "  "), mdLine(l.t("setBy", c.Party)), mdLine(l.t("status")), mdLine(l.t("condition:"+c.Status)))
			if c.Reason != "" {
				p(" (%s)", mdLine(c.Reason))
			}
			p(".\n")
		}
	}
}

func mdSafetyChanges(b *strings.Builder, l Lang, c *meeting.SafetyChanges) {
	if c == nil {
		return
	}
	p := func(format string, args ...any) { fmt.Fprintf(b, format, args...) }
	p("\n## %s\n", mdLine(l.t("safetyChanges")))
	if len(c.Scores) > 0 {
		p("\n**%s**\n\n", mdLine(l.t("scoreChanges")))
		for _, s := range c.Scores {
			p("- %s\\\n  %s\n", mdLine(s.Question), mdLine(l.t("scoreLine", s.Party, scoreOr(l, s.PreviousScore), scoreOr(l, s.ReviewScore), scoreOr(l, s.ScoreNow))))
		}
	}
	p("\n**%s**\n\n", mdLine(l.t("agreementsHeld")))
	if len(c.Agreements) == 0 {
		p("%s\n", mdLine(l.t("noAgreements")))
	}
	for _, a := range c.Agreements {
		p("- %s: %s.", mdLine(a.What), mdLine(l.t("held:"+a.Held)))
		if a.Note != "" {
			p("\\\n  %s", mdText(a.Note, "  "))
		}
		p("\n")
	}
}

// PDF.

func (p *pdfWriter) safetyBefore(d Document) {
	if d.Safety == nil {
		return
	}
	l := p.l
	for _, g := range []struct {
		key   string
		notes []NoteDoc
	}{{"existing", d.Safety.Existing}, {"complicating", d.Safety.Complicating}} {
		p.heading(l.t(g.key))
		if len(g.notes) == 0 {
			p.font("", bodySize, ink)
			p.text(l.t("noNotes"), 0, 6)
		}
		for _, n := range g.notes {
			p.row(n.Party, n.Text, 55)
		}
	}
	if len(d.Safety.Children) == 0 {
		return
	}
	p.heading(l.t("childVoice"))
	for _, c := range d.Safety.Children {
		p.font("B", 13, ink)
		p.text(c.ChildName, 0, 7)
		if c.Bringer != "" {
			p.font("", 9.5, muted)
			p.text(p.t("broughtBy", c.Bringer), 0, 5)
		}
		if c.Story != "" {
			p.font("", bodySize, ink)
			p.text(c.Story, 0, 6)
		}
		for _, h := range [][2]string{{"houseWorries", c.Worries}, {"houseGoesWell", c.GoesWell}, {"houseWishes", c.Wishes}} {
			p.row(l.t(h[0]), h[1], 55)
		}
		p.f.Ln(2)
	}
}

// statement writes a worry's statement and scales inside its block.
func (p *pdfWriter) statement(d Document, w Worry, indent float64) {
	if d.Safety == nil {
		return
	}
	if st, ok := d.Safety.Statements[w.ID]; ok {
		for _, ln := range statementLines(p.l, st) {
			p.font("B", bodySize, ink)
			p.text(ln[0], indent, 6)
			p.font("", bodySize, ink)
			p.text(ln[1], indent, 6)
		}
	}
	for _, sc := range d.Safety.WorryScales[w.ID] {
		p.scaleDoc(sc, indent)
	}
}

func (p *pdfWriter) scaleDoc(sc ScaleDoc, indent float64) {
	l := p.l
	p.f.Ln(1)
	p.font("B", bodySize, ink)
	p.text(sc.Question, indent, 6)
	p.font("", 10, muted)
	p.text(p.t("tenMeans", sc.TenMeans), indent, 5.5)
	p.text(p.t("zeroMeans", sc.ZeroMeans), indent, 5.5)
	if len(sc.Scores) == 0 {
		p.font("", bodySize, ink)
		p.text(l.t("noScores"), indent, 6)
	}
	for _, x := range sc.Scores {
		p.font("", bodySize, ink)
		p.text(x.Party, indent, 6)
		v := x.Score
		p.space(7)
		p.scale(indent, &v)
	}
}

func (p *pdfWriter) safetyAfter(d Document) {
	if d.Safety == nil {
		return
	}
	l := p.l
	if len(d.Safety.Scales) > 0 {
		p.heading(l.t("scales"))
		for _, sc := range d.Safety.Scales {
			p.scaleDoc(sc, 0)
		}
	}
	p.heading(l.t("safetyPlan"))
	if len(d.Safety.Agreements) == 0 {
		p.font("", bodySize, ink)
		p.text(l.t("noAgreements"), 0, 6)
	}
	for _, a := range d.Safety.Agreements {
		p.space(30)
		p.font("B", bodySize, ink)
		p.text(a.What, 0, 6)
		p.row(l.t("doer"), a.Doer, 55)
		p.row(l.t("checker"), a.Checker, 55)
		if len(a.Watchers) > 0 {
			p.row(l.t("watchers"), strings.Join(a.Watchers, ", "), 55)
		}
		p.row(l.t("planB"), a.PlanB, 55)
		if len(a.Answers) > 0 {
			p.row(l.t("answers"), strings.Join(a.Answers, " / "), 55)
		}
		p.f.Ln(2)
	}
	if len(d.Safety.Conditions) > 0 {
		p.heading(l.t("conditions"))
		p.font("", 10, muted)
		p.text(l.t("conditionsHelp"), 0, 5.5)
		for _, c := range d.Safety.Conditions {
			// The family reads the condition in plain words.
			p.font("B", bodySize, ink)
			p.text(c.Plain, 0, 6)
			status := p.t("setBy", c.Party) + ". " + l.t("status") + ": " + l.t("condition:"+c.Status)
			if c.Reason != "" {
				status += " (" + c.Reason + ")"
			}
			p.font("", 10, muted)
			p.text(status+".", 0, 5.5)
			p.f.Ln(1)
		}
	}
}

func (p *pdfWriter) safetyChanges(c *meeting.SafetyChanges) {
	if c == nil {
		return
	}
	l := p.l
	p.heading(l.t("safetyChanges"))
	if len(c.Scores) > 0 {
		p.font("B", bodySize, accent)
		p.text(l.t("scoreChanges"), 0, 6)
		for _, s := range c.Scores {
			p.row(s.Question, p.t("scoreLine", s.Party, scoreOr(l, s.PreviousScore), scoreOr(l, s.ReviewScore), scoreOr(l, s.ScoreNow)), 55)
		}
	}
	p.font("B", bodySize, accent)
	p.text(l.t("agreementsHeld"), 0, 6)
	for _, a := range c.Agreements {
		v := l.t("held:" + a.Held)
		if a.Note != "" {
			v += ". " + a.Note
		}
		p.row(a.What, v, 55)
	}
}

// JSON: tafel.plan/v2 is v1 with the Signs of Safety shape.

// JSONSchemaSafety names the JSON export of a Signs of Safety plan; docs/export-json.md describes it.
const JSONSchemaSafety = "tafel.plan/v2"

type (
	jsonSafety struct {
		Statements   []jsonStatement `json:"statements"`
		Scales       []jsonScale     `json:"scales"`
		Existing     []jsonNote      `json:"existingSafety"`
		Complicating []jsonNote      `json:"complicatingFactors"`
		Agreements   []jsonAgreement `json:"safetyPlan"`
		Conditions   []jsonCondition `json:"conditions"`
		Children     []jsonChild     `json:"childVoice"`
	}
	jsonStatement struct {
		WorryID      string `json:"worryId"`
		Worried      string `json:"worried"`
		Happened     string `json:"happened"`
		MayHappen    string `json:"mayHappen"`
		Disagreement string `json:"disagreement"`
		SafetyGoal   string `json:"safetyGoal"`
		GoalDuration string `json:"goalDuration"`
	}
	jsonScale struct {
		ID        string      `json:"id"`
		WorryID   *string     `json:"worryId"`
		Question  string      `json:"question"`
		TenMeans  string      `json:"tenMeans"`
		ZeroMeans string      `json:"zeroMeans"`
		Scores    []jsonScore `json:"scores"`
	}
	jsonScore struct {
		PartyID string `json:"partyId"`
		Party   string `json:"party"`
		Score   int    `json:"score"`
	}
	jsonNote struct {
		PartyID string `json:"partyId"`
		Party   string `json:"party"`
		Text    string `json:"text"`
	}
	jsonAgreement struct {
		ID       string   `json:"id"`
		What     string   `json:"what"`
		Doer     string   `json:"doer"`
		Checker  string   `json:"checker"`
		Watchers []string `json:"watchers"`
		PlanB    string   `json:"planB"`
		Answers  []string `json:"answersConditions"`
	}
	jsonCondition struct {
		ID      string `json:"id"`
		PartyID string `json:"partyId"`
		Party   string `json:"party"`
		Text    string `json:"text"`
		Plain   string `json:"plain"`
		Status  string `json:"status"`
		Reason  string `json:"reason"`
	}
	jsonChild struct {
		ChildName string `json:"childName"`
		BroughtBy string `json:"broughtBy"`
		Story     string `json:"story"`
		Worries   string `json:"worries"`
		GoesWell  string `json:"goesWell"`
		Wishes    string `json:"wishes"`
	}
)

func toJSONSafety(d Document) *jsonSafety {
	s := d.Safety
	if s == nil {
		return nil
	}
	out := &jsonSafety{Statements: []jsonStatement{}, Scales: []jsonScale{}, Existing: []jsonNote{}, Complicating: []jsonNote{},
		Agreements: []jsonAgreement{}, Conditions: []jsonCondition{}, Children: []jsonChild{}}
	scale := func(worry string, sc ScaleDoc) {
		js := jsonScale{ID: sc.ID, WorryID: optional(worry), Question: sc.Question, TenMeans: sc.TenMeans, ZeroMeans: sc.ZeroMeans, Scores: []jsonScore{}}
		for _, x := range sc.Scores {
			js.Scores = append(js.Scores, jsonScore(x))
		}
		out.Scales = append(out.Scales, js)
	}
	for _, w := range d.Top3 {
		if st, ok := s.Statements[w.ID]; ok {
			out.Statements = append(out.Statements, jsonStatement(st))
		}
		for _, sc := range s.WorryScales[w.ID] {
			scale(w.ID, sc)
		}
	}
	for _, sc := range s.Scales {
		scale("", sc)
	}
	for _, n := range s.Existing {
		out.Existing = append(out.Existing, jsonNote(n))
	}
	for _, n := range s.Complicating {
		out.Complicating = append(out.Complicating, jsonNote(n))
	}
	for _, a := range s.Agreements {
		out.Agreements = append(out.Agreements, jsonAgreement{ID: a.ID, What: a.What, Doer: a.Doer, Checker: a.Checker,
			Watchers: append([]string{}, a.Watchers...), PlanB: a.PlanB, Answers: append([]string{}, a.AnswerIDs...)})
	}
	for _, c := range s.Conditions {
		out.Conditions = append(out.Conditions, jsonCondition(c))
	}
	for _, c := range s.Children {
		out.Children = append(out.Children, jsonChild{ChildName: c.ChildName, BroughtBy: c.Bringer, Story: c.Story,
			Worries: c.Worries, GoesWell: c.GoesWell, Wishes: c.Wishes})
	}
	return out
}

// CSV: a Signs of Safety plan adds one row per safety agreement and the columns
// row_kind, safety_goal, checker, watchers and plan_b.

// CSVSafetyColumns are added after CSVColumns for a Signs of Safety plan.
var CSVSafetyColumns = []string{"row_kind", "safety_goal", "checker", "watchers", "plan_b"}

func csvSafetyRows(d Document, state, regisseur string) [][]string {
	var rows [][]string
	for _, a := range d.Safety.Agreements {
		rows = append(rows, []string{d.FamilyLabel, d.Date, strconv.Itoa(d.Version), state, "", "", "", "", a.ID, a.What, a.Doer,
			"", "", regisseur, d.NextEvaluation, "safety_agreement", "", a.Checker, strings.Join(a.Watchers, "; "), a.PlanB})
	}
	return rows
}

// contact writes how to reach the regisseur: the words, then one line per way.
func (p *pdfWriter) contact(c *meeting.Contact) {
	if c == nil {
		return
	}
	p.font("B", bodySize, ink)
	p.text(p.l.t("contact")+":", 0, 6)
	p.font("", bodySize, ink)
	for _, s := range []string{strings.TrimSpace(c.Role + ", " + c.Organisation), c.Phone, c.Email} {
		if s = strings.Trim(s, ", "); s != "" {
			p.text(s, 0, 6)
		}
	}
}
