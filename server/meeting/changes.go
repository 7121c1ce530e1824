package meeting

// What changed between a follow-up's previous plan and its new top 3.

// WorryChange is one line of "what changed": a worry of the previous top 3, of
// the new top 3, or of both, with its score in the previous plan, at the review
// and in the new plan.
type WorryChange struct {
	PreviousID    string `json:"previousId"` // "" for a new worry
	PreviousText  string `json:"previousText"`
	PreviousRank  int    `json:"previousRank"` // 0 for a new worry
	WorryID       string `json:"worryId"`      // "" for a dropped worry
	Text          string `json:"text"`
	Rank          int    `json:"rank"`          // 0 for a dropped worry
	PreviousScore *int   `json:"previousScore"` // the previous plan's scoreNow
	ReviewScore   *int   `json:"reviewScore"`   // the score given when looking back
	ScoreNow      *int   `json:"scoreNow"`      // the new plan's scoreNow
}

// ActionChange is an action of the previous plan and what became of it.
type ActionChange struct {
	ActionID     string       `json:"actionId"`
	WorryID      string       `json:"worryId"` // a previous worry
	What         string       `json:"what"`
	OwnerPartyID string       `json:"ownerPartyId"` // a party of the previous meeting
	Owner        string       `json:"owner"`
	Due          string       `json:"due"`
	Status       ActionStatus `json:"status"`  // as the previous plan was closed
	Outcome      Outcome      `json:"outcome"` // "" when the review did not get to it
	Note         string       `json:"note"`
}

// ChangeSet says what changed since the previous plan: which worries stayed in
// the top 3, which are new, which left it, how their scores moved, and what
// became of the previous actions.
type ChangeSet struct {
	PreviousMeetingID string `json:"previousMeetingId"`
	PreviousDate      string `json:"previousDate"`
	PreviousVersion   int    `json:"previousVersion"`
	// Decided is true once the new top 3 is agreed; until then Kept, New and
	// Dropped are empty, as nothing is decided yet.
	Decided bool           `json:"decided"`
	Kept    []WorryChange  `json:"kept"`    // new rank order; one line per previous worry carried on
	New     []WorryChange  `json:"new"`     // new rank order
	Dropped []WorryChange  `json:"dropped"` // previous rank order
	Actions []ActionChange `json:"actions"` // in the previous plan's order
	// Safety is, in the Signs of Safety shape, per-party score changes and which safety agreements held.
	Safety *SafetyChanges `json:"safety,omitempty"`
}

// NextWorry is a worry of the new top 3 as Changes needs it.
type NextWorry struct {
	ID   string
	Text string
	// Continues are the previous top-3 worries it carries on: its own, and those
	// of the worries merged into it.
	Continues []string
	ScoreNow  *int
}

// Changes compares the previous plan (with the review of it) and the new top 3,
// best first. A previous worry is kept when a new one continues it, dropped when
// none does; a new worry that continues none is new. Without a decided top 3
// only the actions are compared.
func Changes(prev Previous, review Review, decided bool, next []NextWorry) ChangeSet {
	out := ChangeSet{PreviousMeetingID: prev.MeetingID, PreviousDate: prev.Date, PreviousVersion: prev.Version.Number,
		Decided: decided, Kept: []WorryChange{}, New: []WorryChange{}, Dropped: []WorryChange{}, Actions: []ActionChange{}}
	for _, a := range prev.Version.Plan.Actions {
		ac := ActionChange{ActionID: a.ID, WorryID: a.WorryID, What: a.What, OwnerPartyID: a.OwnerPartyID,
			Owner: prev.PartyName(a.OwnerPartyID), Due: a.Due, Status: a.Status}
		if r, ok := review.ActionOutcome(a.ID); ok {
			ac.Outcome, ac.Note = r.Outcome, r.Note
		}
		out.Actions = append(out.Actions, ac)
	}
	if !decided {
		return out
	}
	kept := map[string]bool{}
	for i, w := range next {
		carried := false
		for _, pw := range prev.Worries { // in previous rank order
			if !contains(w.Continues, pw.ID) {
				continue
			}
			carried, kept[pw.ID] = true, true
			out.Kept = append(out.Kept, WorryChange{PreviousID: pw.ID, PreviousText: pw.Text, PreviousRank: pw.Rank,
				WorryID: w.ID, Text: w.Text, Rank: i + 1, PreviousScore: pw.ScoreNow, ReviewScore: review.Score(pw.ID), ScoreNow: w.ScoreNow})
		}
		if !carried {
			out.New = append(out.New, WorryChange{WorryID: w.ID, Text: w.Text, Rank: i + 1, ScoreNow: w.ScoreNow})
		}
	}
	for _, pw := range prev.Worries {
		if !kept[pw.ID] {
			out.Dropped = append(out.Dropped, WorryChange{PreviousID: pw.ID, PreviousText: pw.Text, PreviousRank: pw.Rank,
				PreviousScore: pw.ScoreNow, ReviewScore: review.Score(pw.ID)})
		}
	}
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// WhatChanged returns what changed in a follow-up meeting, or nil for a first
// meeting. With a version it compares that closed plan; without one the latest
// closed plan once the meeting is closed, else the live agreement and plan.
func (v View) WhatChanged(version *PlanVersion) *ChangeSet {
	if v.Previous == nil {
		return nil
	}
	if version == nil && v.Phase == PhaseClosed && len(v.Versions) > 0 {
		version = &v.Versions[len(v.Versions)-1]
	}
	top3, plan, decided := v.Agreement.WorryIDs, v.Plan, v.Agreement.Confirmed
	if version != nil {
		top3, plan, decided = version.Top3, version.Plan, true
	}
	items := map[string]Item{}
	for _, it := range v.Items {
		if it.Kind == KindWorry && !it.Withdrawn {
			items[it.ID] = it
		}
	}
	root := func(id string) string {
		for range len(items) + 1 { // bounded: merges form no cycle, but never loop forever
			it, ok := items[id]
			if !ok || it.MergedInto == "" {
				return id
			}
			id = it.MergedInto
		}
		return id
	}
	var next []NextWorry
	for _, id := range top3 {
		w := NextWorry{ID: id, Text: items[id].Text}
		for _, it := range v.Items { // creation order
			if _, live := items[it.ID]; live && it.Continues != "" && root(it.ID) == id && !contains(w.Continues, it.Continues) {
				w.Continues = append(w.Continues, it.Continues)
			}
		}
		for _, g := range plan.Goals {
			if g.WorryID == id {
				w.ScoreNow = g.ScoreNow
			}
		}
		next = append(next, w)
	}
	ch := Changes(*v.Previous, v.Review, decided, next)
	if v.Safety != nil {
		now := &v.Safety.Plan
		if version != nil {
			now = version.Safety
		}
		ch.Safety = safetyChanges(*v.Previous, v.Safety.Review, now, v.Parties)
	}
	return &ch
}

// WhatChanged returns what changed in a follow-up meeting, as its coordinator sees it; nil for a first meeting.
func (m *Meeting) WhatChanged() *ChangeSet {
	return m.ViewFor(Viewer{Role: RoleCoordinator}).WhatChanged(nil)
}
