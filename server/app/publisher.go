package app

import (
	"context"
	"log/slog"
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
	p := &publisher{broker: b, log: log, observer: observer, queue: make(chan published, publishQueue), done: make(chan struct{})}
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
			ctx, cancel := context.WithTimeout(context.Background(), publishTimeout)
			if err := p.broker.Publish(ctx, m.orgID, m.meetingID, m.events); err != nil {
				p.observer().RedisError()
				p.log.Warn("publish failed; other instances catch up from the database", "meeting", m.meetingID, "err", err)
			}
			cancel()
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
