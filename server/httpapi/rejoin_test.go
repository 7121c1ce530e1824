package httpapi_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/tafel-met/tafel/server/meeting"
	"github.com/tafel-met/tafel/server/store"
)

// TestJoinAgain: a phone that joined a meeting and opens the join link again
// (the QR code rescanned, the back button, a closed tab) is that same person:
// the join page says so and a join without newPerson answers that participant.
// Only an explicit newPerson makes a second person on the same phone.
func TestJoinAgain(t *testing.T) {
	ts := newTenancyServer(t, store.SQLite)
	a := ts.tenant("Organisatie A", "a@example.org")
	b := ts.tenant("Organisatie B", "b@example.org")
	people := func() []meeting.Participant {
		t.Helper()
		var v meeting.View
		_ = json.Unmarshal(wantStatus(t, ts, 200, "GET", "/api/meetings/"+a.meetingID+"/snapshot", a.cookie, nil), &v)
		return v.Participants
	}
	joinedAs := func(p *phone, code string) string {
		t.Helper()
		resp, body := p.do("GET", "/api/join/"+code, "")
		if resp.StatusCode != 200 {
			t.Fatalf("join info: %d %s", resp.StatusCode, body)
		}
		var info struct {
			Joined *struct{ ParticipantID string }
		}
		_ = json.Unmarshal(body, &info)
		if info.Joined == nil {
			return ""
		}
		return info.Joined.ParticipantID
	}
	before := len(people())
	p := newPhone(t, ts)
	if id := joinedAs(p, a.code); id != "" {
		t.Fatalf("a new phone is in already as %s", id)
	}
	resp, body := p.do("POST", "/api/join/"+a.code, `{"name":"Ans","partyId":"party1"}`)
	if resp.StatusCode != 201 {
		t.Fatalf("join: %d %s", resp.StatusCode, body)
	}
	var first struct{ ParticipantID string }
	_ = json.Unmarshal(body, &first)
	for _, c := range resp.Cookies() {
		if strings.HasSuffix(c.Name, "tafel_pj") && (c.Path != "/api/join" || !c.HttpOnly || c.SameSite != http.SameSiteStrictMode) {
			t.Fatalf("rejoin cookie %+v: want path /api/join, HttpOnly, SameSite=Strict", c)
		}
	}

	t.Run("JoinPageKnowsThePhone", func(t *testing.T) {
		if id := joinedAs(p, a.code); id != first.ParticipantID {
			t.Fatalf("the join page says this phone is %q, want %q", id, first.ParticipantID)
		}
		// Another meeting's join page does not.
		if id := joinedAs(p, b.code); id != "" {
			t.Fatalf("another meeting's join page says this phone is %q", id)
		}
	})

	t.Run("SameJoinAgainIsThatPerson", func(t *testing.T) {
		for range 2 {
			resp, body := p.do("POST", "/api/join/"+a.code, `{"name":"Ans","partyId":"party1"}`)
			var again struct {
				ParticipantID string
				Existing      bool
				Token         string
			}
			_ = json.Unmarshal(body, &again)
			if resp.StatusCode != 200 || again.ParticipantID != first.ParticipantID || !again.Existing || again.Token != "" {
				t.Fatalf("join again: %d %s; want 200, the same participant, no token in the body", resp.StatusCode, body)
			}
		}
		if n := len(people()); n != before+1 {
			t.Fatalf("%d people after joining again, want %d", n, before+1)
		}
		// The cookie still opens the meeting as Ans.
		resp, body := p.do("GET", "/api/meetings/"+a.meetingID+"/snapshot", "")
		if resp.StatusCode != 200 || !strings.Contains(string(body), `"name":"Ans"`) {
			t.Fatalf("snapshot after joining again: %d %s", resp.StatusCode, body)
		}
	})

	t.Run("BadNewPersonChangesNothing", func(t *testing.T) {
		resp, body := p.do("POST", "/api/join/"+a.code, `{"name":"Bram","partyId":"party1","newPerson":"ja"}`)
		if resp.StatusCode != 400 || !strings.Contains(string(body), `"invalid_json"`) {
			t.Fatalf("newPerson not a boolean: %d %s, want 400 invalid_json", resp.StatusCode, body)
		}
		if n := len(people()); n != before+1 {
			t.Fatalf("%d people after a refused join, want %d", n, before+1)
		}
	})

	t.Run("SomeoneElseIsExplicit", func(t *testing.T) {
		resp, body := p.do("POST", "/api/join/"+a.code, `{"name":"Bram","partyId":"party1","newPerson":true}`)
		var second struct{ ParticipantID string }
		_ = json.Unmarshal(body, &second)
		if resp.StatusCode != 201 || second.ParticipantID == "" || second.ParticipantID == first.ParticipantID {
			t.Fatalf("someone else: %d %s, want 201 and a new participant", resp.StatusCode, body)
		}
		if n := len(people()); n != before+2 {
			t.Fatalf("%d people, want %d", n, before+2)
		}
		// From now on this phone is Bram.
		if id := joinedAs(p, a.code); id != second.ParticipantID {
			t.Fatalf("the join page says this phone is %q, want Bram %q", id, second.ParticipantID)
		}
	})

	t.Run("AnotherPhoneIsAnotherPerson", func(t *testing.T) {
		q := newPhone(t, ts)
		resp, body := q.do("POST", "/api/join/"+a.code, `{"name":"Ans","partyId":"party1"}`)
		if resp.StatusCode != 201 {
			t.Fatalf("another phone: %d %s", resp.StatusCode, body)
		}
		u, _ := url.Parse(q.base + "/api/join/" + a.code)
		found := false
		for _, c := range q.jar.Cookies(u) {
			found = found || strings.HasSuffix(c.Name, "tafel_pj")
		}
		if !found {
			t.Fatal("the jar sends no rejoin cookie to the join route")
		}
	})
}
