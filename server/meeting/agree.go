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
	pid := d.cmd.Actor.ParticipantID
	old, had := d.m.Rankings[pid]
	if had && equalStrings(old, ids) || !had && len(ids) == 0 {
		return Fail(ECodeConflict, "no_change", "nothing to change")
	}
	return d.emit(EvRankingMine, ScopePrivate, pid, rankingData{ParticipantID: pid, WorryIDs: ids})
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
	computed := d.m.Ranking().Top3
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
	text, err := CleanText("text", in.Text, MaxTextLen, true, false)
	if err != nil {
		return err
	}
	p := d.m.Participant(d.cmd.Actor.ParticipantID)
	a := cloneAgreement(d.m.Agreement)
	if len(a.Dissent) >= 200 {
		return Fail(ECodeConflict, "too_many_dissents", "too many dissents")
	}
	a.Dissent = append(a.Dissent, Dissent{ParticipantID: p.ID, PartyID: p.PartyID, Text: text})
	return d.emit(EvAgreementUpdated, ScopeTable, "", agreementData{a})
}

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
			return Fail(ECodeConflict, "already_agreed", "akkoord already recorded")
		}
	}
	a.Akkoord = append(a.Akkoord, Akkoord{ParticipantID: p.ID, PartyID: p.PartyID})
	return d.emit(EvAgreementUpdated, ScopeTable, "", agreementData{a})
}
