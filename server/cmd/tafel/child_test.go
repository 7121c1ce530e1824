package main

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/tafel-met/tafel/server/meeting"
	"github.com/tafel-met/tafel/server/realtime/wsclient"
	"github.com/tafel-met/tafel/server/store"
	"github.com/tafel-met/tafel/server/store/storetest"
)

// TestChildCode plays the child's own phone over REST beside real websockets: a
// coordinator makes a child code for a Signs of Safety meeting, the child fills in
// the three houses with it, only coordinator sockets get them until a named
// participant brings them to the table; the code works for that meeting only, is
// no join code (nor a join code a child code), and a revoked or expired code fails
// with its own reason. Every bad request changes nothing.
func TestChildCode(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(string(d), func(t *testing.T) { playChildCode(t, d) })
	}
}

// apiError is the body of a refused REST request.
type apiError struct {
	Code   string `json:"code"`
	Reason string `json:"reason"`
}

// expectError sends a request that must be refused with status and reason ("*": any reason).
func (s *testServer) expectError(method, path, cookie string, body any, status int, reason string) {
	s.t.Helper()
	resp, b := s.request(method, path, cookie, body)
	var e apiError
	_ = json.Unmarshal(b, &e)
	if resp.StatusCode != status || reason != "*" && e.Reason != reason {
		s.t.Fatalf("%s %s: %d %s, want %d with reason %s", method, path, resp.StatusCode, b, status, reason)
	}
}

type childHouses struct {
	ChildName, Worries, GoesWell, Wishes string
	Brought                              bool
}

func (s *testServer) childGet(code string) childHouses {
	s.t.Helper()
	resp, b := s.request("GET", "/api/child/"+code, "", nil)
	if resp.StatusCode != 200 {
		s.t.Fatalf("child page: %d %s", resp.StatusCode, b)
	}
	var h childHouses
	if err := json.Unmarshal(b, &h); err != nil {
		s.t.Fatal(err)
	}
	if strings.Contains(string(b), "Moeder") || strings.Contains(string(b), "Gezin") {
		s.t.Fatalf("the child's page got something of the meeting: %s", b)
	}
	return h
}

func safetyMeeting(t *testing.T, coord *coordinator, label string) createdMeeting {
	t.Helper()
	var fam struct{ ID string }
	coord.call("POST", "/api/families", map[string]string{"label": label}, &fam, 201)
	var m createdMeeting
	coord.call("POST", "/api/meetings", map[string]any{"familyId": fam.ID, "title": "Top-3-gesprek", "date": "2026-12-01",
		"shape": "signs_of_safety", "parties": []map[string]string{{"name": "Moeder", "kind": "family"},
			{"name": "Veilig Thuis", "kind": "professional"}}}, &m, 201)
	return m
}

func playChildCode(t *testing.T, d store.Dialect) {
	srv := startServer(t, d)
	coord := srv.coordinator("Gemeente Voorbeeld")
	m := safetyMeeting(t, coord, "Gezin K.")
	other := safetyMeeting(t, coord, "Gezin L.")
	party := coord.partyIDs(m.ID)
	cws := coord.connect(m.ID, "")
	screen := coord.connect(m.ID, "screen")
	sanne := srv.join(m.JoinCode, "Sanne", party["Moeder"])
	must(t, cws, "participant.admit", map[string]string{"participantId": sanne.ID})
	must(t, cws, "phase.set", map[string]string{"phase": "worries"})

	var cc struct {
		ID, Code, ChildID, Status string
		ExpiresAt                 time.Time
	}
	coord.call("POST", "/api/meetings/"+m.ID+"/child-codes", nil, &cc, 201)
	if len(cc.Code) != store.JoinCodeLength || cc.Code == m.JoinCode || cc.Status != "active" || !cc.ExpiresAt.After(time.Now().Add(24*time.Hour)) {
		t.Fatalf("child code = %+v (join code %s)", cc, m.JoinCode)
	}
	for _, ch := range cc.Code {
		if !strings.ContainsRune(store.JoinCodeAlphabet, ch) {
			t.Fatalf("child code %s has %q, outside the join code alphabet", cc.Code, ch)
		}
	}
	if h := srv.childGet(strings.ToLower(cc.Code[:4]) + "-" + cc.Code[4:]); h != (childHouses{}) {
		t.Fatalf("a new child code shows houses: %+v", h)
	}

	t.Run("ChildCodeIsNoJoinCode", func(t *testing.T) {
		srv.expectError("GET", "/api/join/"+cc.Code, "", nil, 404, "unknown_code")
		srv.expectError("POST", "/api/join/"+cc.Code, "", map[string]string{"name": "Kim", "partyId": party["Moeder"]}, 404, "unknown_code")
		srv.expectError("GET", "/api/child/"+m.JoinCode, "", nil, 404, "unknown_code")
		srv.expectError("PUT", "/api/child/"+m.JoinCode, "", map[string]string{"worries": "x"}, 404, "unknown_code")
	})

	houses := map[string]string{"childName": "Kim", "worries": "Als het thuis hard gaat ben ik bang",
		"goesWell": "Voetballen met oma", "wishes": "Dat iedereen rustig praat"}
	resp, b := srv.request("PUT", "/api/child/"+cc.Code, "", houses)
	if resp.StatusCode != 200 || !strings.Contains(string(b), "Voetballen met oma") {
		t.Fatalf("child saves houses: %d %s", resp.StatusCode, b)
	}
	// The coordinator's socket gets them; the table does not, up to a later event it sees.
	if _, err := cws.WaitFor(func(f wsclient.Frame) bool {
		return f.Name == meeting.EvChildUpserted && strings.Contains(string(f.Raw), "hard gaat ben ik bang")
	}, 5*time.Second); err != nil {
		t.Fatalf("coordinator did not get the child's houses: %v", err)
	}
	later := must(t, sanne.WS, "safety.note.add", map[string]string{"kind": "existing", "text": "Oma haalt Kim van school"})
	for name, ws := range map[string]*wsclient.Client{"screen": screen, "Sanne": sanne.WS} {
		if err := ws.WaitSeq(later, 5*time.Second); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if ws.Saw("ben ik bang") || ws.Saw("Voetballen met oma") {
			t.Fatalf("%s got the child's houses before they were brought", name)
		}
	}
	var sannesView meeting.View
	resp, b = srv.request("GET", "/api/meetings/"+m.ID+"/snapshot", "Bearer "+sanne.Token, nil)
	if resp.StatusCode != 200 || json.Unmarshal(b, &sannesView) != nil || sannesView.Safety == nil || len(sannesView.Safety.Children) != 0 {
		t.Fatalf("participant's snapshot: %d %s", resp.StatusCode, b)
	}
	kids := coord.snapshot(m.ID).Safety.Children
	if len(kids) != 1 || kids[0].ID != cc.ChildID || !kids[0].ByChild || kids[0].ChildName != "Kim" || kids[0].Brought {
		t.Fatalf("coordinator's children = %+v", kids)
	}
	if got := srv.childGet(cc.Code); got.Worries != houses["worries"] || got.ChildName != "Kim" {
		t.Fatalf("the child reads back %+v", got)
	}

	t.Run("BadInputChangesNothing", func(t *testing.T) {
		before := coord.snapshot(m.ID).Seq
		for _, tc := range []struct {
			name   string
			body   any
			status int
			reason string
		}{
			{"Malformed", []byte(`{"worries":`), 400, "invalid_json"},
			{"UnknownField", map[string]string{"worries": "x", "childId": "kid-someone-else"}, 400, "invalid_json"},
			{"Empty", map[string]string{"childName": "Kim"}, 400, "houses_empty"},
			{"TooLong", map[string]string{"worries": strings.Repeat("a", meeting.MaxTextLen+1)}, 400, "text_too_long"},
			{"ControlChars", map[string]string{"wishes": "een\x00twee"}, 400, "text_control_chars"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				srv.expectError("PUT", "/api/child/"+cc.Code, "", tc.body, tc.status, tc.reason)
			})
		}
		if after := coord.snapshot(m.ID).Seq; after != before {
			t.Fatalf("refused requests moved the meeting from seq %d to %d", before, after)
		}
		if got := srv.childGet(cc.Code); got.Worries != houses["worries"] {
			t.Fatalf("after refusals the child reads %+v", got)
		}
	})

	t.Run("OnlyThatMeeting", func(t *testing.T) {
		if kids := coord.snapshot(other.ID).Safety.Children; len(kids) != 0 {
			t.Fatalf("the other meeting has children: %+v", kids)
		}
		// The code's id is no code of the other meeting, nor of another organisation's coordinator.
		srv.expectError("DELETE", "/api/meetings/"+other.ID+"/child-codes/"+cc.ID, coord.cookie, nil, 404, "unknown_child_code")
		stranger := srv.coordinator("Gemeente Elders")
		srv.expectError("DELETE", "/api/meetings/"+m.ID+"/child-codes/"+cc.ID, stranger.cookie, nil, 404, "*")
		srv.expectError("GET", "/api/meetings/"+m.ID+"/child-codes", stranger.cookie, nil, 404, "*")
		srv.expectError("POST", "/api/meetings/"+m.ID+"/child-codes", "", nil, 401, "sign_in_first")
	})

	// A named participant brings the story: from then on the table sees it, and the child's houses stay as they were.
	bring := must(t, cws, "child.voice.bring", map[string]string{"childId": cc.ChildID, "bringerId": sanne.ID,
		"story": "Kim vertelde dat ze bang is als het hard gaat"})
	for name, ws := range map[string]*wsclient.Client{"screen": screen, "Sanne": sanne.WS} {
		if err := ws.WaitSeq(bring, 5*time.Second); err != nil || !ws.Saw("Voetballen met oma") {
			t.Fatalf("%s does not see the brought houses: %v", name, err)
		}
	}
	srv.expectError("PUT", "/api/child/"+cc.Code, "", map[string]string{"worries": "iets anders"}, 409, "child_voice_brought")
	if got := srv.childGet(cc.Code); !got.Brought || got.Worries != houses["worries"] {
		t.Fatalf("after bringing the child reads %+v", got)
	}

	t.Run("Revoked", func(t *testing.T) {
		var second struct{ ID, Code string }
		coord.call("POST", "/api/meetings/"+m.ID+"/child-codes", nil, &second, 201)
		var revoked struct{ Status string }
		coord.call("DELETE", "/api/meetings/"+m.ID+"/child-codes/"+second.ID, nil, &revoked, 200)
		if revoked.Status != "revoked" {
			t.Fatalf("revoked code status %q", revoked.Status)
		}
		before := coord.snapshot(m.ID).Seq
		srv.expectError("GET", "/api/child/"+second.Code, "", nil, 403, "child_code_revoked")
		srv.expectError("PUT", "/api/child/"+second.Code, "", map[string]string{"worries": "Ik mis papa"}, 403, "child_code_revoked")
		if coord.snapshot(m.ID).Seq != before || cws.Saw("Ik mis papa") {
			t.Fatal("a revoked code changed the meeting")
		}
		var list []struct{ ID, Status string }
		coord.call("GET", "/api/meetings/"+m.ID+"/child-codes", nil, &list, 200)
		if len(list) != 2 || list[0].ID != cc.ID || list[0].Status != "active" || list[1].Status != "revoked" {
			t.Fatalf("child codes = %+v", list)
		}
	})

	t.Run("Expired", func(t *testing.T) {
		expired, err := srv.main.Store.CreateChildCode(context.Background(), srv.mustOrg(coord), m.ID, -time.Minute,
			store.AuditEntry{ActorType: "user", ActorID: "child-test", Action: store.AuditCreate, Detail: "child_code.create"})
		if err != nil {
			t.Fatal(err)
		}
		srv.expectError("GET", "/api/child/"+expired.Code, "", nil, 403, "child_code_expired")
		srv.expectError("PUT", "/api/child/"+expired.Code, "", map[string]string{"worries": "Ik mis papa"}, 403, "child_code_expired")
	})

	t.Run("PlainShapeHasNoChildCodes", func(t *testing.T) {
		plain := coord.meeting("Gezin M.", "Moeder:family")
		srv.expectError("POST", "/api/meetings/"+plain.ID+"/child-codes", coord.cookie, nil, 409, "wrong_shape")
	})

	t.Run("Audited", func(t *testing.T) {
		ctx := context.Background()
		org := srv.mustOrg(coord)
		info, err := srv.main.Store.FindMeeting(ctx, org, m.ID)
		if err != nil {
			t.Fatal(err)
		}
		log, err := srv.main.Store.FamilyAudit(ctx, org, info.FamilyID, 1000)
		if err != nil {
			t.Fatal(err)
		}
		var created, saved bool
		for _, r := range log {
			created = created || r.ActorType == "user" && r.Detail == "child_code.create" && r.ObjectID == cc.ID
			saved = saved || r.ActorType == "child" && r.ActorID == cc.ID && r.Detail == "child.houses.submit" && r.ObjectID == cc.ChildID
		}
		if !created || !saved {
			t.Fatalf("audit: code created %v, houses saved by the child %v", created, saved)
		}
		if _, problems, err := srv.main.Store.VerifyAudit(ctx); err != nil || len(problems) != 0 {
			t.Fatalf("audit chain: %v %v", problems, err)
		}
	})
}
