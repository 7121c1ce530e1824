package meeting

import (
	"encoding/json"
	"sort"
)

// Rules for follow-up meetings: where they start from, and the review round.

// Previous is where a follow-up meeting starts: the last closed plan of the
// meeting it follows, with the words of that plan's top 3 and the names of its
// parties, so the follow-up can show it without the earlier meeting's log.
type Previous struct {
	MeetingID string          `json:"meetingId"`
	Title     string          `json:"title"`
	Date      string          `json:"date"`
	Version   PlanVersion     `json:"version"`
	Worries   []PreviousWorry `json:"worries"` // the previous top 3, best first
	Parties   []Party         `json:"parties"` // the previous meeting's parties, in speaking order
}

// PreviousWorry is one worry of the previous top 3, with its goal and score then.
type PreviousWorry struct {
	ID       string `json:"id"`
	Rank     int    `json:"rank"`
	PartyID  string `json:"partyId"` // a party of Previous.Parties
	Text     string `json:"text"`
	Domain   string `json:"domain"`
	Goal     string `json:"goal"`
	ScoreNow *int   `json:"scoreNow"`
}

// Worry returns the previous top-3 worry with id, or nil.
func (p *Previous) Worry(id string) *PreviousWorry {
	return find(p.Worries, func(w *PreviousWorry) bool { return w.ID == id })
}

// Action returns the previous plan's action with id, or nil.
func (p *Previous) Action(id string) *Action {
	return find(p.Version.Plan.Actions, func(a *Action) bool { return a.ID == id })
}

// PartyName returns the name of one of the previous meeting's parties.
func (p *Previous) PartyName(id string) string {
	for _, x := range p.Parties {
		if x.ID == id {
			return x.Name
		}
	}
	return ""
}

// Outcome is what became of a previous action, as the follow-up saw it.
type Outcome string

// Outcomes of a previous action.
const (
	OutcomeDone    Outcome = "done"
	OutcomePartly  Outcome = "partly"
	OutcomeNotDone Outcome = "not_done"
)

func validOutcome(o Outcome) bool {
	return o == OutcomeDone || o == OutcomePartly || o == OutcomeNotDone
}

// ActionReview is what became of one previous action, with a note.
type ActionReview struct {
	ActionID string  `json:"actionId"`
	Outcome  Outcome `json:"outcome"`
	Note     string  `json:"note"`
}

// ScoreReview is a new 0-10 score for one previous top-3 worry.
type ScoreReview struct {
	WorryID string `json:"worryId"`
	Score   int    `json:"score"`
}

// Review is how the previous plan went: per action an outcome, per worry a new score.
type Review struct {
	Actions []ActionReview `json:"actions"`
	Scores  []ScoreReview  `json:"scores"`
}

// ActionOutcome returns the review of a previous action, if it has one.
func (r Review) ActionOutcome(actionID string) (ActionReview, bool) {
	for _, a := range r.Actions {
		if a.ActionID == actionID {
			return a, true
		}
	}
	return ActionReview{}, false
}

// Score returns the review score of a previous worry, or nil.
func (r Review) Score(worryID string) *int {
	for _, s := range r.Scores {
		if s.WorryID == worryID {
			v := s.Score
			return &v
		}
	}
	return nil
}

// cloneReview copies r with lists that are empty, never nil.
func cloneReview(r Review) Review {
	return Review{Actions: append([]ActionReview{}, r.Actions...), Scores: append([]ScoreReview{}, r.Scores...)}
}

// PreviousOf returns where a follow-up of m starts: m's last closed plan version,
// the words of its top 3, and m's parties.
func PreviousOf(m *Meeting) (Previous, error) {
	if m.Phase != PhaseClosed || len(m.Versions) == 0 {
		return Previous{}, Fail(ECodeConflict, "close_meeting_first", "close the meeting first")
	}
	v := m.Versions[len(m.Versions)-1]
	v.Top3 = append([]string{}, v.Top3...)
	v.Plan = clonePlan(v.Plan)
	p := Previous{MeetingID: m.ID, Title: m.Title, Date: m.Date, Version: v, Worries: []PreviousWorry{},
		Parties: append([]Party{}, m.Parties...)}
	sort.SliceStable(p.Parties, func(i, j int) bool { return p.Parties[i].Order < p.Parties[j].Order })
	for i, id := range v.Top3 {
		it := m.Item(id)
		if it == nil {
			continue
		}
		w := PreviousWorry{ID: id, Rank: i + 1, PartyID: it.PartyID, Text: it.Text, Domain: it.Domain}
		for _, g := range v.Plan.Goals {
			if g.WorryID == id {
				w.Goal, w.ScoreNow = g.Goal, g.ScoreNow
			}
		}
		p.Worries = append(p.Worries, w)
	}
	return p, nil
}

// FollowUp prepares m, a meeting that has no events yet, as a follow-up of prev:
// its first event records prev, and then the previous meeting's parties are
// added in the same speaking order. Like Decide, it leaves m unchanged.
func (m *Meeting) FollowUp(prev Previous) (*Meeting, []Event, error) {
	if m.Seq != 0 || m.Previous != nil {
		return nil, nil, Fail(ECodeConflict, "meeting_started", "the meeting has events already")
	}
	d := &decision{m: m.Clone(), cmd: Command{Actor: Actor{Role: RoleCoordinator}}}
	if err := d.emit(EvMeetingPrevious, ScopeTable, "", previousData{prev}); err != nil {
		return nil, nil, err
	}
	for _, p := range prev.Parties {
		data, err := json.Marshal(map[string]any{"name": p.Name, "kind": p.Kind})
		if err != nil {
			return nil, nil, err
		}
		d.cmd.Data = data
		if err := partyAdd(d); err != nil {
			return nil, nil, err
		}
	}
	return d.m, d.events, nil
}

func (d *decision) previous() (*Previous, error) {
	if d.m.Previous == nil {
		return nil, Fail(ECodeConflict, "not_follow_up", "not a follow-up meeting")
	}
	return d.m.Previous, nil
}

func (d *decision) emitReview(r Review) error {
	if sameJSON(cloneReview(d.m.Review), r) {
		return nil // recorded already
	}
	return d.emit(EvReviewUpdated, ScopeTable, "", reviewData{r})
}

func reviewActionSet(d *decision) error {
	var in struct {
		ActionID string  `json:"actionId"`
		Outcome  Outcome `json:"outcome"`
		Note     string  `json:"note"`
	}
	if err := d.decode(&in); err != nil {
		return err
	}
	note, err := CleanText("note", in.Note, MaxTextLen, true, true)
	if err != nil {
		return err
	}
	if !validOutcome(in.Outcome) {
		return Fail(ECodeInvalidInput, "bad_outcome", "outcome must be done, partly or not_done")
	}
	prev, err := d.previous()
	if err != nil {
		return err
	}
	if prev.Action(in.ActionID) == nil {
		return Fail(ECodeNotFound, "unknown_previous_action", "unknown action in the previous plan")
	}
	r := cloneReview(d.m.Review)
	a := ActionReview{ActionID: in.ActionID, Outcome: in.Outcome, Note: note}
	r.Actions = upsert(r.Actions, a, func(x ActionReview) bool { return x.ActionID == a.ActionID })
	return d.emitReview(r)
}

func reviewScoreSet(d *decision) error {
	var in struct {
		WorryID string `json:"worryId"`
		Score   *int   `json:"score"`
	}
	if err := d.decode(&in); err != nil {
		return err
	}
	if in.Score != nil && (*in.Score < 0 || *in.Score > 10) {
		return Fail(ECodeInvalidInput, "bad_score", "score must be 0-10")
	}
	prev, err := d.previous()
	if err != nil {
		return err
	}
	if prev.Worry(in.WorryID) == nil {
		return Fail(ECodeNotFound, "unknown_previous_worry", "unknown worry in the previous top 3")
	}
	r := cloneReview(d.m.Review)
	scores := []ScoreReview{}
	for _, s := range r.Scores {
		if s.WorryID != in.WorryID {
			scores = append(scores, s)
		}
	}
	if in.Score != nil {
		scores = append(scores, ScoreReview{WorryID: in.WorryID, Score: *in.Score})
	}
	// Kept in the order of the previous top 3, so the same scores give the same review.
	sort.SliceStable(scores, func(i, j int) bool { return prev.Worry(scores[i].WorryID).Rank < prev.Worry(scores[j].WorryID).Rank })
	r.Scores = scores
	return d.emitReview(r)
}

// worryCarry puts a worry of the previous top 3 on the table again, in one tap:
// its words, its domain, revealed at once (the table saw it last time), for the
// party that raised it then, or the party given.
func worryCarry(d *decision) error {
	var in struct {
		WorryID string `json:"worryId"`
		PartyID string `json:"partyId"`
	}
	if err := d.decode(&in); err != nil {
		return err
	}
	prev, err := d.previous()
	if err != nil {
		return err
	}
	pw := prev.Worry(in.WorryID)
	if pw == nil {
		return Fail(ECodeNotFound, "unknown_previous_worry", "unknown worry in the previous top 3")
	}
	for _, it := range d.m.Items {
		if it.Kind == KindWorry && it.Continues == pw.ID && it.Revealed && !it.Withdrawn {
			return Fail(ECodeConflict, "already_on_table", "already on the table")
		}
	}
	party := in.PartyID
	if party != "" && d.m.Party(party) == nil {
		return Fail(ECodeNotFound, "unknown_party", "unknown party")
	}
	if party == "" {
		party = d.m.partyNamed(prev.PartyName(pw.PartyID))
	}
	if party == "" {
		return Fail(ECodeInvalidInput, "party_required", "partyId required")
	}
	if len(d.m.Items) >= 1000 {
		return Fail(ECodeConflict, "too_many_items", "at most 1000 items")
	}
	it := Item{ID: d.newID("w"), Kind: KindWorry, PartyID: party, Text: pw.Text, Domain: pw.Domain,
		AuthorIDs: []string{CoordinatorAuthor}, OnBehalf: true, Revealed: true, Continues: pw.ID, Order: d.m.Seq + 1}
	return d.emit(EvItemUpserted, ScopeTable, "", itemData{it})
}

// partyNamed returns the id of the first party in speaking order with this name, or "".
func (m *Meeting) partyNamed(name string) string {
	best, id := -1, ""
	for _, p := range m.Parties {
		if name != "" && p.Name == name && (best < 0 || p.Order < best) {
			best, id = p.Order, p.ID
		}
	}
	return id
}
