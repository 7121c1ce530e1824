package meeting

import (
	"encoding/json"
	"sort"
)

// Viewer is who looks at a meeting: it decides which events and which parts of the
// state are sent to one connection.
type Viewer struct {
	Role          Role
	ParticipantID string
	// Admitted is true for a participant the coordinator has let in.
	Admitted bool
	// Family is true for a participant of a family or network party: they see
	// the family's own list in family time.
	Family bool
}

// ViewerFor returns the viewer for a role, reading a participant's admission from m.
func (m *Meeting) ViewerFor(role Role, participantID string) Viewer {
	v := Viewer{Role: role, ParticipantID: participantID}
	if p := m.Participant(participantID); p != nil && p.Status == StatusAdmitted {
		v.Admitted = true
	}
	if p := m.Participant(participantID); p != nil && role == RoleParticipant {
		if party := m.Party(p.PartyID); party != nil {
			v.Family = familySide(party.Kind)
		}
	}
	return v
}

func (v Viewer) atTable() bool {
	return v.Role == RoleCoordinator || v.Role == RoleScreen || (v.Role == RoleParticipant && v.Admitted)
}

// CanSee says whether the viewer may receive ev. This is the one place where drafts
// and individual rankings are kept from everyone but their author.
func (v Viewer) CanSee(ev Event) bool {
	switch ev.Scope {
	case ScopeAll:
		return true
	case ScopeTable:
		return v.atTable() || (v.Role == RoleParticipant && ev.ParticipantID != "" && ev.ParticipantID == v.ParticipantID)
	case ScopeStaff:
		return v.Role == RoleCoordinator || (v.Role == RoleParticipant && ev.ParticipantID != "" && ev.ParticipantID == v.ParticipantID)
	case ScopeFamily:
		return v.familyTable()
	case ScopePrivate:
		if ev.ParticipantID == "" {
			return v.Role == RoleCoordinator
		}
		return v.Role == RoleParticipant && v.ParticipantID == ev.ParticipantID
	}
	return false
}

// familyTable is a viewer at the family's side of the table.
func (v Viewer) familyTable() bool {
	return v.Role == RoleParticipant && v.Admitted && v.Family
}

func (v Viewer) canSeeItem(it Item) bool {
	if it.Family && !it.Revealed {
		return v.familyTable()
	}
	if it.Revealed {
		return v.atTable()
	}
	if it.OnBehalf {
		return v.Role == RoleCoordinator
	}
	return v.Role == RoleParticipant && len(it.AuthorIDs) > 0 && it.AuthorIDs[0] == v.ParticipantID
}

// View is the part of a meeting one viewer may see: the snapshot sent on connect.
type View struct {
	Header
	JoinCode     string        `json:"joinCode,omitempty"`
	Parties      []Party       `json:"parties"`
	Participants []Participant `json:"participants"`
	Items        []Item        `json:"items"`
	MyRanking    []string      `json:"myRanking"`
	Ranking      RankingResult `json:"ranking"`
	Agreement    Agreement     `json:"agreement"`
	Plan         Plan          `json:"plan"`
	Versions     []PlanVersion `json:"versions"`
	Previous     *Previous     `json:"previous"` // the plan a follow-up starts from; null for a first meeting
	Review       Review        `json:"review"`
	// Drafts is, for coordinators only, how many items each party has unrevealed.
	Drafts []DraftCount `json:"drafts"`
	// Round is the speaking round: the same on every surface of the table.
	Round  Round       `json:"round"`
	Safety *SafetyView `json:"safety,omitempty"` // the Signs of Safety shape only
	Online []string    `json:"online"`
	Seq    int64       `json:"seq"`
	// Lead is, for coordinators only, who runs the meeting; absent until someone does.
	Lead *Lead `json:"lead,omitempty"`
	// Ending is, for coordinators only, how a meeting ended without a plan.
	Ending *Ending `json:"ending,omitempty"`
}

// ViewFor returns what v may see of the meeting now.
func (m *Meeting) ViewFor(v Viewer) View {
	out := View{Header: m.Header, Seq: m.Seq, Parties: append([]Party{}, m.Parties...),
		Participants: []Participant{}, Items: []Item{}, MyRanking: []string{}, Online: []string{},
		Ranking:   emptyResult(m.Options.Weighting),
		Agreement: Agreement{WorryIDs: []string{}, Dissent: []Dissent{}, Akkoord: []Akkoord{}},
		Plan:      Plan{Goals: []Goal{}, Actions: []Action{}}, Versions: []PlanVersion{},
		Review: cloneReview(Review{}), Round: viewRound(Round{})}
	// Parties are stored in the order they were added; the view gives speaking order.
	out.Parties = sortedParties(out.Parties)
	out.Drafts = []DraftCount{}
	if v.Role == RoleCoordinator {
		out.Drafts = m.DraftCounts()
		out.Lead, out.Ending = m.Lead, m.Ending
	}
	for _, p := range m.Participants {
		if v.Role == RoleCoordinator || p.ID == v.ParticipantID || (v.atTable() && p.Status == StatusAdmitted) {
			out.Participants = append(out.Participants, p)
		}
	}
	if !v.atTable() {
		return out
	}
	for _, it := range m.Items {
		if v.canSeeItem(it) {
			out.Items = append(out.Items, it)
		}
	}
	if v.Role == RoleParticipant {
		out.MyRanking = append(out.MyRanking, m.Rankings[v.ParticipantID]...)
	}
	// The table, coordinator included, sees who has ranked while the round is
	// open and the shared result once it is closed; never a moving aggregate.
	if m.Published != nil {
		out.Ranking = cloneResult(*m.Published)
	} else if len(m.Rankings) > 0 {
		out.Ranking = m.RankingProgress()
	}
	out.Agreement = cloneAgreement(m.Agreement)
	out.Plan = clonePlan(m.Plan)
	out.Versions = append(out.Versions, m.Versions...)
	out.Previous = m.Previous
	out.Review = cloneReview(m.Review)
	out.Round = viewRound(m.Round)
	out.Safety = m.safetyViewFor(v)
	if m.PlanWithheld(v) {
		out.Plan, out.Review = Plan{Goals: []Goal{}, Actions: []Action{}}, cloneReview(Review{})
		if out.Safety != nil {
			out.Safety.Plan, out.Safety.Review = emptySafetyPlan(), cloneSafetyReview(SafetyReview{})
			out.Safety.Children = []ChildVoice{}
		}
	}
	return out
}

// PlanWithheld says whether v is kept from the meeting's half-written plan: a
// meeting that ended without a plan (meeting.abandon) shows phones and the
// screen none, so least data says they receive none either. Coordinators keep
// it. What the plan is here: the goals, actions, regisseur and contact, a
// follow-up's review of the previous plan, and in the Signs of Safety shape the
// safety plan, its review and the children's voices brought to the table.
func (m *Meeting) PlanWithheld(v Viewer) bool {
	return m.EndedWithoutPlan && v.Role != RoleCoordinator
}

// sortedParties returns the parties in speaking order.
func sortedParties(ps []Party) []Party {
	out := append([]Party{}, ps...)
	sort.SliceStable(out, func(i, j int) bool { return out[i].Order < out[j].Order })
	return out
}

// cloneResult copies a result so a view never shares the meeting's slices.
func cloneResult(r RankingResult) RankingResult {
	b, _ := json.Marshal(r)
	var out RankingResult
	_ = json.Unmarshal(b, &out)
	return out
}
