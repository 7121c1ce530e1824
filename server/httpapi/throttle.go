package httpapi

import (
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// joinsPerMeetingPerMinute bounds how fast people can join one meeting: a table
// has tens of people, so a flood of joiners is an attack, not a meeting.
const joinsPerMeetingPerMinute = 30

// joinsPerAddressPerMinute bounds joins from one address to one meeting, so that
// whoever has the code cannot use up the meeting's joins and keep the family
// out. A meeting room's phones often share one address (its Wi-Fi), so the
// burst seats a whole table at once.
const (
	joinsPerAddressPerMinute = 10
	joinsPerAddressBurst     = 15
)

// joinLimiter bounds joins per meeting and per address within a meeting.
type joinLimiter struct {
	perMeeting, perAddress *keyedLimiter
}

func newJoinLimiter() *joinLimiter {
	return &joinLimiter{perMeeting: newKeyedLimiter(joinsPerMeetingPerMinute, joinsPerMeetingPerMinute),
		perAddress: newKeyedLimiter(joinsPerAddressPerMinute, joinsPerAddressBurst)}
}

// allow says whether address may join meetingID now. The address is asked
// first: a flood from one address does not spend the meeting's joins.
func (j *joinLimiter) allow(meetingID, address string) bool {
	return j.perAddress.allow(meetingID+"|"+address) && j.perMeeting.allow(meetingID)
}

// keyedLimiter is a token bucket per key, forgotten when idle.
type keyedLimiter struct {
	mu       sync.Mutex
	limit    rate.Limit
	burst    int
	limiters map[string]*rate.Limiter
}

func newKeyedLimiter(perMinute, burst int) *keyedLimiter {
	return &keyedLimiter{limit: rate.Limit(float64(perMinute) / 60), burst: burst, limiters: map[string]*rate.Limiter{}}
}

func (k *keyedLimiter) allow(key string) bool {
	k.mu.Lock()
	defer k.mu.Unlock()
	l := k.limiters[key]
	if l == nil {
		if len(k.limiters) > 10_000 {
			k.limiters = map[string]*rate.Limiter{} // full buckets again: a reset, never a lock-out
		}
		l = rate.NewLimiter(k.limit, k.burst)
		k.limiters[key] = l
	}
	return l.Allow()
}

// backoff counts failures per key and refuses a key for a growing time after too
// many: login attempts per email and address, join-code guesses per address.
type backoff struct {
	mu      sync.Mutex
	free    int           // failures allowed before any delay
	base    time.Duration // first delay; it doubles with every further failure
	max     time.Duration
	forget  time.Duration // a key with no failure for this long starts afresh
	entries map[string]*backoffEntry
	now     func() time.Time
}

type backoffEntry struct {
	failures int
	last     time.Time
	until    time.Time
}

func newBackoff(free int, base, max, forget time.Duration) *backoff {
	return &backoff{free: free, base: base, max: max, forget: forget, entries: map[string]*backoffEntry{}, now: time.Now}
}

// wait returns how long key must still wait; zero means go ahead.
func (b *backoff) wait(key string) time.Duration {
	b.mu.Lock()
	defer b.mu.Unlock()
	e := b.entries[key]
	if e == nil {
		return 0
	}
	now := b.now()
	if now.Sub(e.last) > b.forget {
		delete(b.entries, key)
		return 0
	}
	if d := e.until.Sub(now); d > 0 {
		return d
	}
	return 0
}

// fail records a failure for key.
func (b *backoff) fail(key string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	now := b.now()
	if len(b.entries) > 100_000 {
		b.sweepLocked(now)
	}
	e := b.entries[key]
	if e == nil || now.Sub(e.last) > b.forget {
		e = &backoffEntry{}
		b.entries[key] = e
	}
	e.failures++
	e.last = now
	if over := e.failures - b.free; over > 0 {
		d := b.base << min(over-1, 20)
		if d > b.max || d <= 0 {
			d = b.max
		}
		e.until = now.Add(d)
	}
}

// succeed forgets a key's failures.
func (b *backoff) succeed(key string) {
	b.mu.Lock()
	delete(b.entries, key)
	b.mu.Unlock()
}

func (b *backoff) sweepLocked(now time.Time) {
	for k, e := range b.entries {
		if now.Sub(e.last) > b.forget {
			delete(b.entries, k)
		}
	}
}
