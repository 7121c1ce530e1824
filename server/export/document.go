// Package export turns a meeting's plan into what leaves the room: a PDF for the
// family, Markdown, CSV and JSON for other systems, and an iCalendar file for the
// evaluation date. It is pure: it takes domain values and returns bytes, with no
// HTTP and no SQL.
package export

import (
	"sort"
	"time"

	"github.com/tafel-met/tafel/server/meeting"
)

// Document is one plan as it leaves the room, with names resolved and in the
// order people read it. Every format is written from it.
type Document struct {
	Lang        Lang
	MeetingID   string
	FamilyLabel string
	Title       string
	Date        string // the meeting's date, YYYY-MM-DD
	// Version is a closed plan's number; for a live plan, the number it will get.
	Version int
	// Live is true for a plan that is still being written.
	Live bool
	// Stamp is when the plan was closed, or when a live plan was read.
	Stamp          time.Time
	Parties        []PartyAtTable
	Strengths      []Strength
	Agreed         bool   // the coordinator confirmed the top 3
	OverrideReason string // why the top 3 differs from the vote, if it does
	Top3           []Worry
	Actions        []Action // grouped by worry rank; actions of worries outside the top 3 last
	Regisseur      *Regisseur
	NextEvaluation string // YYYY-MM-DD, or empty
	Dissent        []Dissent
	Akkoord        []Akkoord
	// Changes is, for a follow-up meeting, what changed since the previous plan; nil otherwise.
	Changes *meeting.ChangeSet
	// Shape is the plan's shape; Safety is the Signs of Safety part, nil for the plain plan.
	Shape  meeting.Shape
	Safety *SafetyDoc
	// Contact is how to reach the regisseur, when the coordinator entered it.
	Contact *meeting.Contact
}

// PartyAtTable is a party and the names of its admitted people, in speaking order.
type PartyAtTable struct {
	ID     string
	Name   string
	Kind   meeting.PartyKind
	People []string
}

// Strength is one revealed "what goes well".
type Strength struct {
	PartyID string
	Party   string
	Text    string
}

// Worry is one of the agreed top 3, with its goal and score.
type Worry struct {
	Rank       int // 1, 2 or 3
	ID         string
	Text       string
	Domain     string   // a Zelfredzaamheid-Matrix domain, or empty
	AlsoSaidAs []string // the texts of worries merged into this one
	RaisedBy   []string // party names, in speaking order
	Goal       string
	ScoreNow   *int // 0-10, or nil when not scored
}

// Action is one step of the plan.
type Action struct {
	ID           string
	WorryID      string
	WorryRank    int // 0 when the worry is no longer in the top 3
	What         string
	OwnerPartyID string
	Owner        string // the owner party's name
	Due          string // YYYY-MM-DD, or empty
	Status       meeting.ActionStatus
}

// Regisseur is the one party that keeps the overview, and its contact role.
type Regisseur struct {
	PartyID string
	Party   string
	Role    string
}

// Dissent is a recorded disagreement: which party, and what was said.
type Dissent struct {
	PartyID string
	Party   string
	Text    string
}

// Akkoord is a family member's consent to the top 3.
type Akkoord struct {
	Name    string
	PartyID string
	Party   string
}

// FromMeeting builds the document for a meeting as its coordinator sees it. See FromView.
func FromMeeting(m *meeting.Meeting, version *meeting.PlanVersion, lang Lang, now time.Time) Document {
	return FromView(m.ViewFor(meeting.Viewer{Role: meeting.RoleCoordinator}), version, lang, now)
}

// FromView builds the document from a coordinator's view of a meeting. With a
// version it shows that closed plan; without one it shows the live plan, or the
// latest closed plan when the meeting is closed. now stamps a live plan.
func FromView(v meeting.View, version *meeting.PlanVersion, lang Lang, now time.Time) Document {
	if version == nil && v.Phase == meeting.PhaseClosed && len(v.Versions) > 0 {
		version = &v.Versions[len(v.Versions)-1]
	}
	d := Document{Lang: lang, MeetingID: v.ID, FamilyLabel: v.FamilyLabel, Title: v.Title, Date: v.Date,
		Parties: []PartyAtTable{}, Strengths: []Strength{}, Top3: []Worry{}, Actions: []Action{},
		Dissent: []Dissent{}, Akkoord: []Akkoord{}}
	plan, top3 := v.Plan, v.Agreement.WorryIDs
	if version != nil {
		plan, top3 = version.Plan, version.Top3
		d.Version, d.Stamp, d.Agreed = version.Number, version.ClosedAt.UTC(), true
	} else {
		d.Version, d.Live, d.Stamp, d.Agreed = len(v.Versions)+1, true, now.UTC().Truncate(time.Second), v.Agreement.Confirmed
	}

	parties := append([]meeting.Party(nil), v.Parties...)
	sort.SliceStable(parties, func(i, j int) bool { return parties[i].Order < parties[j].Order })
	name := map[string]string{}
	order := map[string]int{}
	for i, p := range parties {
		name[p.ID], order[p.ID] = p.Name, i
	}
	people := map[string]string{}
	for _, p := range v.Participants {
		people[p.ID] = p.Name
	}
	for _, p := range parties {
		pt := PartyAtTable{ID: p.ID, Name: p.Name, Kind: p.Kind, People: []string{}}
		for _, x := range v.Participants {
			if x.PartyID == p.ID && x.Status == meeting.StatusAdmitted {
				pt.People = append(pt.People, x.Name)
			}
		}
		d.Parties = append(d.Parties, pt)
	}

	// Items: only what the table saw. Drafts never leave the room.
	var strengths []meeting.Item
	items := map[string]meeting.Item{}
	for _, it := range v.Items {
		if !it.Revealed || it.Withdrawn {
			continue
		}
		items[it.ID] = it
		if it.Kind == meeting.KindStrength {
			strengths = append(strengths, it)
		}
	}
	sort.SliceStable(strengths, func(i, j int) bool { return order[strengths[i].PartyID] < order[strengths[j].PartyID] })
	for _, it := range strengths {
		d.Strengths = append(d.Strengths, Strength{PartyID: it.PartyID, Party: name[it.PartyID], Text: it.Text})
	}

	rank := map[string]int{}
	for i, id := range top3 {
		it, ok := items[id]
		if !ok {
			continue
		}
		rank[id] = i + 1
		w := Worry{Rank: i + 1, ID: id, Text: it.Text, Domain: it.Domain, AlsoSaidAs: []string{}}
		raised := map[string]bool{it.PartyID: true}
		for _, o := range v.Items {
			if _, seen := items[o.ID]; seen && o.Kind == meeting.KindWorry && o.ID != id && rootOf(items, o.ID) == id {
				w.AlsoSaidAs = append(w.AlsoSaidAs, o.Text)
				raised[o.PartyID] = true
			}
		}
		w.RaisedBy = partyNames(parties, raised)
		for _, g := range plan.Goals {
			if g.WorryID == id {
				w.Goal, w.ScoreNow = g.Goal, g.ScoreNow
			}
		}
		d.Top3 = append(d.Top3, w)
	}
	for _, a := range plan.Actions {
		d.Actions = append(d.Actions, Action{ID: a.ID, WorryID: a.WorryID, WorryRank: rank[a.WorryID], What: a.What,
			OwnerPartyID: a.OwnerPartyID, Owner: name[a.OwnerPartyID], Due: a.Due, Status: a.Status})
	}
	sort.SliceStable(d.Actions, func(i, j int) bool { return rankKey(d.Actions[i].WorryRank) < rankKey(d.Actions[j].WorryRank) })

	if plan.RegisseurPartyID != "" {
		d.Regisseur = &Regisseur{PartyID: plan.RegisseurPartyID, Party: name[plan.RegisseurPartyID], Role: plan.RegisseurRole}
	}
	d.NextEvaluation = plan.NextEvaluation
	d.OverrideReason = v.Agreement.OverrideReason
	for _, x := range v.Agreement.Dissent {
		d.Dissent = append(d.Dissent, Dissent{PartyID: x.PartyID, Party: name[x.PartyID], Text: x.Text})
	}
	for _, k := range v.Agreement.Akkoord {
		d.Akkoord = append(d.Akkoord, Akkoord{Name: people[k.ParticipantID], PartyID: k.PartyID, Party: name[k.PartyID]})
	}
	d.Changes = v.WhatChanged(version)
	d.fillSafety(v, version, plan)
	return d
}

// rootOf follows merges to the worry that now stands for id.
func rootOf(items map[string]meeting.Item, id string) string {
	for range len(items) + 1 { // bounded: merges form no cycle, but never loop forever
		it, ok := items[id]
		if !ok || it.MergedInto == "" {
			return id
		}
		id = it.MergedInto
	}
	return id
}

// rankKey puts actions of the top 3 in rank order and the rest after them.
func rankKey(r int) int {
	if r == 0 {
		return 4
	}
	return r
}

// partyNames returns the names of the parties in set, in speaking order.
func partyNames(parties []meeting.Party, set map[string]bool) []string {
	out := []string{}
	for _, p := range parties {
		if set[p.ID] {
			out = append(out, p.Name)
		}
	}
	return out
}

// actionsFor returns the actions of the worry with rank r (0: outside the top 3).
func (d Document) actionsFor(r int) []Action {
	var out []Action
	for _, a := range d.Actions {
		if a.WorryRank == r {
			out = append(out, a)
		}
	}
	return out
}
