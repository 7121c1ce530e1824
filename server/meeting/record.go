package meeting

import (
	"errors"
	"time"
)

// ErrNotFound says a meeting (or another stored thing) does not exist, or
// belongs to another organisation.
var ErrNotFound = errors.New("not found")

// This file holds the values that leave the domain to be kept: a meeting's
// identity as its organisation knows it, the audit entries that say who did
// what, and the unit in which a change of a meeting is stored. They are the
// words in which the application layer speaks to the store.

// Info is a meeting as its organisation lists it.
type Info struct {
	ID             string    `json:"id"`
	OrganisationID string    `json:"-"`
	FamilyID       string    `json:"familyId"`
	FamilyLabel    string    `json:"familyLabel"`
	Title          string    `json:"title"`
	Date           string    `json:"date"`
	Phase          Phase     `json:"phase"`
	JoinCode       string    `json:"joinCode"`
	CreatedAt      time.Time `json:"createdAt"`
	// FollowsMeetingID is the meeting a follow-up was made from; "" for a first meeting.
	FollowsMeetingID string `json:"followsMeetingId"`
	// EndedWithoutPlan is true for a closed meeting that ended with meeting.abandon.
	EndedWithoutPlan bool `json:"endedWithoutPlan"`
}

// Stored is what the store keeps of a meeting for its live session: the state
// rebuilt from its event log, its info, and the head of its audit chain.
type Stored struct {
	Meeting *Meeting
	Info    Info
	Audit   ChainHead
}

// ParticipantToken is what a participant's secret token unlocks.
type ParticipantToken struct {
	MeetingID      string
	ParticipantID  string
	Status         ParticipantStatus
	OrganisationID string
	FamilyID       string
}

// Audit actions, in the words of NEN 7513.
const (
	AuditRead        = "read"
	AuditCreate      = "create"
	AuditUpdate      = "update"
	AuditDelete      = "delete"
	AuditExport      = "export"
	AuditLogin       = "login"
	AuditLoginFailed = "login_failed"
	AuditLogout      = "logout"
	AuditDenied      = "denied"
	// AuditCheckpoint records in an organisation's chain the head of one
	// meeting's chain, so that cutting that chain's tail is found.
	AuditCheckpoint = "checkpoint"
)

// AuditEntry is one access to personal data, or a sign-in, or a refusal.
type AuditEntry struct {
	OrganisationID string // "" for events outside any organisation (an unknown email)
	ActorType      string // user, participant, system, anonymous
	ActorID        string
	ActorRole      string // admin, coordinator, participant, screen
	OnBehalfOf     string // the party a coordinator typed for, if any
	Action         string
	ObjectType     string // meeting, family, plan, participant, account
	ObjectID       string
	FamilyID       string
	Outcome        string // ok, denied, failed
	Detail         string // the command name, say; never personal text
	Address        string
	UserAgent      string
	At             time.Time
}

// CommandKey identifies a command for idempotency: the same actor resending the
// same id gets the first answer. An empty ID is never deduplicated.
type CommandKey struct {
	Actor string
	ID    string
}

// ChainHead is the last entry of a meeting's audit chain: its number and hash.
// The zero value is the head of an empty chain.
type ChainHead struct {
	Seq  int64
	Hash string
}

// Commit is one change of a meeting to store atomically: the events of one or
// more commands decided on the meeting at FromSeq, the command ids they answer,
// and the audit entries that describe them, chained onto AuditFrom.
type Commit struct {
	OrganisationID string
	FamilyID       string
	MeetingID      string
	FromSeq        int64     // the meeting's seq the commands were decided on
	AuditFrom      ChainHead // the meeting's audit chain head they were decided on
	Events         []Event   // seq FromSeq+1, FromSeq+2, ...; empty for an audit-only commit
	Phase          Phase     // the phase after the events
	Commands       []StoredCommand
	Audit          []AuditEntry
	// JoinTokens holds, per participant who joins in this commit, the hash of
	// the secret token that identifies them from now on.
	JoinTokens map[string]string
}

// StoredCommand is a command id with the seq its answer carries.
type StoredCommand struct {
	Key CommandKey
	Seq int64
}

// Committed is the store's answer to a Commit. Stale says the meeting moved on
// since FromSeq (another instance committed): nothing was stored. Duplicates
// lists the commands whose id was stored before, with the seq of their first
// answer: nothing was stored either, and the caller decides again without them.
type Committed struct {
	Stale      bool
	Duplicates map[CommandKey]int64
	Head       ChainHead // the audit chain head after the commit
}

// LastSeq is the seq of c's last event, or FromSeq when it has none.
func (c Commit) LastSeq() int64 {
	if len(c.Events) == 0 {
		return c.FromSeq
	}
	return c.Events[len(c.Events)-1].Seq
}
