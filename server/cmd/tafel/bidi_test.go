package main

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/tafel-met/tafel/server/meeting"
	"github.com/tafel-met/tafel/server/realtime/wsclient"
	"github.com/tafel-met/tafel/server/store"
	"golang.org/x/time/rate"
)

// bidiOverride is text with a right-to-left override inside: shown or printed
// as it is, it would turn the rest of its line around.
const bidiOverride = "Geld \u202eop is het"

// bidiControls are the characters CleanText refuses for their effect on the
// order of a line: the embeddings and overrides, and the isolates.
var bidiControls = []string{"\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069"}

// refusedBidi sends the command made with bidiOverride as the typed text: it must
// be refused with text_control_chars and change nothing. The same command with
// plain text is then acknowledged on the same socket: the refusal was for the
// character, and the connection survived it. It returns that command's seq.
func refusedBidi(t *testing.T, coord *coordinator, meetingID string, ws *wsclient.Client, name string, data func(text string) any) int64 {
	t.Helper()
	before := coord.state(meetingID)
	f, err := ws.Do(name, data(bidiOverride))
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if f.Type != "error" || f.Code != meeting.ECodeInvalidInput || reasonOf(f.Raw) != "text_control_chars" {
		t.Fatalf("%s with U+202E: %s, want invalid_input text_control_chars", name, f.Raw)
	}
	coord.unchanged(t, meetingID, before)
	if ws.Closed() {
		t.Fatalf("%s: the socket closed after the refusal", name)
	}
	return must(t, ws, name, data("Geld op"))
}

// refusedBidiREST is refusedBidi for a REST request: 400 text_control_chars,
// and what same reports before and after must be the same.
func refusedBidiREST(t *testing.T, srv *testServer, method, path, cookie string, body any, same func() string) {
	t.Helper()
	before := same()
	resp, b := srv.request(method, path, cookie, body)
	if resp.StatusCode != 400 || reasonOf(b) != "text_control_chars" {
		t.Fatalf("%s %s with U+202E: %d %s, want 400 text_control_chars", method, path, resp.StatusCode, b)
	}
	if after := same(); after != before {
		t.Fatalf("%s %s with U+202E changed something:\nbefore %s\nafter  %s", method, path, before, after)
	}
}

func reasonOf(raw []byte) string {
	var e struct{ Reason string }
	_ = json.Unmarshal(raw, &e)
	return e.Reason
}

// TestBidiControlsRefused types a right-to-left override into every text a
// person can type, over the real routes and sockets: each is refused with the
// same stable code, nothing changes, and the same socket or session then does
// the same with plain text.
func TestBidiControlsRefused(t *testing.T) {
	srv := startServer(t, store.SQLite)
	// One coordinator socket sends some sixty commands here, faster than the 20 a
	// second a person may: this test is about text, not the rate limit (which has
	// tests of its own), so the limiter does not decide it.
	srv.main.Hub.SetCommandRate(rate.Inf, 0)
	coord := srv.coordinator("Gemeente Voorbeeld")
	admin := srv.signedIn("Gemeente Voorbeeld", "Beheerder", "admin")

	list := func(path string) func() string {
		return func() string {
			_, b := srv.request("GET", path, coord.cookie, nil)
			return string(b)
		}
	}

	t.Run("Accounts", func(t *testing.T) {
		users := func() string { _, b := srv.request("GET", "/api/users", admin.cookie, nil); return string(b) }
		for i, body := range []map[string]string{
			{"name": "Marieke " + bidiOverride, "email": "nieuw1@example.org"},
			{"name": "Marieke", "email": "nieuw\u202e2@example.org"},
			{"name": "Marieke", "email": "nieuw2@exa\u2067mple.org"},
		} {
			t.Run(fmt.Sprint(i), func(t *testing.T) {
				refusedBidiREST(t, srv.on(t), "POST", "/api/users", admin.cookie, body, users)
			})
		}
		admin.call("POST", "/api/users", map[string]string{"name": "Marieke", "email": "nieuw3@example.org"}, nil, 201)
	})

	t.Run("FamilyAndMeeting", func(t *testing.T) {
		c := coord.on(t)
		refusedBidiREST(t, srv.on(t), "POST", "/api/families", c.cookie, map[string]string{"label": "Gezin " + bidiOverride}, list("/api/families"))
		var fam struct{ ID string }
		c.call("POST", "/api/families", map[string]string{"label": "Gezin R."}, &fam, 201)
		for _, body := range []map[string]any{
			{"familyId": fam.ID, "title": bidiOverride},
			{"familyId": fam.ID, "parties": []map[string]string{{"name": "Moeder " + bidiOverride, "kind": "family"}}},
		} {
			refusedBidiREST(t, srv.on(t), "POST", "/api/meetings", c.cookie, body, list("/api/meetings"))
		}
	})

	t.Run("PlainMeeting", func(t *testing.T) {
		c := coord.on(t)
		s := srv.on(t)
		m := c.meeting("Gezin B.", "Moeder:family", "Wijkteam:professional")
		party := c.partyIDs(m.ID)
		snap := func() string { return fmt.Sprint(c.state(m.ID)) }
		refusedBidiREST(t, s, "POST", "/api/meetings/"+m.ID+"/parties", c.cookie, map[string]string{"name": "Buurvrouw " + bidiOverride, "kind": "network"}, snap)
		refusedBidiREST(t, s, "POST", "/api/join/"+m.JoinCode, "", map[string]string{"name": "Sanne" + bidiOverride, "partyId": party["Moeder"]}, snap)

		cws := c.connect(m.ID, "")
		ph := s.join(m.JoinCode, "Sanne", party["Moeder"])
		must(t, cws, "participant.admit", map[string]string{"participantId": ph.ID})
		must(t, cws, "phase.set", map[string]string{"phase": "worries"})

		w := fmt.Sprintf("w%d", refusedBidi(t, c, m.ID, ph.WS, "worry.add", func(s string) any { return map[string]string{"text": s} }))
		refusedBidi(t, c, m.ID, ph.WS, "worry.edit", func(s string) any { return map[string]string{"itemId": w, "text": s} })
		refusedBidi(t, c, m.ID, cws, "worry.add", func(s string) any { return map[string]string{"text": s + " (namens)", "partyId": party["Moeder"]} })

		must(t, cws, "familytime.start", map[string]any{})
		must(t, cws, "familytime.spokesperson", map[string]string{"participantId": ph.ID})
		ft := fmt.Sprintf("w%d", refusedBidi(t, c, m.ID, ph.WS, "family.add", func(s string) any { return map[string]string{"text": s} }))
		refusedBidi(t, c, m.ID, ph.WS, "family.edit", func(s string) any { return map[string]any{"itemId": ft, "text": s + "!", "bring": false} })
		must(t, ph.WS, "familytime.end", map[string]any{})

		must(t, cws, "reveal", map[string]string{"kind": "worry"})
		refusedBidi(t, c, m.ID, cws, "worry.rephrase", func(s string) any { return map[string]string{"itemId": w, "text": s + " samen"} })
		must(t, cws, "phase.set", map[string]string{"phase": "cluster"})
		must(t, cws, "phase.set", map[string]string{"phase": "rank"})
		must(t, ph.WS, "ranking.set", map[string]any{"worryIds": []string{w}})
		must(t, cws, "phase.set", map[string]string{"phase": "agree"})
		refusedBidi(t, c, m.ID, cws, "agree.confirm", func(s string) any { return map[string]any{"worryIds": []string{w}, "reason": s} })
		refusedBidi(t, c, m.ID, ph.WS, "agree.dissent", func(s string) any { return map[string]string{"text": s} })
		must(t, cws, "phase.set", map[string]string{"phase": "plan"})
		refusedBidi(t, c, m.ID, cws, "plan.goal.set", func(s string) any { return map[string]any{"worryId": w, "goal": s, "scoreNow": 3} })
		a := fmt.Sprintf("a%d", refusedBidi(t, c, m.ID, cws, "plan.action.add", func(s string) any {
			return map[string]any{"worryId": w, "what": s, "ownerPartyId": party["Wijkteam"], "due": "2027-01-15"}
		}))
		refusedBidi(t, c, m.ID, cws, "plan.action.edit", func(s string) any {
			return map[string]any{"actionId": a, "what": s + " nu", "ownerPartyId": party["Wijkteam"], "due": "2027-01-15"}
		})
		refusedBidi(t, c, m.ID, cws, "plan.details.set", func(s string) any {
			return map[string]any{"regisseurPartyId": party["Wijkteam"], "regisseurRole": s, "nextEvaluation": "2027-03-01"}
		})
		for _, field := range []string{"role", "organisation"} {
			refusedBidi(t, c, m.ID, cws, "plan.contact.set", func(s string) any { return map[string]string{field: s, "email": "regie@example.org"} })
		}
		refusedBidi(t, c, m.ID, cws, "plan.contact.set", func(s string) any {
			return map[string]string{"role": "Gezinscoach", "email": strings.Replace("regie@example.org", "@", strings.TrimPrefix(s, "Geld op")+"@", 1)}
		})
		must(t, cws, "meeting.close", map[string]any{})

		// "Were you heard?" on the mother's phone, after the close.
		heard := func(sentence string) string {
			return fmt.Sprintf(`{"scores":{"heard":3,"safe":3,"time":2,"goals":3},"mark":8,"sentence":%q}`, sentence)
		}
		heardState := func() string {
			_, b := s.request("GET", "/api/meetings/"+m.ID+"/heard", "Bearer "+ph.Token, nil)
			return string(b)
		}
		refusedBidiREST(t, s, "POST", "/api/meetings/"+m.ID+"/heard", "Bearer "+ph.Token, []byte(heard(bidiOverride)), heardState)
		if resp, b := s.request("POST", "/api/meetings/"+m.ID+"/heard", "Bearer "+ph.Token, []byte(heard("Ik werd gehoord"))); resp.StatusCode != 201 {
			t.Fatalf("heard answer: %d %s", resp.StatusCode, b)
		}

		// The follow-up's title, and the review of the action in it.
		refusedBidiREST(t, s, "POST", "/api/meetings/"+m.ID+"/follow-up", c.cookie, map[string]string{"title": bidiOverride}, list("/api/meetings"))
		var fu createdMeeting
		c.call("POST", "/api/meetings/"+m.ID+"/follow-up", map[string]string{"title": "Vervolg"}, &fu, 201)
		fws := c.connect(fu.ID, "")
		must(t, fws, "phase.set", map[string]string{"phase": "review"})
		refusedBidi(t, c, fu.ID, fws, "review.action.set", func(s string) any { return map[string]string{"actionId": a, "outcome": "partly", "note": s} })
	})

	t.Run("Abandon", func(t *testing.T) {
		c := coord.on(t)
		m := c.meeting("Gezin A.", "Moeder:family", "Wijkteam:professional")
		cws := c.connect(m.ID, "")
		refusedBidi(t, c, m.ID, cws, "meeting.abandon", func(s string) any { return map[string]string{"reason": "other", "note": s} })
	})

	t.Run("SignsOfSafety", func(t *testing.T) {
		c := coord.on(t)
		s := srv.on(t)
		m := safetyMeeting(t, c, "Gezin V.")
		party := c.partyIDs(m.ID)
		cws := c.connect(m.ID, "")
		sanne := s.join(m.JoinCode, "Sanne", party["Moeder"])
		anouk := s.join(m.JoinCode, "Anouk", party["Veilig Thuis"])
		for _, p := range []*phone{sanne, anouk} {
			must(t, cws, "participant.admit", map[string]string{"participantId": p.ID})
		}
		must(t, cws, "phase.set", map[string]string{"phase": "worries"})
		w := fmt.Sprintf("w%d", must(t, anouk.WS, "worry.add", map[string]string{"text": "Kim is bang thuis"}))
		refusedBidi(t, c, m.ID, anouk.WS, "worry.source.set", func(s string) any { return map[string]string{"itemId": w, "source": s} })
		must(t, anouk.WS, "worry.wording.check", map[string]string{"itemId": w})
		refusedBidi(t, c, m.ID, sanne.WS, "safety.note.add", func(s string) any { return map[string]string{"kind": "existing", "text": s} })
		for _, field := range []string{"childName", "worries", "goesWell", "wishes"} {
			refusedBidi(t, c, m.ID, cws, "child.houses.set", func(s string) any {
				h := map[string]string{"childName": "Kim", "worries": "Bang", "goesWell": "School", "wishes": "Rust"}
				h[field] = s
				return h
			})
		}

		// The child's own phone, on /kind with a child code.
		var cc struct{ Code string }
		c.call("POST", "/api/meetings/"+m.ID+"/child-codes", nil, &cc, 201)
		houses := func() string { return fmt.Sprint(c.state(m.ID), s.childGet(cc.Code)) }
		for _, field := range []string{"childName", "worries", "goesWell", "wishes"} {
			h := map[string]string{"childName": "Kim", "worries": "Bang", "goesWell": "School", "wishes": "Rust"}
			h[field] = bidiOverride
			refusedBidiREST(t, s, "PUT", "/api/child/"+cc.Code, "", h, houses)
		}
		if resp, b := s.request("PUT", "/api/child/"+cc.Code, "", map[string]string{"worries": "Bang"}); resp.StatusCode != 200 {
			t.Fatalf("child houses: %d %s", resp.StatusCode, b)
		}

		must(t, cws, "reveal", map[string]string{"kind": "worry"})
		must(t, cws, "phase.set", map[string]string{"phase": "cluster"})
		must(t, cws, "phase.set", map[string]string{"phase": "rank"})
		must(t, sanne.WS, "ranking.set", map[string]any{"worryIds": []string{w}})
		must(t, cws, "phase.set", map[string]string{"phase": "agree"})
		must(t, cws, "agree.confirm", map[string]any{"worryIds": []string{w}})
		must(t, cws, "phase.set", map[string]string{"phase": "plan"})
		for _, field := range []string{"worried", "happened", "mayHappen", "disagreement", "safetyGoal", "goalDuration"} {
			refusedBidi(t, c, m.ID, cws, "safety.statement.set", func(s string) any {
				st := map[string]string{"worryId": w, "worried": "Veilig Thuis", "happened": "Ruzie", "mayHappen": "Angst",
					"safetyGoal": "Rust thuis", "goalDuration": "drie maanden"}
				st[field] = s
				return st
			})
		}
		for _, field := range []string{"question", "tenMeans", "zeroMeans"} {
			refusedBidi(t, c, m.ID, cws, "safety.scale.set", func(s string) any {
				sc := map[string]string{"worryId": w, "question": "Hoe veilig is Kim?", "tenMeans": "Veilig", "zeroMeans": "Niet veilig"}
				sc[field] = s
				return sc
			})
		}
		var conds []string
		for _, field := range []string{"text", "plain"} {
			seq := refusedBidi(t, c, m.ID, anouk.WS, "safety.condition.set", func(s string) any {
				co := map[string]string{"text": "Geen alcohol", "plain": "Papa drinkt niet"}
				co[field] = s
				return co
			})
			conds = append(conds, fmt.Sprintf("cond%d", seq))
		}
		refusedBidi(t, c, m.ID, anouk.WS, "safety.condition.resolve", func(s string) any {
			return map[string]string{"conditionId": conds[0], "status": "met", "reason": s}
		})
		must(t, anouk.WS, "safety.condition.resolve", map[string]string{"conditionId": conds[1], "status": "waived", "reason": "Niet meer nodig"})
		for _, field := range []string{"what", "planB"} {
			refusedBidi(t, c, m.ID, cws, "safety.agreement.add", func(s string) any {
				ag := map[string]any{"what": "Oma haalt Kim", "doerPartyId": party["Moeder"], "checkerPartyId": party["Veilig Thuis"], "planB": "Buurvrouw haalt Kim"}
				ag[field] = s
				return ag
			})
		}
		agreement := c.snapshot(m.ID).Safety.Plan.Agreements[0].ID
		refusedBidi(t, c, m.ID, cws, "safety.agreement.edit", func(s string) any {
			return map[string]any{"agreementId": agreement, "what": s, "doerPartyId": party["Moeder"], "checkerPartyId": party["Veilig Thuis"], "planB": "Buurvrouw"}
		})
		child := c.snapshot(m.ID).Safety.Children[0].ID
		refusedBidi(t, c, m.ID, cws, "child.voice.bring", func(s string) any {
			return map[string]string{"childId": child, "bringerId": sanne.ID, "story": s}
		})

		// The follow-up looks back on the safety agreement.
		must(t, cws, "plan.details.set", map[string]any{"regisseurPartyId": party["Veilig Thuis"], "regisseurRole": "Jeugdbeschermer", "nextEvaluation": "2027-03-01"})
		must(t, cws, "meeting.close", map[string]any{})
		var fu createdMeeting
		c.call("POST", "/api/meetings/"+m.ID+"/follow-up", map[string]string{"title": "Vervolg"}, &fu, 201)
		fws := c.connect(fu.ID, "")
		must(t, fws, "phase.set", map[string]string{"phase": "review"})
		refusedBidi(t, c, fu.ID, fws, "safety.review.agreement.set", func(s string) any {
			return map[string]string{"agreementId": agreement, "held": "partly", "note": s}
		})
	})
}

// TestCleanTextRefusesEveryBidiControl checks the rule the routes above rely on,
// for each of the nine characters.
func TestCleanTextRefusesEveryBidiControl(t *testing.T) {
	for _, ch := range bidiControls {
		if _, err := meeting.CleanText("text", "Geld "+ch+"op", meeting.MaxTextLen, true, false); meeting.ErrorReason(err) != "text_control_chars" {
			t.Errorf("U+%04X: %v, want text_control_chars", []rune(ch)[0], err)
		}
	}
}
