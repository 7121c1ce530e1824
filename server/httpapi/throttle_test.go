package httpapi

import (
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
