package httpapi_test

import (
	"strings"
	"testing"

	"github.com/tafel-met/tafel/server/store"
)

// Guessing child codes is throttled like guessing join codes, with one count for
// both routes: switching routes does not start the guessing over.
func TestChildCodeGuessingThrottled(t *testing.T) {
	ts := newTenancyServer(t, store.SQLite)
	a := ts.tenant("Organisatie A", "a@example.org")
	cc := childCodeOf(t, ts, a)
	for i := 0; i < 5; i++ {
		wantStatus(t, ts, 404, "GET", "/api/child/GUESS"+strings.Repeat("X", i%3+1)+"QQ", "", nil)
		wantStatus(t, ts, 404, "POST", "/api/join/GUESS"+strings.Repeat("Y", i%3+1)+"QQ", "", map[string]string{"name": "X", "partyId": "party1"})
	}
	wantStatus(t, ts, 404, "GET", "/api/join/ZZZZZZZZ", "", nil)
	// The eleventh wrong guess started a delay: even the right child code waits now.
	if code, body := ts.do("GET", "/api/child/"+cc.Code, "", nil); code != 429 {
		t.Fatalf("after 11 wrong codes: %d %s, want 429", code, body)
	}
	if code, body := ts.do("PUT", "/api/child/"+cc.Code, "", map[string]string{"worries": "x"}); code != 429 {
		t.Fatalf("after 11 wrong codes a save: %d %s, want 429", code, body)
	}
}
