package meeting

import (
	"slices"
	"sort"
	"strings"
)

// The commands that write the safety plan: worry statements, scaling questions
// and scores, existing safety and complicating factors, safety agreements and
// the conditions of the authorised professional; and the regisseur's contact.

func safetyStatementSet(d *decision) error {
	var in WorryStatement
	if err := d.decodeSafety(&in); err != nil {
		return err
	}
	if err := d.agreedWorry(in.WorryID); err != nil {
		return err
	}
	if err := texts(map[string]*string{"worried": &in.Worried, "happened": &in.Happened, "mayHappen": &in.MayHappen,
		"disagreement": &in.Disagreement, "safetyGoal": &in.SafetyGoal, "goalDuration": &in.GoalDuration}); err != nil {
		return err
	}
	p := cloneSafetyPlan(d.m.Safety.Plan)
	p.Statements = upsert(p.Statements, in, func(x WorryStatement) bool { return x.WorryID == in.WorryID })
	return d.emitSafety(p)
}

func (p *SafetyPlan) scale(id string) *Scale {
	return find(p.Scales, func(s *Scale) bool { return s.ID == id })
}

// knownScale returns the plan's scaling question with that id, or unknown_scale.
func (p *SafetyPlan) knownScale(id string) (*Scale, error) {
	if s := p.scale(id); s != nil {
		return s, nil
	}
	return nil, Fail(ECodeNotFound, "unknown_scale", "unknown scaling question")
}

// knownCondition returns the plan's condition with that id, or unknown_condition.
func (p *SafetyPlan) knownCondition(id string) (*Condition, error) {
	if c := find(p.Conditions, func(c *Condition) bool { return c.ID == id }); c != nil {
		return c, nil
	}
	return nil, Fail(ECodeNotFound, "unknown_condition", "unknown condition")
}

// knownAgreement returns where the plan has the safety agreement with that id, or unknown_agreement.
func (p *SafetyPlan) knownAgreement(id string) (int, error) {
	if i := slices.IndexFunc(p.Agreements, func(x SafetyAgreement) bool { return x.ID == id }); i >= 0 {
		return i, nil
	}
	return -1, Fail(ECodeNotFound, "unknown_agreement", "unknown safety agreement")
}

// checkScore refuses a score outside 0-10; no score (nil) takes a score away.
func checkScore(score *int) error {
	if score != nil && (*score < 0 || *score > 10) {
		return Fail(ECodeInvalidInput, "score_range", "score 0-10")
	}
	return nil
}

func safetyScaleSet(d *decision) error {
	var in struct {
		ScaleID   string `json:"scaleId"`
		WorryID   string `json:"worryId"`
		Question  string `json:"question"`
		TenMeans  string `json:"tenMeans"`
		ZeroMeans string `json:"zeroMeans"`
	}
	if err := d.decodeSafety(&in); err != nil {
		return err
	}
	if err := texts(map[string]*string{"question": &in.Question, "tenMeans": &in.TenMeans, "zeroMeans": &in.ZeroMeans},
		"question", "tenMeans", "zeroMeans"); err != nil {
		return err
	}
	if in.WorryID != "" {
		if err := d.agreedWorry(in.WorryID); err != nil {
			return err
		}
	}
	p := cloneSafetyPlan(d.m.Safety.Plan)
	if in.ScaleID == "" {
		if len(p.Scales) >= 20 {
			return Fail(ECodeConflict, "too_many_scales", "at most 20 scaling questions")
		}
		p.Scales = append(p.Scales, Scale{ID: d.newID("sc"), WorryID: in.WorryID, Question: in.Question,
			TenMeans: in.TenMeans, ZeroMeans: in.ZeroMeans, Scores: []PartyScore{}})
		return d.emitSafety(p)
	}
	s, err := p.knownScale(in.ScaleID)
	if err != nil {
		return err
	}
	s.WorryID, s.Question, s.TenMeans, s.ZeroMeans = in.WorryID, in.Question, in.TenMeans, in.ZeroMeans
	return d.emitSafety(p)
}

// ownParty returns the party the actor speaks for: a participant's own, or the
// party a coordinator names.
func (d *decision) ownParty(partyID string) (string, error) {
	if d.cmd.Actor.Role == RoleCoordinator {
		if d.m.Party(partyID) == nil {
			return "", Fail(ECodeNotFound, "unknown_party", "unknown party (partyId required)")
		}
		return partyID, nil
	}
	if partyID != "" {
		return "", Fail(ECodeForbidden, "own_party_only", "own party only")
	}
	return d.m.Participant(d.cmd.Actor.ParticipantID).PartyID, nil
}

func safetyScoreSet(d *decision) error {
	var in struct {
		ScaleID string `json:"scaleId"`
		Score   *int   `json:"score"`
		PartyID string `json:"partyId"`
	}
	if err := d.decodeSafety(&in); err != nil {
		return err
	}
	if err := checkScore(in.Score); err != nil {
		return err
	}
	party, err := d.ownParty(in.PartyID)
	if err != nil {
		return err
	}
	p := cloneSafetyPlan(d.m.Safety.Plan)
	s, err := p.knownScale(in.ScaleID)
	if err != nil {
		return err
	}
	scores := []PartyScore{}
	for _, x := range s.Scores {
		if x.PartyID != party {
			scores = append(scores, x)
		}
	}
	if in.Score != nil {
		scores = append(scores, PartyScore{PartyID: party, Score: *in.Score})
	}
	sort.SliceStable(scores, func(i, j int) bool { return d.m.Party(scores[i].PartyID).Order < d.m.Party(scores[j].PartyID).Order })
	s.Scores = scores
	return d.emitSafety(p)
}

func safetyNoteAdd(d *decision) error {
	var in struct {
		Kind    string `json:"kind"`
		Text    string `json:"text"`
		PartyID string `json:"partyId"`
	}
	if err := d.decodeSafety(&in); err != nil {
		return err
	}
	if in.Kind != NoteExisting && in.Kind != NoteComplicating {
		return Fail(ECodeInvalidInput, "bad_note_kind", "kind must be existing or complicating")
	}
	text, err := CleanText("text", in.Text, MaxTextLen, true, false)
	if err != nil {
		return err
	}
	party, err := d.ownParty(in.PartyID)
	if err != nil {
		return err
	}
	p := cloneSafetyPlan(d.m.Safety.Plan)
	if len(p.Notes) >= 100 {
		return Fail(ECodeConflict, "too_many_notes", "at most 100 notes")
	}
	p.Notes = append(p.Notes, SafetyNote{ID: d.newID("sn"), Kind: in.Kind, PartyID: party, Text: text})
	return d.emitSafety(p)
}

func safetyNoteRemove(d *decision) error {
	var in struct {
		NoteID string `json:"noteId"`
	}
	if err := d.decodeSafety(&in); err != nil {
		return err
	}
	p := cloneSafetyPlan(d.m.Safety.Plan)
	i := slices.IndexFunc(p.Notes, func(n SafetyNote) bool { return n.ID == in.NoteID })
	if i < 0 {
		return Fail(ECodeNotFound, "unknown_note", "unknown note")
	}
	p.Notes = slices.Delete(p.Notes, i, i+1)
	return d.emitSafety(p)
}

func safetyAgreementSet(edit bool) func(*decision) error {
	return func(d *decision) error {
		var in struct {
			AgreementID     string   `json:"agreementId"`
			What            string   `json:"what"`
			DoerPartyID     string   `json:"doerPartyId"`
			CheckerPartyID  string   `json:"checkerPartyId"`
			WatcherPartyIDs []string `json:"watcherPartyIds"`
			PlanB           string   `json:"planB"`
			Answers         []string `json:"answers"`
		}
		if err := d.decodeSafety(&in); err != nil {
			return err
		}
		if err := texts(map[string]*string{"what": &in.What, "planB": &in.PlanB}, "what", "planB"); err != nil {
			return err
		}
		for _, id := range []string{in.DoerPartyID, in.CheckerPartyID} {
			if d.m.Party(id) == nil {
				return Fail(ECodeNotFound, "doer_checker_required", "unknown party (doer and checker required)")
			}
		}
		if len(in.WatcherPartyIDs) > 20 || len(in.Answers) > 20 {
			return Fail(ECodeInvalidInput, "too_many_watchers", "at most 20 watchers and 20 conditions")
		}
		watchers := []string{}
		for _, id := range in.WatcherPartyIDs {
			if d.m.Party(id) == nil {
				return Fail(ECodeNotFound, "unknown_watcher", "unknown watcher party")
			}
			if !slices.Contains(watchers, id) {
				watchers = append(watchers, id)
			}
		}
		p := cloneSafetyPlan(d.m.Safety.Plan)
		answers := []string{}
		for _, id := range in.Answers {
			if _, err := p.knownCondition(id); err != nil {
				return err
			}
			if !slices.Contains(answers, id) {
				answers = append(answers, id)
			}
		}
		a := SafetyAgreement{What: in.What, DoerPartyID: in.DoerPartyID, CheckerPartyID: in.CheckerPartyID,
			WatcherPartyIDs: watchers, PlanB: in.PlanB, Answers: answers}
		if !edit {
			if in.AgreementID != "" {
				return Fail(ECodeInvalidInput, "no_agreement_id_on_add", "no agreementId on add")
			}
			if len(p.Agreements) >= 50 {
				return Fail(ECodeConflict, "too_many_agreements", "at most 50 safety agreements")
			}
			a.ID = d.newID("sa")
			p.Agreements = append(p.Agreements, a)
			return d.emitSafety(p)
		}
		i, err := p.knownAgreement(in.AgreementID)
		if err != nil {
			return err
		}
		a.ID, a.Continues = in.AgreementID, p.Agreements[i].Continues
		p.Agreements[i] = a
		return d.emitSafety(p)
	}
}

func safetyAgreementRemove(d *decision) error {
	var in struct {
		AgreementID string `json:"agreementId"`
	}
	if err := d.decodeSafety(&in); err != nil {
		return err
	}
	p := cloneSafetyPlan(d.m.Safety.Plan)
	i, err := p.knownAgreement(in.AgreementID)
	if err != nil {
		return err
	}
	p.Agreements = slices.Delete(p.Agreements, i, i+1)
	return d.emitSafety(p)
}

// setter is who sets a condition: the participant, or the coordinator on behalf of the party.
func (d *decision) setter() string {
	if d.cmd.Actor.Role == RoleCoordinator {
		return CoordinatorAuthor
	}
	return d.cmd.Actor.ParticipantID
}

func safetyConditionSet(d *decision) error {
	var in struct {
		ConditionID string `json:"conditionId"`
		Text        string `json:"text"`
		Plain       string `json:"plain"`
		PartyID     string `json:"partyId"`
	}
	if err := d.decodeSafety(&in); err != nil {
		return err
	}
	if err := texts(map[string]*string{"text": &in.Text, "plain": &in.Plain}, "text", "plain"); err != nil {
		return err
	}
	party, err := d.ownParty(in.PartyID)
	if err != nil {
		return err
	}
	if d.m.Party(party).Kind != KindProfessional {
		return Fail(ECodeForbidden, "professional_only", "only an authorised professional sets conditions")
	}
	p := cloneSafetyPlan(d.m.Safety.Plan)
	if in.ConditionID == "" {
		if len(p.Conditions) >= 30 {
			return Fail(ECodeConflict, "too_many_conditions", "at most 30 conditions")
		}
		p.Conditions = append(p.Conditions, Condition{ID: d.newID("cond"), PartyID: party, SetBy: d.setter(),
			Text: in.Text, Plain: in.Plain, Status: ConditionOpen})
		return d.emitSafety(p)
	}
	c, err := p.knownCondition(in.ConditionID)
	if err != nil {
		return err
	}
	if c.SetBy != d.setter() {
		return Fail(ECodeForbidden, "condition_owner_only", "only who set a condition changes it")
	}
	c.Text, c.Plain = in.Text, in.Plain
	return d.emitSafety(p)
}

func safetyConditionResolve(d *decision) error {
	var in struct {
		ConditionID string `json:"conditionId"`
		Status      string `json:"status"`
		Reason      string `json:"reason"`
	}
	if err := d.decodeSafety(&in); err != nil {
		return err
	}
	reason, err := CleanText("reason", in.Reason, MaxTextLen, true, true)
	if err != nil {
		return err
	}
	switch in.Status {
	case ConditionMet, ConditionWaived:
		if reason == "" {
			return Fail(ECodeInvalidInput, "condition_reason_required", "a reason is required to mark a condition met or waived")
		}
	case ConditionOpen:
		reason = ""
	default:
		return Fail(ECodeInvalidInput, "bad_condition_status", "status must be open, met or waived")
	}
	p := cloneSafetyPlan(d.m.Safety.Plan)
	c, err := p.knownCondition(in.ConditionID)
	if err != nil {
		return err
	}
	if c.SetBy != d.setter() {
		return Fail(ECodeForbidden, "condition_owner_only", "only the professional who set a condition marks it met or waived")
	}
	c.Status, c.Reason = in.Status, reason
	return d.emitSafety(p)
}

func planContactSet(d *decision) error {
	var in Contact
	if err := d.decode(&in); err != nil {
		return err
	}
	for _, f := range []struct {
		name string
		v    *string
	}{{"role", &in.Role}, {"organisation", &in.Organisation}, {"phone", &in.Phone}, {"email", &in.Email}} {
		s, err := CleanText(f.name, *f.v, MaxNameLen, false, true)
		if err != nil {
			return err
		}
		*f.v = s
	}
	if in.Phone != "" && strings.Trim(in.Phone, "+0123456789 -()") != "" {
		return Fail(ECodeInvalidInput, "bad_phone", "phone: digits, spaces, +, - and brackets only")
	}
	if in.Email != "" && (!strings.Contains(in.Email, "@") || strings.ContainsAny(in.Email, " ,;<>")) {
		return Fail(ECodeInvalidInput, "bad_email", "email: one address like regisseur@example.org")
	}
	p := clonePlan(d.m.Plan)
	if in == (Contact{}) {
		p.RegisseurContact = nil
	} else {
		p.RegisseurContact = &in
	}
	return d.emitPlan(p)
}
