package meeting

import "time"

// Rules for writing the plan and closing the meeting.

func (d *decision) agreedWorry(id string) error {
	for _, w := range d.m.Agreement.WorryIDs {
		if w == id {
			return nil
		}
	}
	return Fail(ECodeNotFound, "not_agreed_worry", "not an agreed worry")
}

func validDate(field, s string, allowEmpty bool) error {
	if s == "" && allowEmpty {
		return nil
	}
	if _, err := time.Parse("2006-01-02", s); err != nil {
		return Fail(ECodeInvalidInput, "bad_date", field+": date YYYY-MM-DD", "field", field)
	}
	return nil
}

func planGoalSet(d *decision) error {
	var in struct {
		WorryID  string `json:"worryId"`
		Goal     string `json:"goal"`
		ScoreNow *int   `json:"scoreNow"`
	}
	if err := d.decode(&in); err != nil {
		return err
	}
	if err := d.agreedWorry(in.WorryID); err != nil {
		return err
	}
	goal, err := CleanText("goal", in.Goal, MaxTextLen, true, true)
	if err != nil {
		return err
	}
	if in.ScoreNow != nil && (*in.ScoreNow < 0 || *in.ScoreNow > 10) {
		return Fail(ECodeInvalidInput, "bad_score", "score must be 0-10")
	}
	p := clonePlan(d.m.Plan)
	g := Goal{WorryID: in.WorryID, Goal: goal, ScoreNow: in.ScoreNow}
	p.Goals = upsert(p.Goals, g, func(x Goal) bool { return x.WorryID == g.WorryID })
	return d.emitPlan(p)
}

func (d *decision) emitPlan(p Plan) error {
	if sameJSON(clonePlan(d.m.Plan), p) { // as p: empty lists, never null
		return nil // saved already (an autosave of the same text, a double tap)
	}
	return d.emit(EvPlanUpdated, ScopeTable, "", planData{p})
}

type actionInput struct {
	ActionID     string       `json:"actionId"`
	WorryID      string       `json:"worryId"`
	What         string       `json:"what"`
	OwnerPartyID string       `json:"ownerPartyId"`
	Due          string       `json:"due"`
	Status       ActionStatus `json:"status"`
}

func (d *decision) checkAction(in *actionInput) error {
	what, err := CleanText("what", in.What, MaxTextLen, true, false)
	if err != nil {
		return err
	}
	in.What = what
	if d.m.Party(in.OwnerPartyID) == nil {
		return Fail(ECodeNotFound, "unknown_owner", "unknown owner party")
	}
	if err := validDate("due", in.Due, true); err != nil {
		return err
	}
	switch in.Status {
	case "":
		in.Status = ActionOpen
	case ActionOpen, ActionDoing, ActionDone:
	default:
		return Fail(ECodeInvalidInput, "bad_status", "status must be open, doing or done")
	}
	return nil
}

func planActionAdd(d *decision) error {
	var in actionInput
	if err := d.decode(&in); err != nil {
		return err
	}
	if in.ActionID != "" {
		return Fail(ECodeInvalidInput, "action_id_on_add", "no actionId on add")
	}
	if err := d.agreedWorry(in.WorryID); err != nil {
		return err
	}
	if err := d.checkAction(&in); err != nil {
		return err
	}
	p := clonePlan(d.m.Plan)
	if len(p.Actions) >= 100 {
		return Fail(ECodeConflict, "too_many_actions", "at most 100 actions")
	}
	p.Actions = append(p.Actions, Action{ID: d.newID("a"), WorryID: in.WorryID, What: in.What,
		OwnerPartyID: in.OwnerPartyID, Due: in.Due, Status: in.Status})
	return d.emitPlan(p)
}

// knownAction returns where the plan has the action with that id, or unknown_action.
func (p *Plan) knownAction(id string) (int, error) {
	for i, a := range p.Actions {
		if a.ID == id {
			return i, nil
		}
	}
	return -1, Fail(ECodeNotFound, "unknown_action", "unknown action")
}

func planActionEdit(d *decision) error {
	var in actionInput
	if err := d.decode(&in); err != nil {
		return err
	}
	p := clonePlan(d.m.Plan)
	i, err := p.knownAction(in.ActionID)
	if err != nil {
		return err
	}
	if in.WorryID == "" {
		in.WorryID = p.Actions[i].WorryID
	}
	if err := d.agreedWorry(in.WorryID); err != nil {
		return err
	}
	if err := d.checkAction(&in); err != nil {
		return err
	}
	p.Actions[i] = Action{ID: in.ActionID, WorryID: in.WorryID, What: in.What,
		OwnerPartyID: in.OwnerPartyID, Due: in.Due, Status: in.Status}
	return d.emitPlan(p)
}

func planActionRemove(d *decision) error {
	var in struct {
		ActionID string `json:"actionId"`
	}
	if err := d.decode(&in); err != nil {
		return err
	}
	p := clonePlan(d.m.Plan)
	i, err := p.knownAction(in.ActionID)
	if err != nil {
		return err
	}
	p.Actions = append(p.Actions[:i], p.Actions[i+1:]...)
	return d.emitPlan(p)
}

func planDetailsSet(d *decision) error {
	var in struct {
		RegisseurPartyID string `json:"regisseurPartyId"`
		RegisseurRole    string `json:"regisseurRole"`
		NextEvaluation   string `json:"nextEvaluation"`
	}
	if err := d.decode(&in); err != nil {
		return err
	}
	if in.RegisseurPartyID != "" && d.m.Party(in.RegisseurPartyID) == nil {
		return Fail(ECodeNotFound, "unknown_party", "unknown party")
	}
	role, err := CleanText("regisseurRole", in.RegisseurRole, MaxNameLen, false, true)
	if err != nil {
		return err
	}
	if err := validDate("nextEvaluation", in.NextEvaluation, true); err != nil {
		return err
	}
	p := clonePlan(d.m.Plan)
	p.RegisseurPartyID, p.RegisseurRole, p.NextEvaluation = in.RegisseurPartyID, role, in.NextEvaluation
	return d.emitPlan(p)
}

func meetingClose(d *decision) error {
	if err := d.decode(&struct{}{}); err != nil {
		return err
	}
	if !d.m.Agreement.Confirmed {
		return Fail(ECodeConflict, "confirm_top3_first", "confirm the top 3 first")
	}
	if d.m.Plan.RegisseurPartyID == "" {
		return Fail(ECodeConflict, "regisseur_first", "choose a regisseur first")
	}
	if d.m.Plan.NextEvaluation == "" {
		return Fail(ECodeConflict, "evaluation_date_first", "set the evaluation date first")
	}
	if err := d.safetyMayClose(); err != nil {
		return err
	}
	v := PlanVersion{Number: len(d.m.Versions) + 1, ClosedAt: d.cmd.Now.UTC().Truncate(time.Second),
		Top3: append([]string(nil), d.m.Agreement.WorryIDs...), Plan: clonePlan(d.m.Plan), Safety: d.m.safetyVersion()}
	if err := d.emit(EvPlanClosed, ScopeTable, "", versionData{v}); err != nil {
		return err
	}
	h := d.m.Header
	h.Phase = PhaseClosed
	return d.emit(EvMeetingUpdated, ScopeAll, "", meetingData{h})
}

// upsert replaces the element of list that is the same as v, or appends v.
func upsert[T any](list []T, v T, same func(T) bool) []T {
	for i := range list {
		if same(list[i]) {
			list[i] = v
			return list
		}
	}
	return append(list, v)
}
