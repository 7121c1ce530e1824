package httpapi

import (
	"fmt"
	"testing"
	"time"

	"github.com/alexedwards/argon2id"
)

func TestBackoffGrows(t *testing.T) {
	now := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	b := newBackoff(5, time.Second, 15*time.Minute, time.Hour)
	b.now = func() time.Time { return now }
	for i := 0; i < 5; i++ {
		b.fail("k")
		if d := b.wait("k"); d != 0 {
			t.Fatalf("failure %d: wait %s, want none within the free tries", i+1, d)
		}
	}
	var waits []time.Duration
	for i := 0; i < 4; i++ {
		b.fail("k")
		waits = append(waits, b.wait("k"))
	}
	want := []time.Duration{time.Second, 2 * time.Second, 4 * time.Second, 8 * time.Second}
	for i := range want {
		if waits[i] != want[i] {
			t.Fatalf("waits = %v, want %v", waits, want)
		}
	}
	for i := 0; i < 30; i++ {
		b.fail("k")
	}
	if d := b.wait("k"); d != 15*time.Minute {
		t.Fatalf("wait after many failures = %s, want the 15m cap", d)
	}
	if d := b.wait("other"); d != 0 {
		t.Fatalf("another key waits %s", d)
	}
	now = now.Add(2 * time.Hour)
	if d := b.wait("k"); d != 0 {
		t.Fatalf("after an hour without failures: wait %s", d)
	}
	b.fail("k")
	if d := b.wait("k"); d != 0 {
		t.Fatalf("a forgotten key starts afresh, but waits %s", d)
	}
}

// The hash compared against for unknown emails must be a valid argon2id hash, or
// an unknown email would answer faster than a known one.
func TestDummyHashIsValid(t *testing.T) {
	ok, err := argon2id.ComparePasswordAndHash("any", dummyHash)
	if err != nil || ok {
		t.Fatalf("dummy hash: match %v, err %v", ok, err)
	}
}

// One address flooding a meeting's join is stopped before it uses up the
// meeting's joins: people on other addresses still get in.
func TestJoinLimiterPerAddress(t *testing.T) {
	j := newJoinLimiter()
	flood := 0
	for j.allow("m1", "192.0.2.7") {
		flood++
		if flood > 100 {
			t.Fatal("one address is never limited")
		}
	}
	if flood != joinsPerAddressBurst {
		t.Fatalf("one address joined %d times at once, want %d", flood, joinsPerAddressBurst)
	}
	if !j.allow("m1", "198.51.100.4") {
		t.Fatal("another address is refused after one address's flood")
	}
	if !j.allow("m2", "192.0.2.7") {
		t.Fatal("the flooding address is refused in another meeting")
	}
	// The meeting's own bound still holds over many addresses.
	n := 0
	for i := 0; i < 100; i++ {
		if j.allow("m3", fmt.Sprintf("203.0.113.%d", i)) {
			n++
		}
	}
	if n != joinsPerMeetingPerMinute {
		t.Fatalf("%d joins over many addresses, want the meeting's %d", n, joinsPerMeetingPerMinute)
	}
}
