package meeting

import (
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"
)

// The Signs of Safety shape of the plan, as Veilig Thuis, the Raad voor de
// Kinderbescherming and the certified institutions write it: per agreed worry a
// worry statement (zorgstatement) with a safety goal (veiligheidsdoel), scaling
// questions with both ends described and a score per party, existing safety
// apart from strengths, complicating factors, a safety plan of agreements with a
// plan B, conditions set by the authorised professional, the child's voice, and a
// reporter's identity that never reaches the family.

// Shape is the form of a meeting's plan.
type Shape string

// Shapes: the plain top-3 plan (the default, written as "") or Signs of Safety.
const (
	ShapePlain  Shape = ""
	ShapeSafety Shape = "signs_of_safety"
)

// ValidShape says whether s is a shape a meeting can be prepared with ("top3" is the plain one).
func ValidShape(s Shape) bool { return s == ShapePlain || s == "top3" || s == ShapeSafety }

// Error codes of the Signs of Safety rules.
const (
	// ECodeWrongShape: the command belongs to the Signs of Safety shape and the meeting has the plain one.
	ECodeWrongShape = "wrong_shape"
	// ECodeWordingUnchecked: a worry with a protected source is revealed before its raiser checked the family wording.
	ECodeWordingUnchecked = "wording_unchecked"
	// ECodeConditionOpen: the plan is closed while a condition has no agreement that answers it.
	ECodeConditionOpen = "condition_open"
)

// Party kinds beside family, network and professional.
const (
	// KindInterpreter sees the meeting, adds nothing of their own, and is named in the plan.
	KindInterpreter PartyKind = "interpreter"
	// KindSupport is a trusted person a parent or child brings.
	KindSupport PartyKind = "support"
)

// Event names of the Signs of Safety shape.
const (
	EvSafetyUpdated       = "safety.updated"        // {"safety": SafetyPlan}, the table
	EvChildUpserted       = "child.upserted"        // {"child": ChildVoice}, coordinators until brought, then the table
	EvSourceUpserted      = "source.upserted"       // {"source": ProtectedSource}, its raiser only; sealed when typed on behalf
	EvSafetyReviewUpdated = "safety.review.updated" // {"review": SafetyReview}, the table
)

// ScopeSealed reaches no socket at all: what is in it is read through an audited route.
const ScopeSealed Scope = "sealed"

// WorryStatement is one agreed worry written as a zorgstatement, paired with its safety goal.
type WorryStatement struct {
	WorryID      string `json:"worryId"`
	Worried      string `json:"worried"`      // who is worried
	Happened     string `json:"happened"`     // what happened
	MayHappen    string `json:"mayHappen"`    // what may happen to the child if nothing changes
	Disagreement string `json:"disagreement"` // who sees it differently, in their words
	SafetyGoal   string `json:"safetyGoal"`   // what professionals and family need to see
	GoalDuration string `json:"goalDuration"` // for how long
}

// PartyScore is one party's own answer to a scaling question.
type PartyScore struct {
	PartyID string `json:"partyId"`
	Score   int    `json:"score"`
}

// Scale is a scaling question 0-10 with both ends described for this family.
type Scale struct {
	ID        string       `json:"id"`
	WorryID   string       `json:"worryId"` // "" for a question about the whole plan
	Question  string       `json:"question"`
	TenMeans  string       `json:"tenMeans"`
	ZeroMeans string       `json:"zeroMeans"`
	Scores    []PartyScore `json:"scores"` // in speaking order
	// Continues is, in a follow-up, the id of the previous plan's scale this one asks again.
	Continues string `json:"continues"`
}

// Note kinds: what already keeps the child safe, and what makes it harder.
const (
	NoteExisting     = "existing"
	NoteComplicating = "complicating"
)

// SafetyNote is one line of existing safety or one complicating factor.
type SafetyNote struct {
	ID      string `json:"id"`
	Kind    string `json:"kind"` // existing or complicating
	PartyID string `json:"partyId"`
	Text    string `json:"text"`
}

// SafetyAgreement is one agreement of the safety plan.
type SafetyAgreement struct {
	ID              string   `json:"id"`
	What            string   `json:"what"`
	DoerPartyID     string   `json:"doerPartyId"`
	CheckerPartyID  string   `json:"checkerPartyId"`
	WatcherPartyIDs []string `json:"watcherPartyIds"` // network members who keep an eye on it
	PlanB           string   `json:"planB"`           // what happens when it fails
	Answers         []string `json:"answers"`         // ids of the conditions it answers
	// Continues is, in a follow-up, the previous plan's agreement this one carries on.
	Continues string `json:"continues"`
}

// Condition statuses.
const (
	ConditionOpen   = "open"
	ConditionMet    = "met"
	ConditionWaived = "waived"
)

// Condition is a condition for safety that the authorised professional set.
type Condition struct {
	ID      string `json:"id"`
	PartyID string `json:"partyId"` // the professional's party
	SetBy   string `json:"setBy"`   // the participant who set it, or "coordinator" on behalf of the party
	Text    string `json:"text"`    // as the professional put it
	Plain   string `json:"plain"`   // the same in words the family understands
	Status  string `json:"status"`  // open, met or waived
	Reason  string `json:"reason"`  // why it was marked met or waived
}

// SafetyPlan is what the table writes in the Signs of Safety shape.
type SafetyPlan struct {
	Statements []WorryStatement  `json:"statements"`
	Scales     []Scale           `json:"scales"`
	Notes      []SafetyNote      `json:"notes"`
	Agreements []SafetyAgreement `json:"agreements"`
	Conditions []Condition       `json:"conditions"`
	// Children is, in a closed version, the children's voices brought to the table.
	Children []ChildVoice `json:"children"`
}

// ChildVoice is a child's story: the three houses, and who brings it to the table.
type ChildVoice struct {
	ID        string `json:"id"`
	ChildName string `json:"childName"` // as the child wants to be called
	Worries   string `json:"worries"`   // house of worries
	GoesWell  string `json:"goesWell"`  // house of good things
	Wishes    string `json:"wishes"`    // house of dreams
	Brought   bool   `json:"brought"`
	BringerID string `json:"bringerId"` // the participant who brings the story
	Story     string `json:"story"`     // what the child says, in the bringer's words
	// ByChild says the child filled in the houses on their own phone (a child code).
	ByChild bool `json:"byChild,omitempty"`
}

// ProtectedSource is who reported a worry: never shown to the family or the screen.
type ProtectedSource struct {
	WorryID  string `json:"worryId"`
	AuthorID string `json:"authorId"` // the worry's author: a participant, or "coordinator"
	Source   string `json:"source"`
	// CheckedText is the family wording the raiser checked; the worry may be
	// revealed only while its text is still that.
	CheckedText string `json:"checkedText"`
}

// Held says how a safety agreement of the previous plan went.
const (
	HeldYes    = "held"
	HeldPartly = "partly"
	HeldNo     = "failed"
)

// AgreementReview is how one previous safety agreement went.
type AgreementReview struct {
	AgreementID string `json:"agreementId"`
	Held        string `json:"held"`
	Note        string `json:"note"`
}

// ScaleReview is a party's new score, at the review, for a previous scaling question.
type ScaleReview struct {
	ScaleID string `json:"scaleId"`
	PartyID string `json:"partyId"` // a party of the previous meeting
	Score   int    `json:"score"`
}

// SafetyReview is how the previous safety plan went.
type SafetyReview struct {
	Agreements []AgreementReview `json:"agreements"`
	Scores     []ScaleReview     `json:"scores"`
}

// Safety is the live state of the Signs of Safety shape.
type Safety struct {
	Plan     SafetyPlan
	Children []ChildVoice
	Sources  []ProtectedSource
	Review   SafetyReview
}

// SafetyView is what one viewer may see of it.
type SafetyView struct {
	Plan     SafetyPlan        `json:"plan"`
	Children []ChildVoice      `json:"children"` // coordinators: all; the table: the brought ones
	Sources  []ProtectedSource `json:"sources"`  // only the raiser's own
	Review   SafetyReview      `json:"review"`
}

// Contact is how the family reaches the regisseur: a role, an organisation and a
// work phone number or e-mail address the coordinator enters.
type Contact struct {
	Role         string `json:"role"`
	Organisation string `json:"organisation"`
	Phone        string `json:"phone"`
	Email        string `json:"email"`
}

type (
	safetyData struct {
		Safety SafetyPlan `json:"safety"`
	}
	childData struct {
		Child ChildVoice `json:"child"`
	}
	sourceData struct {
		Source ProtectedSource `json:"source"`
	}
	safetyReviewData struct {
		Review SafetyReview `json:"review"`
	}
)

// safetyHandlers are the commands of the Signs of Safety shape (and the regisseur's contact).
var safetyHandlers = map[string]handler{
	"safety.statement.set":        {coord, []Phase{PhasePlan}, safetyStatementSet},
	"safety.scale.set":            {coord, []Phase{PhasePlan}, safetyScaleSet},
	"safety.score.set":            {both, []Phase{PhasePlan}, safetyScoreSet},
	"safety.note.add":             {both, []Phase{PhaseStrengths, PhaseWorries, PhasePlan}, safetyNoteAdd},
	"safety.note.remove":          {coord, []Phase{PhaseStrengths, PhaseWorries, PhasePlan}, safetyNoteRemove},
	"safety.agreement.add":        {coord, []Phase{PhasePlan}, safetyAgreementSet(false)},
	"safety.agreement.edit":       {coord, []Phase{PhasePlan}, safetyAgreementSet(true)},
	"safety.agreement.remove":     {coord, []Phase{PhasePlan}, safetyAgreementRemove},
	"safety.condition.set":        {both, nil, safetyConditionSet},
	"safety.condition.resolve":    {both, nil, safetyConditionResolve},
	"safety.carry":                {coord, []Phase{PhasePlan}, safetyCarry},
	"safety.review.agreement.set": {coord, []Phase{PhaseReview}, safetyReviewAgreementSet},
	"safety.review.score.set":     {coord, []Phase{PhaseReview}, safetyReviewScoreSet},
	"child.houses.set":            {coord, nil, childHousesSet},
	"child.voice.bring":           {coord, nil, childVoiceBring},
	"child.houses.submit":         {[]Role{RoleChild}, nil, childHousesSubmit},
	"worry.source.set":            {both, []Phase{PhaseWorries}, worrySourceSet},
	"worry.wording.check":         {both, []Phase{PhaseWorries}, worryWordingCheck},
	"plan.contact.set":            {coord, []Phase{PhasePlan}, planContactSet},
}

// interpreterMay says whether a participant may send cmd: an interpreter adds nothing of their own.
func (m *Meeting) interpreterMay(cmd Command) error {
	if cmd.Actor.Role != RoleParticipant {
		return nil
	}
	p := m.Participant(cmd.Actor.ParticipantID)
	if p == nil {
		return nil
	}
	if party := m.Party(p.PartyID); party != nil && party.Kind == KindInterpreter {
		return Fail(ECodeForbidden, "interpreter_translates", "an interpreter adds nothing of their own")
	}
	return nil
}

// decodeSafety reads the command's data into v, as decode does, and then refuses
// a command of the Signs of Safety shape in a meeting with the plain one.
func (d *decision) decodeSafety(v any) error {
	if err := d.decode(v); err != nil {
		return err
	}
	if d.m.Options.Shape != ShapeSafety {
		return Fail(ECodeWrongShape, "wrong_shape", "this meeting has the plain top-3 plan, not the Signs of Safety shape")
	}
	return nil
}

func cloneSafetyPlan(p SafetyPlan) SafetyPlan {
	out := SafetyPlan{Statements: slices.Clone(p.Statements), Scales: make([]Scale, len(p.Scales)),
		Notes: slices.Clone(p.Notes), Agreements: make([]SafetyAgreement, len(p.Agreements)),
		Conditions: slices.Clone(p.Conditions), Children: slices.Clone(p.Children)}
	for i, s := range p.Scales {
		s.Scores = append([]PartyScore{}, s.Scores...)
		out.Scales[i] = s
	}
	for i, a := range p.Agreements {
		a.WatcherPartyIDs = append([]string{}, a.WatcherPartyIDs...)
		a.Answers = append([]string{}, a.Answers...)
		out.Agreements[i] = a
	}
	if out.Statements == nil {
		out.Statements = []WorryStatement{}
	}
	if out.Notes == nil {
		out.Notes = []SafetyNote{}
	}
	if out.Conditions == nil {
		out.Conditions = []Condition{}
	}
	if out.Children == nil {
		out.Children = []ChildVoice{}
	}
	return out
}

func cloneSafetyReview(r SafetyReview) SafetyReview {
	return SafetyReview{Agreements: append([]AgreementReview{}, r.Agreements...), Scores: append([]ScaleReview{}, r.Scores...)}
}

// cloneSafetyState deep-copies the state for Clone, keeping nil lists nil.
func cloneSafetyState(s Safety) Safety {
	c := s
	c.Plan.Statements = slices.Clone(s.Plan.Statements)
	c.Plan.Scales = slices.Clone(s.Plan.Scales)
	for i := range c.Plan.Scales {
		c.Plan.Scales[i].Scores = slices.Clone(c.Plan.Scales[i].Scores)
	}
	c.Plan.Notes = slices.Clone(s.Plan.Notes)
	c.Plan.Agreements = slices.Clone(s.Plan.Agreements)
	for i := range c.Plan.Agreements {
		c.Plan.Agreements[i].WatcherPartyIDs = slices.Clone(c.Plan.Agreements[i].WatcherPartyIDs)
		c.Plan.Agreements[i].Answers = slices.Clone(c.Plan.Agreements[i].Answers)
	}
	c.Plan.Conditions = slices.Clone(s.Plan.Conditions)
	c.Plan.Children = slices.Clone(s.Plan.Children)
	c.Children = slices.Clone(s.Children)
	c.Sources = slices.Clone(s.Sources)
	c.Review.Agreements = slices.Clone(s.Review.Agreements)
	c.Review.Scores = slices.Clone(s.Review.Scores)
	return c
}

// applySafety applies an event of the Signs of Safety shape; false when ev is none of them.
func (m *Meeting) applySafety(ev Event) (bool, error) {
	switch ev.Name {
	case EvSafetyUpdated:
		var d safetyData
		err := json.Unmarshal(ev.Data, &d)
		m.Safety.Plan = d.Safety
		return true, err
	case EvChildUpserted:
		var d childData
		err := json.Unmarshal(ev.Data, &d)
		m.Safety.Children = upsert(slices.Clone(m.Safety.Children), d.Child, func(x ChildVoice) bool { return x.ID == d.Child.ID })
		return true, err
	case EvSourceUpserted:
		var d sourceData
		err := json.Unmarshal(ev.Data, &d)
		m.Safety.Sources = upsert(slices.Clone(m.Safety.Sources), d.Source, func(x ProtectedSource) bool { return x.WorryID == d.Source.WorryID })
		return true, err
	case EvSafetyReviewUpdated:
		var d safetyReviewData
		err := json.Unmarshal(ev.Data, &d)
		m.Safety.Review = d.Review
		return true, err
	}
	return false, nil
}

// safetyViewFor returns what v may see of the Signs of Safety shape; nil for a plain meeting.
func (m *Meeting) safetyViewFor(v Viewer) *SafetyView {
	if m.Options.Shape != ShapeSafety {
		return nil
	}
	out := &SafetyView{Plan: cloneSafetyPlan(m.Safety.Plan), Children: []ChildVoice{}, Sources: []ProtectedSource{},
		Review: cloneSafetyReview(m.Safety.Review)}
	for _, c := range m.Safety.Children {
		if c.Brought || v.Role == RoleCoordinator {
			out.Children = append(out.Children, c)
		}
	}
	for _, s := range m.Safety.Sources {
		if v.Role == RoleParticipant && s.AuthorID == v.ParticipantID {
			out.Sources = append(out.Sources, s)
		}
	}
	return out
}

// ProtectedSources returns the protected sources of a meeting's worries, for
// the audited route that shows them to a coordinator.
func (m *Meeting) ProtectedSources() []ProtectedSource {
	return slices.Clone(m.Safety.Sources)
}

// safetyVersion is the safety plan as it is frozen in a closed version: with the
// children's voices brought to the table, never the sources.
func (m *Meeting) safetyVersion() *SafetyPlan {
	if m.Options.Shape != ShapeSafety {
		return nil
	}
	p := cloneSafetyPlan(m.Safety.Plan)
	p.Children = []ChildVoice{}
	for _, c := range m.Safety.Children {
		if c.Brought {
			p.Children = append(p.Children, c)
		}
	}
	return &p
}

// safetyMayClose refuses to close a plan while a condition is open and no agreement answers it.
func (d *decision) safetyMayClose() error {
	if d.m.Options.Shape != ShapeSafety {
		return nil
	}
	for _, c := range d.m.Safety.Plan.Conditions {
		if c.Status != ConditionOpen {
			continue
		}
		answered := false
		for _, a := range d.m.Safety.Plan.Agreements {
			answered = answered || slices.Contains(a.Answers, c.ID)
		}
		if !answered {
			return Fail(ECodeConditionOpen, "condition_open", "a condition has no safety agreement that answers it", "condition", c.ID)
		}
	}
	return nil
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

func (d *decision) emitSafety(p SafetyPlan) error {
	before, _ := json.Marshal(cloneSafetyPlan(d.m.Safety.Plan))
	after, _ := json.Marshal(p)
	if string(before) == string(after) {
		return nil // saved already: a repeated action is a success that changes nothing
	}
	return d.emit(EvSafetyUpdated, ScopeTable, "", safetyData{p})
}

// texts cleans several multi-line texts at once; required ones may not be empty.
func texts(fields map[string]*string, required ...string) error {
	names := make([]string, 0, len(fields))
	for n := range fields {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		s, err := CleanText(n, *fields[n], MaxTextLen, true, !slices.Contains(required, n))
		if err != nil {
			return err
		}
		*fields[n] = s
	}
	return nil
}

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
	s := p.scale(in.ScaleID)
	if s == nil {
		return Fail(ECodeNotFound, "unknown_scale", "unknown scaling question")
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
	if in.Score != nil && (*in.Score < 0 || *in.Score > 10) {
		return Fail(ECodeInvalidInput, "score_range", "score 0-10")
	}
	party, err := d.ownParty(in.PartyID)
	if err != nil {
		return err
	}
	p := cloneSafetyPlan(d.m.Safety.Plan)
	s := p.scale(in.ScaleID)
	if s == nil {
		return Fail(ECodeNotFound, "unknown_scale", "unknown scaling question")
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
			if !slices.ContainsFunc(p.Conditions, func(c Condition) bool { return c.ID == id }) {
				return Fail(ECodeNotFound, "unknown_condition", "unknown condition")
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
		i := slices.IndexFunc(p.Agreements, func(x SafetyAgreement) bool { return x.ID == in.AgreementID })
		if i < 0 {
			return Fail(ECodeNotFound, "unknown_agreement", "unknown safety agreement")
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
	i := slices.IndexFunc(p.Agreements, func(x SafetyAgreement) bool { return x.ID == in.AgreementID })
	if i < 0 {
		return Fail(ECodeNotFound, "unknown_agreement", "unknown safety agreement")
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
	c := find(p.Conditions, func(c *Condition) bool { return c.ID == in.ConditionID })
	if c == nil {
		return Fail(ECodeNotFound, "unknown_condition", "unknown condition")
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
	c := find(p.Conditions, func(c *Condition) bool { return c.ID == in.ConditionID })
	if c == nil {
		return Fail(ECodeNotFound, "unknown_condition", "unknown condition")
	}
	if c.SetBy != d.setter() {
		return Fail(ECodeForbidden, "condition_owner_only", "only the professional who set a condition marks it met or waived")
	}
	c.Status, c.Reason = in.Status, reason
	return d.emitSafety(p)
}

func childHousesSet(d *decision) error {
	var in struct {
		ChildID   string `json:"childId"`
		ChildName string `json:"childName"`
		Worries   string `json:"worries"`
		GoesWell  string `json:"goesWell"`
		Wishes    string `json:"wishes"`
	}
	if err := d.decodeSafety(&in); err != nil {
		return err
	}
	name, err := CleanText("childName", in.ChildName, MaxNameLen, false, false)
	if err != nil {
		return err
	}
	if err := texts(map[string]*string{"worries": &in.Worries, "goesWell": &in.GoesWell, "wishes": &in.Wishes}); err != nil {
		return err
	}
	c := ChildVoice{ID: in.ChildID}
	if in.ChildID == "" {
		if len(d.m.Safety.Children) >= 12 {
			return Fail(ECodeConflict, "too_many_children", "at most 12 children")
		}
		c.ID = d.newID("child")
	} else if old := find(d.m.Safety.Children, func(x *ChildVoice) bool { return x.ID == in.ChildID }); old != nil {
		c = *old
	} else {
		return Fail(ECodeNotFound, "unknown_child", "unknown child")
	}
	if c.ChildName == name && c.Worries == in.Worries && c.GoesWell == in.GoesWell && c.Wishes == in.Wishes {
		return nil // saved already: a repeated action is a success that changes nothing
	}
	c.ChildName, c.Worries, c.GoesWell, c.Wishes = name, in.Worries, in.GoesWell, in.Wishes
	return d.emitChild(c)
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
	old := find(d.m.Safety.Children, func(x *ChildVoice) bool { return x.ID == in.ChildID })
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
	before, _ := json.Marshal(cloneSafetyReview(d.m.Safety.Review))
	after, _ := json.Marshal(r)
	if string(before) == string(after) {
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
	if in.Score != nil && (*in.Score < 0 || *in.Score > 10) {
		return Fail(ECodeInvalidInput, "score_range", "score 0-10")
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
