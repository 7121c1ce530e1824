package app

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tafel-met/tafel/server/meeting"
)

// deadBroker fails every publish after waiting for its context, as a Redis
// that holds connections does, and counts the tries.
type deadBroker struct {
	LocalBroker
	tries atomic.Int64
}

func (b *deadBroker) Publish(ctx context.Context, _, _ string, _ []meeting.Event) error {
	b.tries.Add(1)
	<-ctx.Done()
	return errors.New("redis: i/o timeout")
}

// TestPublisherBreaker: with a dead broker, 100 publishes queued behind one
// another cost one try (one timeout), not 100: the rest are skipped while the
// breaker is open, and the other instances read them from the database.
func TestPublisherBreaker(t *testing.T) {
	b := &deadBroker{}
	p := &publisher{broker: b, log: slog.New(slog.NewTextHandler(io.Discard, nil)), observer: func() Observer { return nopObserver{} }, queue: make(chan published, publishQueue), done: make(chan struct{}), now: func() time.Time { return time.Unix(1e9, 0) }}
	for i := range 100 {
		p.publish("org", "m", []meeting.Event{{Seq: int64(i + 1)}})
	}
	go p.run()
	defer p.close()
	// One try times out, the breaker opens (the clock stands still), and the
	// rest are skipped.
	skipped := func() int {
		p.brk.mu.Lock()
		defer p.brk.mu.Unlock()
		return p.brk.skipped
	}
	for end := time.Now().Add(time.Minute); skipped() < 99 && time.Now().Before(end); {
		time.Sleep(10 * time.Millisecond)
	}
	if n, s := b.tries.Load(), skipped(); n != 1 || s != 99 {
		t.Fatalf("%d tries and %d skipped of 100 queued, want 1 and 99", n, s)
	}
}
