// Package realtime runs live meetings: per meeting a room with its connections,
// commands carried out through the store, and committed events fanned out to
// everyone who may see them, through a Broker so that several instances can
// serve one meeting.
package realtime

import (
	"context"
	"sync"

	"github.com/tafel-met/tafel/server/meeting"
)

// Broker carries committed events to every instance that serves the meeting.
type Broker interface {
	// Publish hands committed events to every subscriber, this instance included.
	Publish(ctx context.Context, meetingID string, events []meeting.Event) error
	// Subscribe sets the one function that receives published events, and the one
	// that catches a meeting up from the database after the broker may have missed
	// some (a reconnect to Redis, say).
	Subscribe(deliver func(meetingID string, events []meeting.Event), resync func(meetingID string),
		presence func(meetingID, instance string, online []string, version int64))
	// PublishPresence tells the other instances who is connected to a meeting here;
	// version grows with each change, so a late message never undoes a newer one.
	PublishPresence(ctx context.Context, orgID, meetingID string, online []string, version int64) error
	// Follow starts delivering a meeting's events from other instances here; each
	// Follow is matched by one Unfollow.
	Follow(ctx context.Context, orgID, meetingID string) error
	// Unfollow stops that once nobody here follows the meeting.
	Unfollow(ctx context.Context, meetingID string) error
	// Close stops delivery.
	Close() error
}

// MemoryBroker is the Broker of a single instance: Publish delivers at once, in
// the caller's goroutine, so events reach local connections in commit order.
type MemoryBroker struct {
	mu      sync.RWMutex
	deliver func(string, []meeting.Event)
}

var _ Broker = (*MemoryBroker)(nil)

// NewMemoryBroker returns a broker for one instance.
func NewMemoryBroker() *MemoryBroker { return &MemoryBroker{} }

// Publish delivers events to the subscriber.
func (b *MemoryBroker) Publish(_ context.Context, meetingID string, events []meeting.Event) error {
	b.mu.RLock()
	deliver := b.deliver
	b.mu.RUnlock()
	if deliver != nil {
		deliver(meetingID, events)
	}
	return nil
}

// Subscribe sets the receiver of events; one instance never needs a resync and
// hears no other instance's presence.
func (b *MemoryBroker) Subscribe(deliver func(string, []meeting.Event), _ func(string), _ func(string, string, []string, int64)) {
	b.mu.Lock()
	b.deliver = deliver
	b.mu.Unlock()
}

// PublishPresence does nothing: there is no other instance.
func (b *MemoryBroker) PublishPresence(context.Context, string, string, []string, int64) error {
	return nil
}

// Follow does nothing: every event is published here.
func (b *MemoryBroker) Follow(context.Context, string, string) error { return nil }

// Unfollow does nothing.
func (b *MemoryBroker) Unfollow(context.Context, string) error { return nil }

// Close stops delivery.
func (b *MemoryBroker) Close() error {
	b.Subscribe(nil, nil, nil)
	return nil
}
