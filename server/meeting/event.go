package meeting

import (
	"encoding/json"
	"fmt"
	"slices"
)

// Scope says who may receive an event.
type Scope string

// Scopes, from widest to narrowest.
const (
	// ScopeAll reaches everyone connected to the meeting, pending joiners included.
	ScopeAll Scope = "all"
	// ScopeTable reaches coordinators, shared screens and admitted participants,
	// and the participant named in the event if any (a joiner in the lobby
	// learns their own admission).
	ScopeTable Scope = "table"
	// ScopeStaff reaches coordinators, and the participant named in the event if any.
	ScopeStaff Scope = "staff"
	// ScopePrivate reaches only the participant named in the event, or the
	// coordinators when it names none (a draft typed on behalf of a party).
	ScopePrivate Scope = "private"
	// ScopeFamily reaches only admitted participants of family and network
	// parties: the family's own list in family time.
	ScopeFamily Scope = "family"
)

// Event names.
const (
	EvMeetingUpdated    = "meeting.updated"
	EvPartyUpserted     = "party.upserted"
	EvParticipantUpsert = "participant.upserted"
	EvItemUpserted      = "item.upserted"
	EvItemsRevealed     = "items.revealed"
	EvRankingMine       = "ranking.mine"
	EvRankingResult     = "ranking.result"   // the round is closed: the shared result
	EvRankingProgress   = "ranking.progress" // the round is open: who has ranked, no result
	EvAgreementUpdated  = "agreement.updated"
	EvDissentUpserted   = "dissent.upserted" // one participant's dissent; empty text: taken back
	EvDraftsCounted     = "drafts.counted"   // how many items each party still has unrevealed (coordinators)
	EvPlanUpdated       = "plan.updated"
	EvPlanClosed        = "plan.closed"
	EvMeetingPrevious   = "meeting.previous"
	EvReviewUpdated     = "review.updated"
	EvRoundUpdated      = "round.updated" // the speaking round: order, turn, passes, deadline
)

// Event is one stored change of a meeting. Its data carries whole entities, so
// applying it is an upsert, the same for a live client as for a replay.
type Event struct {
	Seq           int64           `json:"seq"`
	Name          string          `json:"name"`
	Scope         Scope           `json:"-"`
	ParticipantID string          `json:"-"`
	Data          json.RawMessage `json:"data"`
}

// Payloads of the events.
type (
	meetingData struct {
		Meeting Header `json:"meeting"`
	}
	partyData struct {
		Party Party `json:"party"`
	}
	participantData struct {
		Participant Participant `json:"participant"`
	}
	itemData struct {
		Item Item `json:"item"`
	}
	itemsData struct {
		Items []Item `json:"items"`
	}
	rankingData struct {
		ParticipantID string   `json:"participantId"`
		WorryIDs      []string `json:"worryIds"`
	}
	resultData struct {
		Result RankingResult `json:"result"`
	}
	agreementData struct {
		Agreement Agreement `json:"agreement"`
	}
	draftsData struct {
		Drafts []DraftCount `json:"drafts"`
	}
	dissentData struct {
		Dissent Dissent `json:"dissent"`
	}
	planData struct {
		Plan Plan `json:"plan"`
	}
	versionData struct {
		Version PlanVersion `json:"version"`
	}
	previousData struct {
		Previous Previous `json:"previous"`
	}
	reviewData struct {
		Review Review `json:"review"`
	}
)

// Apply changes the meeting by one event. Events come from Decide, live or from the
// store, so an error here means stored data is corrupt.
func (m *Meeting) Apply(ev Event) error {
	if ev.Seq != m.Seq+1 {
		return fmt.Errorf("meeting %s: event seq %d after %d", m.ID, ev.Seq, m.Seq)
	}
	var err error
	switch ev.Name {
	case EvMeetingUpdated:
		var d meetingData
		if err = json.Unmarshal(ev.Data, &d); err == nil {
			m.Header = d.Meeting
		}
	case EvPartyUpserted:
		var d partyData
		if err = json.Unmarshal(ev.Data, &d); err == nil {
			if p := m.Party(d.Party.ID); p != nil {
				*p = d.Party
			} else {
				m.Parties = append(m.Parties, d.Party)
			}
		}
	case EvParticipantUpsert:
		var d participantData
		if err = json.Unmarshal(ev.Data, &d); err == nil {
			if p := m.Participant(d.Participant.ID); p != nil {
				*p = d.Participant
			} else {
				m.Participants = append(m.Participants, d.Participant)
			}
		}
	case EvItemUpserted:
		var d itemData
		if err = json.Unmarshal(ev.Data, &d); err == nil {
			m.upsertItem(d.Item)
		}
	case EvItemsRevealed:
		var d itemsData
		if err = json.Unmarshal(ev.Data, &d); err == nil {
			for _, it := range d.Items {
				m.upsertItem(it)
			}
		}
	case EvRankingMine:
		var d rankingData
		if err = json.Unmarshal(ev.Data, &d); err == nil {
			if len(d.WorryIDs) == 0 {
				delete(m.Rankings, d.ParticipantID)
			} else {
				m.Rankings[d.ParticipantID] = d.WorryIDs
			}
		}
	case EvRankingResult:
		// Derived from the rankings; stored so clients are sent it as it was. A
		// closed round's result is frozen: later changes do not move it.
		var d resultData
		if err = json.Unmarshal(ev.Data, &d); err == nil {
			m.Published = &d.Result
			m.RankingClosed = d.Result.Closed
		}
	case EvDraftsCounted:
		// Derived from the items; stored so the console is sent it as it was.
	case EvRankingProgress:
		m.Published, m.RankingClosed = nil, false
	case EvAgreementUpdated:
		var d agreementData
		if err = json.Unmarshal(ev.Data, &d); err == nil {
			m.Agreement = d.Agreement
		}
	case EvDissentUpserted:
		var d dissentData
		if err = json.Unmarshal(ev.Data, &d); err == nil {
			m.Agreement.Dissent = slices.DeleteFunc(slices.Clone(m.Agreement.Dissent), func(x Dissent) bool { return x.ParticipantID == d.Dissent.ParticipantID })
			if d.Dissent.Text != "" {
				m.Agreement.Dissent = append(m.Agreement.Dissent, d.Dissent)
			}
		}
	case EvPlanUpdated:
		var d planData
		if err = json.Unmarshal(ev.Data, &d); err == nil {
			m.Plan = d.Plan
		}
	case EvPlanClosed:
		var d versionData
		if err = json.Unmarshal(ev.Data, &d); err == nil {
			m.Versions = append(m.Versions, d.Version)
		}
	case EvMeetingPrevious:
		var d previousData
		if err = json.Unmarshal(ev.Data, &d); err == nil {
			m.Previous = &d.Previous
		}
	case EvRoundUpdated:
		var d roundData
		if err = json.Unmarshal(ev.Data, &d); err == nil {
			m.Round = d.Round
		}
	case EvReviewUpdated:
		var d reviewData
		if err = json.Unmarshal(ev.Data, &d); err == nil {
			m.Review = d.Review
		}
	default:
		var handled bool
		if handled, err = m.applyLead(ev); !handled {
			handled, err = m.applySafety(ev)
		}
		if !handled {
			err = fmt.Errorf("unknown event %q", ev.Name)
		}
	}
	if err != nil {
		return fmt.Errorf("meeting %s: apply event %d %s: %w", m.ID, ev.Seq, ev.Name, err)
	}
	m.Seq = ev.Seq
	return nil
}

func (m *Meeting) upsertItem(it Item) {
	if p := m.Item(it.ID); p != nil {
		*p = it
		return
	}
	m.Items = append(m.Items, it)
}

// Clone returns a deep copy, so Decide can work on it without touching m. It keeps
// nil slices nil, so a live meeting and one replayed from its events stay identical.
func (m *Meeting) Clone() *Meeting {
	c := *m
	c.Parties = slices.Clone(m.Parties)
	c.Participants = slices.Clone(m.Participants)
	c.Items = slices.Clone(m.Items)
	for i := range c.Items {
		c.Items[i].AuthorIDs = slices.Clone(c.Items[i].AuthorIDs)
	}
	c.Rankings = make(map[string][]string, len(m.Rankings))
	for k, v := range m.Rankings {
		c.Rankings[k] = append([]string(nil), v...)
	}
	c.Agreement.WorryIDs = slices.Clone(m.Agreement.WorryIDs)
	c.Agreement.Dissent = slices.Clone(m.Agreement.Dissent)
	c.Agreement.Akkoord = slices.Clone(m.Agreement.Akkoord)
	c.Plan.Goals = slices.Clone(m.Plan.Goals)
	c.Plan.Actions = slices.Clone(m.Plan.Actions)
	c.Versions = slices.Clone(m.Versions)
	// Previous and Published are set whole by one event and never changed in place: sharing them is safe.
	c.Round = cloneRound(m.Round)
	c.Review.Actions = slices.Clone(m.Review.Actions)
	c.Review.Scores = slices.Clone(m.Review.Scores)
	c.Safety = cloneSafetyState(m.Safety)
	return &c
}

func cloneAgreement(a Agreement) Agreement {
	a.WorryIDs = append([]string{}, a.WorryIDs...)
	a.Dissent = append([]Dissent{}, a.Dissent...)
	a.Akkoord = append([]Akkoord{}, a.Akkoord...)
	return a
}

func clonePlan(p Plan) Plan {
	p.Goals = append([]Goal{}, p.Goals...)
	p.Actions = append([]Action{}, p.Actions...)
	return p
}
