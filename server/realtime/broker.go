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
	// Subscribe sets the one function that receives published events.
	Subscribe(deliver func(meetingID string, events []meeting.Event))
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

// Subscribe sets the receiver of events.
func (b *MemoryBroker) Subscribe(deliver func(string, []meeting.Event)) {
	b.mu.Lock()
	b.deliver = deliver
	b.mu.Unlock()
}

// Close stops delivery.
func (b *MemoryBroker) Close() error {
	b.Subscribe(nil)
	return nil
}
