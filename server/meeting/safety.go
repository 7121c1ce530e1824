package meeting

import (
	"encoding/json"
	"slices"
	"sort"
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

// emptySafetyPlan is a safety plan with nothing in it, every list empty rather than null.
func emptySafetyPlan() SafetyPlan {
	return SafetyPlan{Statements: []WorryStatement{}, Scales: []Scale{}, Notes: []SafetyNote{},
		Agreements: []SafetyAgreement{}, Conditions: []Condition{}, Children: []ChildVoice{}}
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

func (d *decision) emitSafety(p SafetyPlan) error {
	if sameJSON(cloneSafetyPlan(d.m.Safety.Plan), p) {
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
