// Package app is Tafel's application layer. It owns each live meeting's state
// and runs every change of a meeting, from a websocket or from REST, the same
// way: decide in the domain, store the events, the command ids and the audit
// rows in ONE transaction, answer, and only then publish. The interfaces it
// needs are declared here, in the domain's words; main wires the store, the
// broker and the realtime hub into them.
package app

import (
	"context"
	"time"

	"github.com/tafel-met/tafel/server/meeting"
)

// Store is what the application needs of the database.
type Store interface {
	// OpenMeeting loads a meeting's state, info and audit chain head.
	OpenMeeting(ctx context.Context, id string) (meeting.Stored, error)
	// Commit stores one change atomically, or says it is stale or a duplicate.
	Commit(ctx context.Context, c meeting.Commit) (meeting.Committed, error)
	// FindCommand returns the seq of a command id's first answer, if stored.
	FindCommand(ctx context.Context, meetingID string, key meeting.CommandKey) (int64, bool, error)
	// EventsSince returns a meeting's events with seq in (after, upTo].
	EventsSince(ctx context.Context, meetingID string, after, upTo int64) ([]meeting.Event, error)
	// MeetingHead returns a meeting's stored seq and audit chain head.
	MeetingHead(ctx context.Context, id string) (int64, meeting.ChainHead, error)
	// LastSeqs returns the stored seq of each meeting that exists.
	LastSeqs(ctx context.Context, ids []string) (map[string]int64, error)
	// Audit appends an entry that belongs to no meeting to its organisation's chain.
	Audit(ctx context.Context, e meeting.AuditEntry) error
}

// Listener hears what happens to live meetings on this instance: the realtime
// hub, which fans events out to sockets. Committed and Erased are called by the
// meeting's one executor, in seq order, while no other change of the meeting
// can land; they must not block nor call back into the Service.
type Listener interface {
	// Committed gives the events just stored (or learnt from another
	// instance) with the meeting's state after them.
	Committed(info meeting.Info, m *meeting.Meeting, events []meeting.Event)
	// Erased says a meeting's data is gone: its connections must close.
	Erased(meetingID string)
	// Presence says who another instance has connected to a meeting.
	Presence(meetingID, instance string, online []string, version int64)
}

// Broker carries committed events and presence between instances. This
// instance's own connections never wait on it: they get events from the
// Service directly.
type Broker interface {
	// Publish sends committed events to the other instances.
	Publish(ctx context.Context, orgID, meetingID string, events []meeting.Event) error
	// PublishPresence tells the other instances who is connected here;
	// version grows with each change, so a late message never undoes a newer one.
	PublishPresence(ctx context.Context, orgID, meetingID string, online []string, version int64) error
	// Follow starts delivering a meeting's events from other instances; each
	// Follow is matched by one Unfollow.
	Follow(ctx context.Context, orgID, meetingID string) error
	// Unfollow stops that once nobody here follows the meeting.
	Unfollow(ctx context.Context, meetingID string) error
	// Subscribe sets the one handler of what arrives from other instances.
	Subscribe(h BrokerHandler)
	// Close stops delivery.
	Close() error
}

// BrokerHandler receives what other instances sent.
type BrokerHandler interface {
	// HandleEvents receives events another instance committed.
	HandleEvents(meetingID string, events []meeting.Event)
	// HandleResync says the broker may have missed events of a meeting (it
	// reconnected): the meeting catches up from the database.
	HandleResync(meetingID string)
	// HandlePresence receives who another instance has connected to a meeting.
	HandlePresence(meetingID, instance string, online []string, version int64)
}

// Observer counts what the command path does, for the operator's metrics.
// Codes are meeting error codes, or "ok" for a change that was stored.
type Observer interface {
	CommandDone(name, code string, decide, store, fanout time.Duration)
	RedisError()
}

// CodeOK is the outcome of a change that was stored.
const CodeOK = "ok"

type nopObserver struct{}

func (nopObserver) CommandDone(string, string, time.Duration, time.Duration, time.Duration) {}
func (nopObserver) RedisError()                                                             {}

// LocalBroker is the Broker of a single instance: there is nobody to tell.
type LocalBroker struct{}

var _ Broker = LocalBroker{}

// Publish does nothing: local connections already have the events.
func (LocalBroker) Publish(context.Context, string, string, []meeting.Event) error { return nil }

// PublishPresence does nothing: there is no other instance.
func (LocalBroker) PublishPresence(context.Context, string, string, []string, int64) error {
	return nil
}

// Follow does nothing.
func (LocalBroker) Follow(context.Context, string, string) error { return nil }

// Unfollow does nothing.
func (LocalBroker) Unfollow(context.Context, string) error { return nil }

// Subscribe does nothing: nothing ever arrives.
func (LocalBroker) Subscribe(BrokerHandler) {}

// Close does nothing.
func (LocalBroker) Close() error { return nil }
