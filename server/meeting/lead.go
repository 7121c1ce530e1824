package meeting

import (
	"encoding/json"
	"time"
)

// Rules for who leads a live meeting, handing it over, and ending it without a plan.
//
// One coordinator leads a meeting at a time: only the lead (in any number of
// tabs) runs its commands. The first coordinator who runs a command becomes the
// lead; a colleague of the organisation takes over explicitly with
// meeting.takeover. A participant or a screen is never a lead: their roles are
// refused every coordinator command before these rules are asked.

// Lead is the coordinator who runs a live meeting.
type Lead struct {
	UserID string `json:"userId"`
	Name   string `json:"name"`
}

// Lead change reasons, in the lead.changed event.
const (
	LeadStart    = "start"    // the first coordinator command of the meeting
	LeadTakeover = "takeover" // meeting.takeover by a colleague
)

// Ending is how a meeting ended without a plan (meeting.abandon).
type Ending struct {
	Reason string    `json:"reason"`
	Note   string    `json:"note"`
	At     time.Time `json:"at"`
	By     Lead      `json:"by"`
}

// AbandonReasons is the fixed list of reasons a meeting can end without a plan.
var AbandonReasons = []string{"family_absent", "stopped_early", "coordinator_gone", "made_by_mistake", "other"}

// Event names of these rules.
const (
	EvLeadChanged      = "lead.changed"      // who leads the meeting now (coordinators only)
	EvMeetingAbandoned = "meeting.abandoned" // the meeting ended without a plan: reason and note (coordinators only)
)

type (
	leadData struct {
		Lead     Lead   `json:"lead"`
		Previous *Lead  `json:"previous"`
		Reason   string `json:"reason"`
	}
	endingData struct {
		Ending Ending `json:"ending"`
	}
)

// leadHandlers are the commands of these rules.
var leadHandlers = map[string]handler{
	"meeting.takeover": {coord, nil, meetingTakeover},
	"meeting.abandon":  {coord, nil, meetingAbandon},
}

// leadMay says whether a coordinator may run cmd: only the lead may (in any of
// their tabs), and anyone may take over. While nobody leads, any coordinator
// may: the first with a user becomes the lead (claimLead).
func (m *Meeting) leadMay(cmd Command) error {
	if cmd.Name == "meeting.takeover" || m.Lead == nil || m.Lead.UserID == cmd.Actor.UserID {
		return nil
	}
	return Fail(ECodeForbidden, "not_lead", "another coordinator leads this meeting; take it over first", "lead", m.Lead.Name)
}

// claimLead makes the first coordinator who runs a command the lead.
func (d *decision) claimLead() error {
	a := d.cmd.Actor
	if a.Role != RoleCoordinator || a.UserID == "" || d.m.Lead != nil || d.cmd.Name == "meeting.takeover" {
		return nil
	}
	return d.emit(EvLeadChanged, ScopeStaff, "", leadData{Lead: d.actorLead(), Reason: LeadStart})
}

func (d *decision) actorLead() Lead {
	return Lead{UserID: d.cmd.Actor.UserID, Name: d.cmd.Actor.UserName}
}

// meetingTakeover hands the meeting to the coordinator who sends it. fromUserId
// is the lead the console showed when they confirmed: when someone else took
// over in between, the command is refused, so nobody takes a meeting from a
// colleague they did not see.
func meetingTakeover(d *decision) error {
	var in struct {
		FromUserID *string `json:"fromUserId"`
	}
	if err := d.decode(&in); err != nil {
		return err
	}
	if in.FromUserID == nil {
		return Fail(ECodeInvalidInput, "from_user_required", "fromUserId is required (\"\" when nobody leads)")
	}
	if d.cmd.Actor.UserID == "" {
		return Fail(ECodeForbidden, "not_a_user", "only a signed-in coordinator can lead")
	}
	cur := d.m.Lead
	if cur != nil && cur.UserID == d.cmd.Actor.UserID {
		return nil // leads already: another tab, a double tap
	}
	curID := ""
	if cur != nil {
		curID = cur.UserID
	}
	if *in.FromUserID != curID {
		name := ""
		if cur != nil {
			name = cur.Name
		}
		return Fail(ECodeConflict, "lead_changed", "the lead changed since the console showed it", "lead", name)
	}
	var prev *Lead
	if cur != nil {
		p := *cur
		prev = &p
	}
	return d.emit(EvLeadChanged, ScopeStaff, "", leadData{Lead: d.actorLead(), Previous: prev, Reason: LeadTakeover})
}

// meetingAbandon ends a meeting that will have no plan: the family did not
// come, the meeting was stopped, its coordinator is gone. No plan version is
// made; the meeting is closed and marked as ended without a plan.
func meetingAbandon(d *decision) error {
	var in struct {
		Reason string `json:"reason"`
		Note   string `json:"note"`
	}
	if err := d.decode(&in); err != nil {
		return err
	}
	known := false
	for _, r := range AbandonReasons {
		known = known || r == in.Reason
	}
	if !known {
		return Fail(ECodeInvalidInput, "bad_abandon_reason", "reason must be one of the list", "reasons", AbandonReasons)
	}
	note, err := CleanText("note", in.Note, MaxTextLen, true, true)
	if err != nil {
		return err
	}
	e := Ending{Reason: in.Reason, Note: note, At: d.cmd.Now.UTC().Truncate(time.Second), By: d.actorLead()}
	if err := d.emit(EvMeetingAbandoned, ScopeStaff, "", endingData{e}); err != nil {
		return err
	}
	h := d.m.Header
	h.Phase, h.EndedWithoutPlan = PhaseClosed, true
	return d.emit(EvMeetingUpdated, ScopeAll, "", meetingData{h})
}

// applyLead applies the events of these rules; false for any other event.
func (m *Meeting) applyLead(ev Event) (bool, error) {
	switch ev.Name {
	case EvLeadChanged:
		var d leadData
		if err := json.Unmarshal(ev.Data, &d); err != nil {
			return true, err
		}
		l := d.Lead
		m.Lead = &l
	case EvMeetingAbandoned:
		var d endingData
		if err := json.Unmarshal(ev.Data, &d); err != nil {
			return true, err
		}
		e := d.Ending
		m.Ending = &e
	default:
		return false, nil
	}
	return true, nil
}
