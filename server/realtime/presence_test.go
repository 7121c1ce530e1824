package realtime

import (
	"context"
	"log/slog"
	"slices"
	"testing"
	"time"
)

// Another instance's word on who is online counts until it is overtaken by a newer
// word or goes stale: a crashed instance's people drop out after presenceTTL.
func TestRemotePresence(t *testing.T) {
	hub := NewHub(oneMeetingStore{}, NewMemoryBroker(), slog.New(slog.DiscardHandler))
	now := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	hub.now = func() time.Time { return now }
	r, err := hub.acquire(context.Background(), "m1")
	if err != nil {
		t.Fatal(err)
	}
	online := func() []string {
		r.mu.Lock()
		defer r.mu.Unlock()
		return slices.Clone(r.online)
	}
	hub.remotePresence("m1", "instance-b", []string{"p1", "p2"}, 2)
	if got := online(); !slices.Equal(got, []string{"p1", "p2"}) {
		t.Fatalf("online = %v, want instance B's people", got)
	}
	hub.remotePresence("m1", "instance-b", []string{"p1"}, 1) // older, arrived late
	if got := online(); !slices.Equal(got, []string{"p1", "p2"}) {
		t.Fatalf("an older message undid a newer one: %v", got)
	}
	hub.remotePresence("m1", "instance-c", []string{"coordinator"}, 1)
	if got := online(); !slices.Equal(got, []string{"coordinator", "p1", "p2"}) {
		t.Fatalf("online = %v, want both instances' people", got)
	}
	// Instance C keeps repeating itself; B has crashed and says nothing more.
	now = now.Add(presenceTTL + time.Second)
	hub.remotePresence("m1", "instance-c", []string{"coordinator"}, 2)
	if got := online(); !slices.Equal(got, []string{"coordinator"}) {
		t.Fatalf("online after B went quiet = %v, want only C's coordinator", got)
	}
}
