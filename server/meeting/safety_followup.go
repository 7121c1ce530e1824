package meeting

import (
	"fmt"
	"slices"
)

// A follow-up in the Signs of Safety shape: the review of the previous safety
// plan, carrying it forward, and what changed since.

// previousSafety returns the safety plan a follow-up starts from.
func (d *decision) previousSafety() (*SafetyPlan, error) {
	prev, err := d.previous()
	if err != nil {
		return nil, err
	}
	if prev.Version.Safety == nil {
		return nil, Fail(ECodeConflict, "no_previous_safety", "the previous plan has no safety plan")
	}
	return prev.Version.Safety, nil
}

func (d *decision) emitSafetyReview(r SafetyReview) error {
	if sameJSON(cloneSafetyReview(d.m.Safety.Review), r) {
		return nil // saved already: a repeated action is a success that changes nothing
	}
	return d.emit(EvSafetyReviewUpdated, ScopeTable, "", safetyReviewData{r})
}

func safetyReviewAgreementSet(d *decision) error {
	var in AgreementReview
	if err := d.decodeSafety(&in); err != nil {
		return err
	}
	note, err := CleanText("note", in.Note, MaxTextLen, true, true)
	if err != nil {
		return err
	}
	if in.Held != HeldYes && in.Held != HeldPartly && in.Held != HeldNo {
		return Fail(ECodeInvalidInput, "bad_held", "held must be held, partly or failed")
	}
	prev, err := d.previousSafety()
	if err != nil {
		return err
	}
	if !slices.ContainsFunc(prev.Agreements, func(a SafetyAgreement) bool { return a.ID == in.AgreementID }) {
		return Fail(ECodeNotFound, "unknown_previous_agreement", "unknown previous safety agreement")
	}
	r := cloneSafetyReview(d.m.Safety.Review)
	in.Note = note
	r.Agreements = upsert(r.Agreements, in, func(x AgreementReview) bool { return x.AgreementID == in.AgreementID })
	return d.emitSafetyReview(r)
}

func safetyReviewScoreSet(d *decision) error {
	var in struct {
		ScaleID string `json:"scaleId"`
		PartyID string `json:"partyId"`
		Score   *int   `json:"score"`
	}
	if err := d.decodeSafety(&in); err != nil {
		return err
	}
	if err := checkScore(in.Score); err != nil {
		return err
	}
	prev, err := d.previousSafety()
	if err != nil {
		return err
	}
	if prev.scale(in.ScaleID) == nil {
		return Fail(ECodeNotFound, "unknown_previous_scale", "unknown previous scaling question")
	}
	if d.m.Previous.PartyName(in.PartyID) == "" {
		return Fail(ECodeNotFound, "unknown_previous_party", "unknown previous party")
	}
	r := cloneSafetyReview(d.m.Safety.Review)
	scores := []ScaleReview{}
	for _, s := range r.Scores {
		if s.ScaleID != in.ScaleID || s.PartyID != in.PartyID {
			scores = append(scores, s)
		}
	}
	if in.Score != nil {
		scores = append(scores, ScaleReview{ScaleID: in.ScaleID, PartyID: in.PartyID, Score: *in.Score})
	}
	r.Scores = scores
	return d.emitSafetyReview(r)
}

// safetyCarry carries the previous safety plan forward in one step: its scaling
// questions (ends and question, new scores to give), its agreements, its
// existing safety and complicating factors, its open conditions, and the worry
// statements of the previous worries that a worry of the new top 3 carries on.
func safetyCarry(d *decision) error {
	if err := d.decodeSafety(&struct{}{}); err != nil {
		return err
	}
	prev, err := d.previousSafety()
	if err != nil {
		return err
	}
	p := cloneSafetyPlan(d.m.Safety.Plan)
	n := 0
	id := func(prefix string) string { n++; return fmt.Sprintf("%s-%d", d.newID(prefix), n) }
	partyFor := func(prevID string) string { return d.m.partyNamed(d.m.Previous.PartyName(prevID)) }
	for _, s := range prev.Scales {
		if slices.ContainsFunc(p.Scales, func(x Scale) bool { return x.Continues == s.ID }) {
			continue
		}
		p.Scales = append(p.Scales, Scale{ID: id("sc"), WorryID: d.continuing(s.WorryID), Question: s.Question,
			TenMeans: s.TenMeans, ZeroMeans: s.ZeroMeans, Scores: []PartyScore{}, Continues: s.ID})
	}
	conds := map[string]string{}
	for _, c := range prev.Conditions {
		if c.Status != ConditionOpen || partyFor(c.PartyID) == "" {
			continue
		}
		nc := Condition{ID: id("cond"), PartyID: partyFor(c.PartyID), SetBy: CoordinatorAuthor, Text: c.Text, Plain: c.Plain, Status: ConditionOpen}
		conds[c.ID] = nc.ID
		p.Conditions = append(p.Conditions, nc)
	}
	for _, a := range prev.Agreements {
		if slices.ContainsFunc(p.Agreements, func(x SafetyAgreement) bool { return x.Continues == a.ID }) {
			continue
		}
		doer, checker := partyFor(a.DoerPartyID), partyFor(a.CheckerPartyID)
		if doer == "" || checker == "" {
			continue
		}
		na := SafetyAgreement{ID: id("sa"), What: a.What, DoerPartyID: doer, CheckerPartyID: checker,
			WatcherPartyIDs: []string{}, PlanB: a.PlanB, Answers: []string{}, Continues: a.ID}
		for _, w := range a.WatcherPartyIDs {
			if x := partyFor(w); x != "" {
				na.WatcherPartyIDs = append(na.WatcherPartyIDs, x)
			}
		}
		for _, c := range a.Answers {
			if x, ok := conds[c]; ok {
				na.Answers = append(na.Answers, x)
			}
		}
		p.Agreements = append(p.Agreements, na)
	}
	if len(p.Notes) == 0 {
		for _, nt := range prev.Notes {
			if party := partyFor(nt.PartyID); party != "" {
				p.Notes = append(p.Notes, SafetyNote{ID: id("sn"), Kind: nt.Kind, PartyID: party, Text: nt.Text})
			}
		}
	}
	for _, st := range prev.Statements {
		w := d.continuing(st.WorryID)
		if w == "" || slices.ContainsFunc(p.Statements, func(x WorryStatement) bool { return x.WorryID == w }) {
			continue
		}
		st.WorryID = w
		p.Statements = append(p.Statements, st)
	}
	return d.emitSafety(p)
}

// continuing returns the worry of the agreed top 3 that carries on the previous worry prevID, or "".
func (d *decision) continuing(prevID string) string {
	if prevID == "" {
		return ""
	}
	for _, w := range d.m.Agreement.WorryIDs {
		for _, it := range d.m.Items {
			if it.Kind == KindWorry && !it.Withdrawn && it.Continues == prevID && d.m.root(it.ID) == w {
				return w
			}
		}
	}
	return ""
}

// ScoreChange is one party's score on one scaling question: in the previous
// plan, at the review, and in the new plan.
type ScoreChange struct {
	PreviousScaleID string `json:"previousScaleId"`
	ScaleID         string `json:"scaleId"` // the new plan's scale that asks it again; "" when none
	Question        string `json:"question"`
	Party           string `json:"party"` // the party's name, the same in both meetings
	PreviousScore   *int   `json:"previousScore"`
	ReviewScore     *int   `json:"reviewScore"`
	ScoreNow        *int   `json:"scoreNow"`
}

// AgreementChange is a previous safety agreement and whether it held.
type AgreementChange struct {
	AgreementID string `json:"agreementId"` // the previous plan's
	What        string `json:"what"`
	Held        string `json:"held"` // held, partly, failed, or "" when not reviewed
	Note        string `json:"note"`
	CarriedAs   string `json:"carriedAs"` // the new plan's agreement that carries it on, or ""
}

// SafetyChanges is what changed in the safety plan since the previous one.
type SafetyChanges struct {
	Scores     []ScoreChange     `json:"scores"`
	Agreements []AgreementChange `json:"agreements"`
}

// safetyChanges compares the previous safety plan with the review and the new plan.
func safetyChanges(prev Previous, review SafetyReview, now *SafetyPlan, parties []Party) *SafetyChanges {
	old := prev.Version.Safety
	if old == nil {
		return nil
	}
	if now == nil {
		now = &SafetyPlan{}
	}
	out := &SafetyChanges{Scores: []ScoreChange{}, Agreements: []AgreementChange{}}
	nameOf := func(list []Party, id string) string {
		for _, p := range list {
			if p.ID == id {
				return p.Name
			}
		}
		return ""
	}
	for _, s := range old.Scales {
		var next *Scale
		for i := range now.Scales {
			if now.Scales[i].Continues == s.ID {
				next = &now.Scales[i]
			}
		}
		names := []string{}
		add := func(n string) {
			if n != "" && !slices.Contains(names, n) {
				names = append(names, n)
			}
		}
		for _, p := range prev.Parties {
			add(p.Name)
		}
		for _, p := range parties {
			add(p.Name)
		}
		for _, n := range names {
			c := ScoreChange{PreviousScaleID: s.ID, Question: s.Question, Party: n}
			for _, x := range s.Scores {
				if nameOf(prev.Parties, x.PartyID) == n {
					v := x.Score
					c.PreviousScore = &v
				}
			}
			for _, x := range review.Scores {
				if x.ScaleID == s.ID && nameOf(prev.Parties, x.PartyID) == n {
					v := x.Score
					c.ReviewScore = &v
				}
			}
			if next != nil {
				c.ScaleID = next.ID
				for _, x := range next.Scores {
					if nameOf(parties, x.PartyID) == n {
						v := x.Score
						c.ScoreNow = &v
					}
				}
			}
			if c.PreviousScore != nil || c.ReviewScore != nil || c.ScoreNow != nil {
				out.Scores = append(out.Scores, c)
			}
		}
	}
	for _, a := range old.Agreements {
		c := AgreementChange{AgreementID: a.ID, What: a.What}
		for _, r := range review.Agreements {
			if r.AgreementID == a.ID {
				c.Held, c.Note = r.Held, r.Note
			}
		}
		for _, x := range now.Agreements {
			if x.Continues == a.ID {
				c.CarriedAs = x.ID
			}
		}
		out.Agreements = append(out.Agreements, c)
	}
	return out
}
