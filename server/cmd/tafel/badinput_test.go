package main

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/tafel-met/tafel/server/meeting"
	"github.com/tafel-met/tafel/server/realtime/wsclient"
	"github.com/tafel-met/tafel/server/store"
)

// commandFrame encodes a command frame by hand, so a test can send any id.
func commandFrame(id, name string, data any) []byte {
	b, err := json.Marshal(map[string]any{"type": "command", "id": id, "name": name, "data": data})
	if err != nil {
		panic(err)
	}
	return b
}

// refusedFrame sends raw bytes on ws and checks that the answer is an error with
// code (carrying id, "" for frames too broken to have one), that nothing in the
// meeting changed and that the socket is still open.
func (tab *table) refusedFrame(t *testing.T, ws *wsclient.Client, frame []byte, id, code string) {
	t.Helper()
	before := tab.coord.state(tab.m.ID)
	from := len(ws.Frames())
	if err := ws.SendRaw(frame); err != nil {
		t.Fatal(err)
	}
	f := answerAfter(t, ws, from)
	if f.Type != "error" || f.Code != code || f.ID != id {
		t.Fatalf("answer %s, want an error %s with id %q", f.Raw, code, id)
	}
	if f.Message == "" {
		t.Errorf("error %s has no message to show", code)
	}
	tab.coord.unchanged(t, tab.m.ID, before)
	if ws.Closed() {
		t.Fatal("the server closed the socket after a bad frame")
	}
}

// TestBadInput sends every kind of bad input over real websockets and REST: each
// gets its stable error code, changes nothing, and leaves the connection usable.
func TestBadInput(t *testing.T) {
	srv := startServer(t, store.SQLite)
	coord := srv.coordinator("Gemeente Voorbeeld")

	// Frames from the mother's phone in the worries round; afterwards the same
	// socket adds a worry and gets its ack.
	frames := []struct {
		name  string
		frame []byte
		id    string
		code  string
	}{
		{"MalformedJSON", []byte(`{"type":"command",`), "", meeting.ECodeInvalidJSON},
		{"JSONArray", []byte(`[{"type":"command","id":"c-1","name":"worry.add","data":{"text":"Geld"}}]`), "", meeting.ECodeInvalidJSON},
		{"UnknownFrameType", []byte(`{"type":"gossip","id":"c-2"}`), "c-2", meeting.ECodeInvalidJSON},
		{"UnknownCommand", commandFrame("c-3", "worry.explode", map[string]string{}), "c-3", meeting.ECodeUnknownCommand},
		{"InvalidUTF8", []byte("{\"type\":\"command\",\"id\":\"c-4\",\"name\":\"worry.add\",\"data\":{\"text\":\"geld \xff\xfe op\"}}"), "", meeting.ECodeInvalidUTF8},
		{"TooLarge", commandFrame("c-5", "worry.add", map[string]string{"text": strings.Repeat("a", 17000)}), "", meeting.ECodeTooLarge},
		{"TextOf501", commandFrame("c-6", "worry.add", map[string]string{"text": "  " + strings.Repeat("a", 501) + "  "}), "c-6", meeting.ECodeInvalidInput},
		{"ControlCharNUL", commandFrame("c-7", "worry.add", map[string]string{"text": "geld\u0000op"}), "c-7", meeting.ECodeInvalidInput},
		{"ControlCharESC", commandFrame("c-8", "worry.add", map[string]string{"text": "geld \u001b[31mop"}), "c-8", meeting.ECodeInvalidInput},
		{"UnknownDomain", commandFrame("c-9", "worry.add", map[string]string{"text": "Geld", "domain": "geluk"}), "c-9", meeting.ECodeInvalidInput},
		{"DataNotAnObject", []byte(`{"type":"command","id":"c-10","name":"worry.add","data":"Geld"}`), "c-10", meeting.ECodeInvalidInput},
		{"UnknownItem", commandFrame("c-11", "worry.edit", map[string]string{"itemId": "w9999", "text": "Geld"}), "c-11", meeting.ECodeNotFound},
		{"ParticipantSendsCoordinatorCommand", commandFrame("c-12", "meeting.lock", map[string]string{}), "c-12", meeting.ECodeForbidden},
		{"ParticipantRevealsDrafts", commandFrame("c-13", "reveal", map[string]string{"kind": "worry"}), "c-13", meeting.ECodeForbidden},
		{"CommandWithoutID", []byte(`{"type":"command","name":"worry.add","data":{"text":"Geld"}}`), "", meeting.ECodeInvalidJSON},
		{"IDWithSpaces", commandFrame("c 14!", "worry.add", map[string]string{"text": "Geld"}), "", meeting.ECodeInvalidJSON},
		{"IDOf65", commandFrame(strings.Repeat("c", 65), "worry.add", map[string]string{"text": "Geld"}), "", meeting.ECodeInvalidJSON},
	}
	for _, tc := range frames {
		t.Run(tc.name, func(t *testing.T) {
			tab := srv.on(t).newTable(coord.on(t), "Gezin "+tc.name, meeting.PhaseWorries)
			tab.refusedFrame(t, tab.mother.WS, tc.frame, tc.id, tc.code)
			must(t, tab.mother.WS, "worry.add", map[string]string{"text": "Het geld is op"})
		})
	}

	t.Run("TextOf500", func(t *testing.T) {
		tab := srv.on(t).newTable(coord.on(t), "Gezin 500", meeting.PhaseWorries)
		plain := strings.Repeat("a", 500)
		// 500 characters once composed: "e" and a combining accent are one "é".
		decomposed := strings.Repeat("e\u0301", 500)
		for _, text := range []string{"  " + plain + "\n ", decomposed} {
			must(t, tab.mother.WS, "worry.add", map[string]string{"text": text})
		}
		items := srv.on(t).participantSnapshot(tab.m.ID, tab.mother.Token).Items
		if len(items) != 2 || items[0].Text != plain || utf8.RuneCountInString(items[1].Text) != 500 || items[1].Text != strings.Repeat("é", 500) {
			t.Fatalf("stored texts are not the trimmed, composed 500 characters: %+v", items)
		}
	})

	t.Run("WrongPhase", func(t *testing.T) {
		tab := srv.on(t).newTable(coord.on(t), "Gezin Lobby", meeting.PhaseLobby)
		tab.refusedFrame(t, tab.mother.WS, commandFrame("c-1", "worry.add", map[string]string{"text": "Geld"}), "c-1", meeting.ECodeWrongPhase)
		must(t, tab.cws, "phase.set", map[string]string{"phase": "worries"})
		must(t, tab.mother.WS, "worry.add", map[string]string{"text": "Geld"})
	})

	t.Run("UnknownParticipant", func(t *testing.T) {
		tab := srv.on(t).newTable(coord.on(t), "Gezin Onbekend", meeting.PhaseWorries)
		tab.refusedFrame(t, tab.cws, commandFrame("c-1", "participant.admit", map[string]string{"participantId": "p9999"}), "c-1", meeting.ECodeNotFound)
		tab.refusedFrame(t, tab.cws, commandFrame("c-2", "worry.add", map[string]string{"text": "Geld", "partyId": "party9999"}), "c-2", meeting.ECodeNotFound)
		must(t, tab.cws, "meeting.lock", map[string]string{})
	})

	t.Run("ForeignID", func(t *testing.T) {
		a := srv.on(t).newTable(coord.on(t), "Gezin A", meeting.PhaseWorries)
		b := srv.on(t).newTable(coord.on(t), "Gezin B", meeting.PhaseWorries)
		// Ids count per meeting; take B past A so that B's new ids are not in A.
		for b.coord.state(b.m.ID).Seq <= a.coord.state(a.m.ID).Seq+2 {
			must(t, b.cws, "meeting.lock", map[string]string{})
			must(t, b.cws, "meeting.unlock", map[string]string{})
		}
		worryB := fmt.Sprintf("w%d", must(t, b.mother.WS, "worry.add", map[string]string{"text": "Geheim van gezin B"}))
		must(t, b.cws, "reveal", map[string]string{"kind": "worry"})
		stranger := srv.on(t).join(b.m.JoinCode, "Buurman", b.party["Mentor"])
		for _, it := range a.coord.snapshot(a.m.ID).Items {
			if it.ID == worryB {
				t.Fatalf("test setup: %s exists in meeting A too", worryB)
			}
		}
		a.refusedFrame(t, a.mother.WS, commandFrame("c-1", "worry.edit", map[string]string{"itemId": worryB, "text": "Overgenomen"}), "c-1", meeting.ECodeNotFound)
		a.refusedFrame(t, a.mother.WS, commandFrame("c-2", "worry.withdraw", map[string]string{"itemId": worryB}), "c-2", meeting.ECodeNotFound)
		a.refusedFrame(t, a.cws, commandFrame("c-3", "participant.admit", map[string]string{"participantId": stranger.ID}), "c-3", meeting.ECodeNotFound)
		a.refusedFrame(t, a.cws, commandFrame("c-4", "participant.remove", map[string]string{"participantId": stranger.ID}), "c-4", meeting.ECodeNotFound)
		must(t, a.mother.WS, "worry.add", map[string]string{"text": "Eigen zorg"})
		must(t, a.cws, "meeting.lock", map[string]string{})
		if a.mother.WS.Saw("Geheim van gezin B") {
			t.Fatal("meeting A's phone saw meeting B's worry")
		}
	})

	t.Run("OtherOrganisation", func(t *testing.T) {
		a := srv.on(t).newTable(coord.on(t), "Gezin van A", meeting.PhaseWorries)
		other := srv.on(t).coordinator("Gemeente Anders")
		before := a.coord.state(a.m.ID)

		ws, err := wsclient.Dial(srv.addr, a.m.ID, other.cookie)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { ws.Close() })
		if err := ws.Hello("", "", 0); err != nil {
			t.Fatal(err)
		}
		f := firstFrame(t, ws)
		if f.Code != meeting.ECodeNotFound {
			t.Fatalf("hello on another organisation's meeting: %s, want not_found", f.Raw)
		}
		if code, err := ws.WaitClosed(2 * time.Second); err != nil || code != 4001 {
			t.Fatalf("socket not closed with 4001: %d %v", code, err)
		}
		for _, fr := range ws.Frames() {
			if fr.Type != "error" {
				t.Fatalf("another organisation's coordinator got %s", fr.Raw)
			}
		}
		resp, body := srv.on(t).request("GET", "/api/meetings/"+a.m.ID+"/snapshot", other.cookie, nil)
		restError(t, "snapshot", resp.StatusCode, body, 404, meeting.ECodeNotFound)
		resp, body = srv.on(t).request("POST", "/api/meetings/"+a.m.ID+"/parties", other.cookie, map[string]string{"name": "Indringer", "kind": "network"})
		restError(t, "add party", resp.StatusCode, body, 404, meeting.ECodeNotFound)
		resp, body = srv.on(t).request("GET", "/api/meetings/"+a.m.ID+"/qr.svg", other.cookie, nil)
		restError(t, "qr code", resp.StatusCode, body, 404, meeting.ECodeNotFound)
		if strings.Contains(string(body), a.m.JoinCode) {
			t.Fatal("the join code leaked to another organisation")
		}
		a.coord.unchanged(t, a.m.ID, before)
		must(t, a.cws, "meeting.lock", map[string]string{})
	})

	t.Run("TokenOfAnotherMeeting", func(t *testing.T) {
		a := srv.on(t).newTable(coord.on(t), "Gezin met token", meeting.PhaseWorries)
		b := srv.on(t).newTable(coord.on(t), "Gezin zonder token", meeting.PhaseWorries)
		before := b.coord.state(b.m.ID)
		ws := srv.on(t).connectPhone(b.m.ID, a.mother.Token, 0)
		f := firstFrame(t, ws)
		if f.Code != meeting.ECodeUnauthorized {
			t.Fatalf("a token of meeting A on meeting B: %s, want unauthorized", f.Raw)
		}
		if code, err := ws.WaitClosed(2 * time.Second); err != nil || code != 4001 {
			t.Fatalf("socket not closed with 4001: %d %v", code, err)
		}
		resp, body := srv.on(t).request("GET", "/api/meetings/"+b.m.ID+"/snapshot", "Bearer "+a.mother.Token, nil)
		restError(t, "snapshot", resp.StatusCode, body, 404, meeting.ECodeNotFound)
		b.coord.unchanged(t, b.m.ID, before)
		must(t, a.mother.WS, "worry.add", map[string]string{"text": "Het geld is op"})
	})

	t.Run("PendingParticipant", func(t *testing.T) {
		tab := srv.on(t).newTable(coord.on(t), "Gezin Wachtend", meeting.PhaseWorries)
		father := srv.on(t).join(tab.m.JoinCode, "Henk", tab.party["Moeder"])
		tab.refusedFrame(t, father.WS, commandFrame("c-1", "worry.add", map[string]string{"text": "Geld"}), "c-1", meeting.ECodeForbidden)
		seq := must(t, tab.cws, "participant.admit", map[string]string{"participantId": father.ID})
		if err := father.WS.WaitSeq(seq, 5*time.Second); err != nil {
			t.Fatal(err)
		}
		must(t, father.WS, "worry.add", map[string]string{"text": "Geld"})
	})

	t.Run("ScreenSendsCommand", func(t *testing.T) {
		tab := srv.on(t).newTable(coord.on(t), "Gezin Scherm", meeting.PhaseWorries)
		tab.refusedFrame(t, tab.screen, commandFrame("c-1", "meeting.lock", map[string]string{}), "c-1", meeting.ECodeForbidden)
		tab.refusedFrame(t, tab.screen, commandFrame("c-2", "worry.add", map[string]string{"text": "Geld", "partyId": tab.party["Moeder"]}), "c-2", meeting.ECodeForbidden)
		// The screen may send no command at all; that it is still open shows in
		// the next event reaching it.
		seq := must(t, tab.cws, "meeting.lock", map[string]string{})
		if err := tab.screen.WaitSeq(seq, 5*time.Second); err != nil {
			t.Fatalf("the screen stopped receiving: %v", err)
		}
	})

	t.Run("CommandBeforeHello", func(t *testing.T) {
		tab := srv.on(t).newTable(coord.on(t), "Gezin Haast", meeting.PhaseWorries)
		ws, err := wsclient.Dial(srv.addr, tab.m.ID, "")
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { ws.Close() })
		tab.refusedFrame(t, ws, commandFrame("c-1", "worry.add", map[string]string{"text": "Geld"}), "c-1", meeting.ECodeNotHello)
		if err := ws.Hello(tab.mother.Token, "", 0); err != nil {
			t.Fatal(err)
		}
		if _, err := ws.WaitFor(func(f wsclient.Frame) bool { return f.Type == "snapshot" }, 5*time.Second); err != nil {
			t.Fatal(err)
		}
		must(t, ws, "worry.add", map[string]string{"text": "Geld"})
	})

	t.Run("Flood", func(t *testing.T) {
		tab := srv.on(t).newTable(coord.on(t), "Gezin Druk", meeting.PhaseWorries)
		ws := tab.mother.WS
		// The limiter's clock stands still during the flood, so what it lets
		// through is the burst, whatever pace this machine sends at.
		hub := srv.on(t).main.Hub
		frozen := time.Now()
		hub.SetClock(func() time.Time { return frozen })
		defer hub.SetClock(time.Now)
		const n = 200
		want := map[string]bool{}
		for i := range n {
			id := fmt.Sprintf("flood-%d", i)
			want[id] = true
			if err := ws.SendCommand(id, "worry.add", map[string]string{"text": fmt.Sprintf("Zorg %d", i)}); err != nil {
				t.Fatal(err)
			}
		}
		answers := waitAnswers(t, ws, want)
		acks, limited := 0, 0
		for id, fs := range answers {
			if len(fs) != 1 {
				t.Fatalf("command %s got %d answers", id, len(fs))
			}
			switch f := fs[0]; {
			case f.Type == "ack":
				acks++
			case f.Code == meeting.ECodeRateLimited:
				limited++
			default:
				t.Fatalf("command %s: %s", id, f.Raw)
			}
		}
		if acks != 40 || limited != n-40 {
			t.Fatalf("%d acked, %d rate limited: want the burst of 40 through and the rest limited", acks, limited)
		}
		if got := len(srv.on(t).participantSnapshot(tab.m.ID, tab.mother.Token).Items); got != acks {
			t.Fatalf("%d worries stored, %d acked", got, acks)
		}
		// Two seconds later the whole burst is back.
		later := frozen.Add(2 * time.Second)
		hub.SetClock(func() time.Time { return later })
		again := map[string]bool{}
		for i := range 40 {
			id := fmt.Sprintf("again-%d", i)
			again[id] = true
			if err := ws.SendCommand(id, "worry.add", map[string]string{"text": fmt.Sprintf("Nog een zorg %d", i)}); err != nil {
				t.Fatal(err)
			}
		}
		for id, fs := range waitAnswers(t, ws, again) {
			if len(fs) != 1 || fs[0].Type != "ack" {
				t.Fatalf("after a pause, command %s: %d answers, first %s", id, len(fs), fs[0].Raw)
			}
		}
	})

	t.Run("JoinNameOf81", func(t *testing.T) {
		tab := srv.on(t).newTable(coord.on(t), "Gezin Naam", meeting.PhaseWorries)
		before := tab.coord.state(tab.m.ID)
		for _, name := range []string{strings.Repeat("a", 81), "Sanne\u0000", "   "} {
			resp, body := srv.on(t).request("POST", "/api/join/"+tab.m.JoinCode, "", map[string]string{"name": name, "partyId": tab.party["Moeder"]})
			restError(t, fmt.Sprintf("join as %q", name), resp.StatusCode, body, 400, meeting.ECodeInvalidInput)
		}
		tab.coord.unchanged(t, tab.m.ID, before)
		srv.on(t).join(tab.m.JoinCode, "  "+strings.Repeat("a", 80)+"  ", tab.party["Moeder"])
	})

	t.Run("RESTBadJSON", func(t *testing.T) {
		c := coord.on(t)
		var before []map[string]any
		c.call("GET", "/api/families", nil, &before, 200)
		for name, body := range map[string][]byte{
			"malformed":    []byte(`{"label":`),
			"unknownField": []byte(`{"label":"Gezin X","admin":true}`),
			"array":        []byte(`[{"label":"Gezin X"}]`),
		} {
			resp, b := c.s.request("POST", "/api/families", c.cookie, body)
			restError(t, name, resp.StatusCode, b, 400, meeting.ECodeInvalidJSON)
		}
		var after []map[string]any
		c.call("GET", "/api/families", nil, &after, 200)
		if len(after) != len(before) {
			t.Fatalf("families %d before, %d after bad requests", len(before), len(after))
		}
		c.call("POST", "/api/families", map[string]string{"label": "Gezin X"}, nil, 201)
	})
}

// waitAnswers waits until every command id in want has an answer, then a little
// longer for any second answer, and returns the answers by id.
func waitAnswers(t *testing.T, ws *wsclient.Client, want map[string]bool) map[string][]wsclient.Frame {
	t.Helper()
	collect := func() map[string][]wsclient.Frame {
		got := map[string][]wsclient.Frame{}
		for _, f := range ws.Frames() {
			if (f.Type == "ack" || f.Type == "error") && want[f.ID] {
				got[f.ID] = append(got[f.ID], f)
			}
		}
		return got
	}
	deadline := time.Now().Add(15 * time.Second)
	for len(collect()) < len(want) {
		if ws.Closed() || time.Now().After(deadline) {
			t.Fatalf("%d of %d commands answered (closed %v)", len(collect()), len(want), ws.Closed())
		}
		time.Sleep(5 * time.Millisecond)
	}
	// Answers come in order: once one more command is answered, any second answer
	// to the ones in want would have arrived.
	if _, err := ws.Do("worry.withdraw", map[string]string{"itemId": "w0"}); err != nil {
		t.Fatal(err)
	}
	return collect()
}
