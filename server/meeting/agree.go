package meeting

// Rules for ranking and agreeing on the top 3.

func rankingSet(d *decision) error {
	var in struct {
		WorryIDs []string `json:"worryIds"`
	}
	if err := d.decode(&in); err != nil {
		return err
	}
	if len(in.WorryIDs) > 3 {
		return Fail(ECodeInvalidInput, "at_most_three", "at most 3 worries")
	}
	seen := map[string]bool{}
	ids := []string{}
	for _, id := range in.WorryIDs {
		if id == "" {
			// An open place: the person tapped 3 before choosing 1 and 2.
			// The place they tapped is kept, and so are its points.
			ids = append(ids, "")
			continue
		}
		it, err := d.revealedWorry(id)
		if err != nil {
			return err
		}
		if it.MergedInto != "" {
			return Fail(ECodeConflict, "worry_merged", "worry merged into another")
		}
		if seen[id] {
			return Fail(ECodeInvalidInput, "distinct_worries", "worries must be distinct")
		}
		seen[id] = true
		ids = append(ids, id)
	}
	for len(ids) > 0 && ids[len(ids)-1] == "" {
		ids = ids[:len(ids)-1]
	}
	if d.m.RankingClosed {
		return Fail(ECodeRankingClosed, "ranking_closed", "the ranking round is closed")
	}
	pid := d.cmd.Actor.ParticipantID
	old, had := d.m.Rankings[pid]
	if had && equalStrings(old, ids) || !had && len(ids) == 0 {
		return nil // the same ranking again: nothing changes
	}
	return d.emit(EvRankingMine, ScopePrivate, pid, rankingData{ParticipantID: pid, WorryIDs: ids})
}

// rankingClose closes the ranking round: the table gets the result, and the
// ballots are final. Closing a closed round changes nothing.
func rankingClose(d *decision) error {
	if err := d.decode(&struct{}{}); err != nil {
		return err
	}
	if d.m.RankingClosed {
		return nil
	}
	return d.closeRanking()
}

// publishedTop3 is the top 3 the table was shown: the closed round's result.
func (m *Meeting) publishedTop3() []string {
	if m.RankingClosed && m.Published != nil {
		return m.Published.Top3
	}
	return m.Ranking().Top3
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func agreeConfirm(d *decision) error {
	var in struct {
		WorryIDs []string `json:"worryIds"`
		Reason   string   `json:"reason"`
	}
	if err := d.decode(&in); err != nil {
		return err
	}
	reason, err := CleanText("reason", in.Reason, MaxTextLen, true, true)
	if err != nil {
		return err
	}
	if len(in.WorryIDs) == 0 || len(in.WorryIDs) > 3 {
		return Fail(ECodeInvalidInput, "one_to_three", "1 to 3 worries")
	}
	seen := map[string]bool{}
	for _, id := range in.WorryIDs {
		it, err := d.revealedWorry(id)
		if err != nil {
			return err
		}
		if it.MergedInto != "" || seen[id] {
			return Fail(ECodeInvalidInput, "distinct_unmerged", "distinct, unmerged worries")
		}
		seen[id] = true
	}
	computed := d.m.publishedTop3()
	override := !equalStrings(computed, in.WorryIDs)
	if override && reason == "" {
		return Fail(ECodeInvalidInput, "override_reason_required", "a reason is required for an override")
	}
	if !override {
		reason = ""
	}
	a := cloneAgreement(d.m.Agreement)
	a.Confirmed, a.WorryIDs, a.OverrideReason = true, append([]string(nil), in.WorryIDs...), reason
	// A new top 3 needs the family's akkoord again.
	a.Akkoord = []Akkoord{}
	return d.emit(EvAgreementUpdated, ScopeTable, "", agreementData{a})
}

func agreeDissent(d *decision) error {
	var in struct {
		Text string `json:"text"`
	}
	if err := d.decode(&in); err != nil {
		return err
	}
	// Empty text takes one's dissent back.
	text, err := CleanText("text", in.Text, MaxTextLen, true, true)
	if err != nil {
		return err
	}
	p := d.m.Participant(d.cmd.Actor.ParticipantID)
	// One dissent per participant, which they may change: no one can fill the
	// meeting's list and silence the others.
	old := find(d.m.Agreement.Dissent, func(x *Dissent) bool { return x.ParticipantID == p.ID })
	if old == nil && text == "" || old != nil && old.Text == text {
		return nil
	}
	if old == nil && len(d.m.Agreement.Dissent) >= maxDissent {
		return Fail(ECodeTooMany, "too_many_dissents", "too many dissents in a meeting", "n", maxDissent)
	}
	// The event carries the one entry that changed, not the whole list.
	return d.emit(EvDissentUpserted, ScopeTable, "", dissentData{Dissent{ParticipantID: p.ID, PartyID: p.PartyID, Text: text}})
}

// maxDissent bounds the dissent list; with one per participant it is reached
// only by a meeting of that many people.
const maxDissent = 200

func agreeAkkoord(d *decision) error {
	if err := d.decode(&struct{}{}); err != nil {
		return err
	}
	p := d.m.Participant(d.cmd.Actor.ParticipantID)
	party := d.m.Party(p.PartyID)
	if party == nil || party.Kind != KindFamily {
		return Fail(ECodeForbidden, "family_only", "family only")
	}
	if !d.m.Agreement.Confirmed {
		return Fail(ECodeConflict, "top3_not_confirmed", "top 3 not confirmed yet")
	}
	a := cloneAgreement(d.m.Agreement)
	for _, k := range a.Akkoord {
		if k.ParticipantID == p.ID {
			return nil // given already: a double tap
		}
	}
	a.Akkoord = append(a.Akkoord, Akkoord{ParticipantID: p.ID, PartyID: p.PartyID})
	return d.emit(EvAgreementUpdated, ScopeTable, "", agreementData{a})
}
