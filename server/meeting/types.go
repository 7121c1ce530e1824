package meeting

import "time"

// Phase is a step of the top-3-gesprek.
type Phase string

// The phases, in order.
const (
	PhaseLobby     Phase = "lobby"
	PhaseReview    Phase = "review" // follow-up meetings only: how did the previous plan go
	PhaseStrengths Phase = "strengths"
	PhaseWorries   Phase = "worries"
	PhaseCluster   Phase = "cluster"
	PhaseRank      Phase = "rank"
	PhaseAgree     Phase = "agree"
	PhasePlan      Phase = "plan"
	PhaseClosed    Phase = "closed"
)

// Phases lists every phase in meeting order.
var Phases = []Phase{PhaseLobby, PhaseReview, PhaseStrengths, PhaseWorries, PhaseCluster, PhaseRank, PhaseAgree, PhasePlan, PhaseClosed}

func phaseIndex(p Phase) int {
	for i, q := range Phases {
		if q == p {
			return i
		}
	}
	return -1
}

// PartyKind says which side of the table a party sits on.
type PartyKind string

// Party kinds; the family speaks first.
const (
	KindFamily       PartyKind = "family"
	KindNetwork      PartyKind = "network"
	KindProfessional PartyKind = "professional"
)

func validKind(k PartyKind) bool {
	return k == KindFamily || k == KindNetwork || k == KindProfessional || k == KindInterpreter || k == KindSupport
}

// kindRank orders parties for speaking: family, then network, then professionals.
func kindRank(k PartyKind) int {
	switch k {
	case KindFamily:
		return 0
	case KindNetwork, KindSupport:
		return 1
	case KindInterpreter:
		return 3
	}
	return 2
}

// Weighting chooses how rankings are combined.
type Weighting string

// Weightings: every party the same (default), or every person the same.
const (
	WeightParty  Weighting = "party"
	WeightPerson Weighting = "person"
)

// Options are chosen when a meeting is prepared.
type Options struct {
	StrengthsRound bool      `json:"strengthsRound"`
	Weighting      Weighting `json:"weighting"`
	// ShowSingleTop3 shows a party's own top 3 and its points per worry on the
	// table also for a party of one voter, whose top 3 is that person's ballot.
	// Off by default: a ballot is secret unless the meeting chose otherwise.
	ShowSingleTop3 bool `json:"showSingleTop3"`
	// ShowPersonTop3 shows each family member's own top 3 (father and mother side
	// by side) on the table once the round is closed. Off by default.
	ShowPersonTop3 bool  `json:"showPersonTop3"`
	Shape          Shape `json:"shape,omitempty"` // "" the plain top-3 plan; see safety.go
}

// Party is one voice at the table: a family member, the network, an organisation.
type Party struct {
	ID    string    `json:"id"`
	Name  string    `json:"name"`
	Kind  PartyKind `json:"kind"`
	Order int       `json:"order"`
}

// ParticipantStatus is where a joiner stands.
type ParticipantStatus string

// Participant statuses.
const (
	StatusPending  ParticipantStatus = "pending"
	StatusAdmitted ParticipantStatus = "admitted"
	StatusRemoved  ParticipantStatus = "removed"
)

// Participant is a person at the table, joined on their own device.
type Participant struct {
	ID      string            `json:"id"`
	Name    string            `json:"name"`
	PartyID string            `json:"partyId"`
	Status  ParticipantStatus `json:"status"`
}

// ItemKind tells a strength from a worry.
type ItemKind string

// Item kinds.
const (
	KindStrength ItemKind = "strength"
	KindWorry    ItemKind = "worry"
)

// CoordinatorAuthor is the author id of items the coordinator typed on behalf of a party.
const CoordinatorAuthor = "coordinator"

// Item is a strength ("wat gaat goed") or a worry, in its author's own words.
type Item struct {
	ID         string   `json:"id"`
	Kind       ItemKind `json:"kind"`
	PartyID    string   `json:"partyId"`
	Text       string   `json:"text"`
	Domain     string   `json:"domain"`
	AuthorIDs  []string `json:"authorIds"`
	OnBehalf   bool     `json:"onBehalf"`
	Revealed   bool     `json:"revealed"`
	Withdrawn  bool     `json:"withdrawn"`
	MergedInto string   `json:"mergedInto"`
	// Continues is, in a follow-up meeting, the id of the previous top-3 worry
	// this worry carries on; "" when it is new.
	Continues string `json:"continues"`
	Order     int64  `json:"order"`
	// OriginalText is the author's own words when the coordinator rephrased the
	// worry (shortened a long one, say); "" when it is in the author's words.
	OriginalText string `json:"originalText"`
	// Family marks an item of the family's own list, written in family time:
	// only the family and its network see it until it is brought to the table.
	Family bool `json:"family"`
	// Bring is the family's choice to bring this item to the table when family time ends.
	Bring bool `json:"bring"`
}

// Domains are the 13 life domains of the Zelfredzaamheid-Matrix.
var Domains = []string{
	"financien", "werk_opleiding", "tijdsbesteding", "huisvesting", "huiselijke_relaties",
	"geestelijke_gezondheid", "lichamelijke_gezondheid", "middelengebruik", "basale_adl",
	"instrumentele_adl", "sociaal_netwerk", "maatschappelijke_participatie", "justitie",
}

func validDomain(d string) bool {
	if d == "" {
		return true
	}
	for _, x := range Domains {
		if x == d {
			return true
		}
	}
	return false
}

// Dissent is a participant's recorded disagreement with the agreed top 3.
type Dissent struct {
	ParticipantID string `json:"participantId"`
	PartyID       string `json:"partyId"`
	Text          string `json:"text"`
}

// Akkoord is a family member's consent to the agreed top 3.
type Akkoord struct {
	ParticipantID string `json:"participantId"`
	PartyID       string `json:"partyId"`
}

// Agreement is the confirmed top 3 with its reason, dissent and consent.
type Agreement struct {
	Confirmed      bool      `json:"confirmed"`
	WorryIDs       []string  `json:"worryIds"`
	OverrideReason string    `json:"overrideReason"`
	Dissent        []Dissent `json:"dissent"`
	Akkoord        []Akkoord `json:"akkoord"`
}

// Goal is what the table wants to see for one agreed worry, and where it stands now.
type Goal struct {
	WorryID  string `json:"worryId"`
	Goal     string `json:"goal"`
	ScoreNow *int   `json:"scoreNow"`
}

// ActionStatus tracks an action.
type ActionStatus string

// Action statuses.
const (
	ActionOpen  ActionStatus = "open"
	ActionDoing ActionStatus = "doing"
	ActionDone  ActionStatus = "done"
)

// Action is one step of the plan: what, who, by when.
type Action struct {
	ID           string       `json:"id"`
	WorryID      string       `json:"worryId"`
	What         string       `json:"what"`
	OwnerPartyID string       `json:"ownerPartyId"`
	Due          string       `json:"due"`
	Status       ActionStatus `json:"status"`
}

// Plan is the one plan: goals and actions per agreed worry, one regisseur, the next evaluation.
type Plan struct {
	Goals            []Goal   `json:"goals"`
	Actions          []Action `json:"actions"`
	RegisseurPartyID string   `json:"regisseurPartyId"`
	RegisseurRole    string   `json:"regisseurRole"`
	NextEvaluation   string   `json:"nextEvaluation"`
	RegisseurContact *Contact `json:"regisseurContact,omitempty"` // how to reach the regisseur; see safety.go
}

// PlanVersion is a closed, immutable copy of the plan.
type PlanVersion struct {
	Number   int         `json:"number"`
	ClosedAt time.Time   `json:"closedAt"`
	Top3     []string    `json:"top3"`
	Plan     Plan        `json:"plan"`
	Safety   *SafetyPlan `json:"safety,omitempty"` // the Signs of Safety shape only
}

// Header is the part of a meeting every viewer may see.
type Header struct {
	ID          string  `json:"id"`
	FamilyLabel string  `json:"familyLabel"`
	Title       string  `json:"title"`
	Date        string  `json:"date"`
	Phase       Phase   `json:"phase"`
	Locked      bool    `json:"locked"`
	Options     Options `json:"options"`
	// FamilyTime is true while the family and its network talk alone.
	FamilyTime bool `json:"familyTime"`
	// Spokesperson is the family member who may end family time; "" for none.
	Spokesperson string `json:"spokesperson"`
	// EndedWithoutPlan is true for a closed meeting that ended with
	// meeting.abandon: it has no plan version.
	EndedWithoutPlan bool `json:"endedWithoutPlan,omitempty"`
}

// Meeting is the whole state of one meeting, rebuilt by applying its events in order.
type Meeting struct {
	Header
	Seq          int64
	Parties      []Party
	Participants []Participant
	Items        []Item
	Rankings     map[string][]string // participant id -> worry ids, best first
	// RankingClosed is true once the ranking round is closed: the table has the
	// result and ballots no longer change.
	RankingClosed bool
	// Published is the ranking result the table was last sent (frozen at close);
	// nil while the round is open.
	Published *RankingResult
	Agreement Agreement
	Plan      Plan
	Versions  []PlanVersion
	// Previous is the plan a follow-up meeting starts from; nil for a first meeting.
	Previous *Previous
	// Review is how the previous plan went, recorded in a follow-up's review round.
	Review Review
	// Round is the speaking round of the strengths or worries phase.
	Round Round
	// Safety is the Signs of Safety shape's state; empty for the plain plan.
	Safety Safety
	// Lead is the coordinator who runs the meeting; nil until one runs a command.
	// Set whole by one event, never changed in place.
	Lead *Lead
	// Ending is, for a meeting ended without a plan, how it ended; nil otherwise.
	Ending *Ending
}

// New returns the state of a meeting as prepared, before any event.
func New(h Header) *Meeting {
	if h.Phase == "" {
		h.Phase = PhaseLobby
	}
	if h.Options.Weighting == "" {
		h.Options.Weighting = WeightParty
	}
	return &Meeting{Header: h, Rankings: map[string][]string{}}
}

// Party returns the party with id, or nil.
func (m *Meeting) Party(id string) *Party {
	return find(m.Parties, func(x *Party) bool { return x.ID == id })
}

// Participant returns the participant with id, or nil.
func (m *Meeting) Participant(id string) *Participant {
	return find(m.Participants, func(x *Participant) bool { return x.ID == id })
}

// Item returns the item with id, or nil.
func (m *Meeting) Item(id string) *Item {
	return find(m.Items, func(x *Item) bool { return x.ID == id })
}

// root follows merges to the worry that now stands for id.
func (m *Meeting) root(id string) string {
	for i := 0; i < len(m.Items); i++ { // bounded: merges form no cycle, but never loop forever
		it := m.Item(id)
		if it == nil || it.MergedInto == "" {
			return id
		}
		id = it.MergedInto
	}
	return id
}

// authorsOf returns the authors of a worry and of every worry merged into it.
func (m *Meeting) authorsOf(id string) []string {
	seen := map[string]bool{}
	var out []string
	for _, it := range m.Items {
		if it.Kind != KindWorry || m.root(it.ID) != id || it.Withdrawn {
			continue
		}
		for _, a := range it.AuthorIDs {
			if !seen[a] {
				seen[a] = true
				out = append(out, a)
			}
		}
	}
	return out
}

// find returns the first element of list for which match is true, or nil.
func find[T any](list []T, match func(*T) bool) *T {
	for i := range list {
		if match(&list[i]) {
			return &list[i]
		}
	}
	return nil
}
