package realtime

import (
	"slices"
	"testing"
	"time"
)

// Another instance's word on who is online counts until it is overtaken by a newer
// word or goes stale: a crashed instance's people drop out after presenceTTL.
func TestRemotePresence(t *testing.T) {
	hub := newTestHub()
	now := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	hub.SetClock(func() time.Time { return now })
	r := hub.roomOf("m1", true)
	online := func() []string {
		r.mu.Lock()
		defer r.mu.Unlock()
		return slices.Clone(r.online)
	}
	hub.Presence("m1", "instance-b", []string{"p1", "p2"}, 2)
	if got := online(); !slices.Equal(got, []string{"p1", "p2"}) {
		t.Fatalf("online = %v, want instance B's people", got)
	}
	hub.Presence("m1", "instance-b", []string{"p1"}, 1) // older, arrived late
	if got := online(); !slices.Equal(got, []string{"p1", "p2"}) {
		t.Fatalf("an older message undid a newer one: %v", got)
	}
	hub.Presence("m1", "instance-c", []string{"coordinator"}, 1)
	if got := online(); !slices.Equal(got, []string{"coordinator", "p1", "p2"}) {
		t.Fatalf("online = %v, want both instances' people", got)
	}
	// Instance C keeps repeating itself; B has crashed and says nothing more.
	now = now.Add(presenceTTL + time.Second)
	hub.Presence("m1", "instance-c", []string{"coordinator"}, 2)
	if got := online(); !slices.Equal(got, []string{"coordinator"}) {
		t.Fatalf("online after B went quiet = %v, want only C's coordinator", got)
	}
}
