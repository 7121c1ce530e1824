package app

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/tafel-met/tafel/server/meeting"
)

// publisher hands committed events to the broker from its own goroutine, so a
// meeting never waits on Redis: a slow or absent broker delays only the other
// instances, which catch up from the database (WatchSeqs) when it is late.
type publisher struct {
	broker   Broker
	log      *slog.Logger
	observer func() Observer
	queue    chan published
	done     chan struct{}
	brk      breaker
	now      func() time.Time // the breaker's clock; tests stop it
}

// breaker stops trying a broker that just failed, for breakerOpen: a dead
// Redis then costs one timeout per breakerOpen, not one per change queued
// behind it. Skipped publishes are no loss: other instances catch up from
// the database (WatchSeqs).
type breaker struct {
	mu        sync.Mutex
	openUntil time.Time
	skipped   int
}

const breakerOpen = 5 * time.Second

// allow says whether to try the broker now.
func (b *breaker) allow(now time.Time) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	if now.Before(b.openUntil) {
		b.skipped++
		return false
	}
	return true
}

// result records how a try went; it reports how many were skipped before a
// success that closes the breaker.
func (b *breaker) result(now time.Time, err error) (skipped int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if err != nil {
		b.openUntil = now.Add(breakerOpen)
		return 0
	}
	skipped, b.skipped, b.openUntil = b.skipped, 0, time.Time{}
	return skipped
}

type published struct {
	orgID, meetingID string
	events           []meeting.Event
}

// publishQueue bounds what waits for the broker; beyond it events are dropped
// (and logged): other instances find them in the database.
const (
	publishQueue   = 4096
	publishTimeout = 2 * time.Second
)

func newPublisher(b Broker, log *slog.Logger, observer func() Observer) *publisher {
	p := &publisher{broker: b, log: log, observer: observer, queue: make(chan published, publishQueue), done: make(chan struct{}), now: time.Now}
	if _, local := b.(LocalBroker); !local {
		go p.run()
	}
	return p
}

func (p *publisher) publish(orgID, meetingID string, events []meeting.Event) {
	if _, local := p.broker.(LocalBroker); local {
		return
	}
	select {
	case p.queue <- published{orgID, meetingID, events}:
	default:
		p.log.Warn("publish queue full; other instances catch up from the database", "meeting", meetingID)
	}
}

func (p *publisher) run() {
	for {
		select {
		case <-p.done:
			return
		case m := <-p.queue:
			if !p.brk.allow(p.now()) {
				continue
			}
			ctx, cancel := context.WithTimeout(context.Background(), publishTimeout)
			err := p.broker.Publish(ctx, m.orgID, m.meetingID, m.events)
			cancel()
			if skipped := p.brk.result(p.now(), err); skipped > 0 {
				p.log.Info("broker back", "skipped", skipped)
			}
			if err != nil {
				p.observer().RedisError()
				p.log.Warn("publish failed; other instances catch up from the database", "meeting", m.meetingID, "err", err)
			}
		}
	}
}

func (p *publisher) close() {
	select {
	case <-p.done:
	default:
		close(p.done)
	}
}
