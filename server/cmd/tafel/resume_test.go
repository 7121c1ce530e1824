package main

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tafel-met/tafel/server/meeting"
	"github.com/tafel-met/tafel/server/realtime/wsclient"
	"github.com/tafel-met/tafel/server/store"
	"github.com/tafel-met/tafel/server/store/storetest"
)

// TestReconnect covers what happens around a dropped connection, on SQLite and
// Postgres: resuming, snapshots, resent commands, removal, the lock and a restart.
func TestReconnect(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			srv := startServer(t, d)
			coord := srv.coordinator("Gemeente Voorbeeld")
			t.Run("ResumeMissedEvents", func(t *testing.T) { resumeMissedEvents(t, srv.on(t), coord.on(t)) })
			t.Run("ResumeAcrossAdmission", func(t *testing.T) { resumeAcrossAdmission(t, srv.on(t), coord.on(t)) })
			t.Run("ResentCommand", func(t *testing.T) { resentCommand(t, srv.on(t), coord.on(t)) })
			t.Run("RemovedParticipant", func(t *testing.T) { removedParticipant(t, srv.on(t), coord.on(t)) })
			t.Run("LockedMeeting", func(t *testing.T) { lockedMeeting(t, srv.on(t), coord.on(t)) })
			t.Run("ServerRestart", func(t *testing.T) { serverRestart(t, d) })
		})
	}
}

// resumeMissedEvents: a phone that drops and comes back with lastSeq gets exactly
// the events it missed that it may see, and no snapshot; with lastSeq 0, a snapshot.
func resumeMissedEvents(t *testing.T, srv *testServer, coord *coordinator) {
	tab := srv.newTable(coord, "Gezin R.", meeting.PhaseWorries)
	mentor := srv.join(tab.m.JoinCode, "Daan", tab.party["Mentor"])
	must(t, tab.cws, "participant.admit", map[string]string{"participantId": mentor.ID})
	must(t, tab.mother.WS, "worry.add", map[string]string{"text": "Mijn eigen zorg"})
	synced := must(t, tab.cws, "meeting.lock", map[string]string{})
	if err := tab.mother.WS.WaitSeq(synced, 5*time.Second); err != nil {
		t.Fatal(err)
	}
	lastSeen := seenSeq(tab.mother.WS)
	tab.mother.WS.Close()

	// While she is away: drafts she may not see, a joiner in the lobby she may not
	// see, and changes to the table she may.
	draft := must(t, mentor.WS, "worry.add", map[string]string{"text": "Zorg van de mentor"})
	must(t, mentor.WS, "worry.edit", map[string]string{"itemId": "w" + strconv.FormatInt(draft, 10), "text": "Zorg van de mentor, bewerkt"})
	must(t, tab.cws, "worry.add", map[string]string{"text": "Namens de mentor", "partyId": tab.party["Mentor"]})
	must(t, tab.cws, "meeting.unlock", map[string]string{})
	must(t, tab.cws, "party.add", map[string]string{"name": "Buurvrouw", "kind": "network"})
	neighbour := srv.join(tab.m.JoinCode, "Els", tab.party["Mentor"])
	must(t, tab.cws, "participant.admit", map[string]string{"participantId": neighbour.ID})
	must(t, mentor.WS, "worry.add", map[string]string{"text": "Nog een zorg van de mentor"})
	last := must(t, tab.cws, "reveal", map[string]string{"kind": "worry", "partyId": tab.party["Mentor"]})

	log, err := srv.main.Store.EventsSince(context.Background(), tab.m.ID, lastSeen, last)
	if err != nil {
		t.Fatal(err)
	}
	viewer := meeting.Viewer{Role: meeting.RoleParticipant, ParticipantID: tab.mother.ID, Admitted: true}
	var want []meeting.Event
	for _, ev := range log {
		if viewer.CanSee(ev) {
			want = append(want, ev)
		}
	}
	if len(want) == 0 || len(want) == len(log) {
		t.Fatalf("test setup: of %d missed events she may see %d; want some of each", len(log), len(want))
	}

	ws := srv.connectPhone(tab.m.ID, tab.mother.Token, lastSeen)
	if err := ws.WaitSeq(last, 5*time.Second); err != nil {
		t.Fatal(err)
	}
	// One more visible change marks the end of the resume.
	end := must(t, tab.cws, "meeting.lock", map[string]string{})
	if err := ws.WaitSeq(end, 5*time.Second); err != nil {
		t.Fatal(err)
	}
	welcome, _ := ws.WaitFor(func(f wsclient.Frame) bool { return f.Type == "welcome" }, time.Second)
	if welcome.Seq != last || welcome.Role != "participant" {
		t.Fatalf("welcome %s, want seq %d", welcome.Raw, last)
	}
	if n := snapshots(ws); n != 0 {
		t.Fatalf("a resume with lastSeq %d sent %d snapshots", lastSeen, n)
	}
	got := ws.Events()
	if len(got) != len(want)+1 {
		t.Fatalf("resumed with %d events, want the %d missed she may see and the lock", len(got), len(want))
	}
	for i, ev := range want {
		if got[i].Seq != ev.Seq || got[i].Name != ev.Name || string(got[i].Data) != string(ev.Data) {
			t.Fatalf("event %d: seq %d %s, want seq %d %s", i, got[i].Seq, got[i].Name, ev.Seq, ev.Name)
		}
	}

	// With lastSeq 0 she gets one snapshot of everything she may see now.
	fresh := srv.connectPhone(tab.m.ID, tab.mother.Token, 0)
	f, err := fresh.WaitFor(func(f wsclient.Frame) bool { return f.Type == "snapshot" }, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	var snap struct{ Meeting meeting.View }
	if err := json.Unmarshal(f.Raw, &snap); err != nil {
		t.Fatal(err)
	}
	// Her own draft, and the mentor's party as revealed (with what the coordinator
	// typed for it), the mentor's worry as last edited.
	var texts []string
	for _, it := range snap.Meeting.Items {
		texts = append(texts, it.Text)
	}
	wantTexts := []string{"Mijn eigen zorg", "Zorg van de mentor, bewerkt", "Namens de mentor", "Nog een zorg van de mentor"}
	if f.Seq != end || strings.Join(texts, "|") != strings.Join(wantTexts, "|") {
		t.Fatalf("snapshot at seq %d (want %d) with items %q, want %q", f.Seq, end, texts, wantTexts)
	}
}

// resumeAcrossAdmission: a late joiner whose phone was away while the coordinator
// admitted them gets the table they could not see while pending, not just the
// admission: what was revealed before they joined is on their screen.
func resumeAcrossAdmission(t *testing.T, srv *testServer, coord *coordinator) {
	tab := srv.newTable(coord, "Gezin Laat", meeting.PhaseWorries)
	must(t, tab.mother.WS, "worry.add", map[string]string{"text": "Al onthuld voor je kwam"})
	must(t, tab.cws, "reveal", map[string]string{"kind": "worry"})
	late := srv.join(tab.m.JoinCode, "Laatkomer", tab.party["Mentor"])
	if _, err := late.WS.WaitFor(func(f wsclient.Frame) bool { return f.Type == "snapshot" }, 5*time.Second); err != nil {
		t.Fatal(err)
	}
	if late.WS.Saw("Al onthuld") {
		t.Fatal("a pending participant saw a revealed worry")
	}
	lastSeen := seenSeq(late.WS)
	late.WS.Close()
	admitted := must(t, tab.cws, "participant.admit", map[string]string{"participantId": late.ID})

	ws := srv.connectPhone(tab.m.ID, late.Token, lastSeen)
	if err := ws.WaitSeq(admitted, 5*time.Second); err != nil {
		t.Fatal(err)
	}
	f, err := ws.WaitFor(func(f wsclient.Frame) bool { return f.Type == "snapshot" }, 5*time.Second)
	if err != nil {
		t.Fatalf("no snapshot after resuming across the admission: %v; frames: %s", err, rawFrames(ws.Frames(), 0))
	}
	if f.Seq < admitted || !strings.Contains(string(f.Raw), `"text":"Al onthuld voor je kwam"`) {
		t.Fatalf("snapshot after the admission (seq %d, want >= %d): %s", f.Seq, admitted, f.Raw)
	}
}

// resentCommand: a command id sent again after a reconnect gets the first ack
// again, marked duplicate, and changes nothing, even with other data.
func resentCommand(t *testing.T, srv *testServer, coord *coordinator) {
	tab := srv.newTable(coord, "Gezin Dubbel", meeting.PhaseWorries)
	const id = "c-phone-7"
	if err := tab.mother.WS.SendCommand(id, "worry.add", map[string]string{"text": "Eén keer opslaan"}); err != nil {
		t.Fatal(err)
	}
	first, err := tab.mother.WS.Answer(id, 5*time.Second)
	if err != nil || first.Type != "ack" || first.Duplicate {
		t.Fatalf("first send: %s %v", first.Raw, err)
	}
	tab.mother.WS.Close()
	before := tab.coord.state(tab.m.ID)

	ws := srv.connectPhone(tab.m.ID, tab.mother.Token, first.Seq)
	for _, text := range []string{"Eén keer opslaan", "Iets anders"} {
		from := len(ws.Frames())
		if err := ws.SendCommand(id, "worry.add", map[string]string{"text": text}); err != nil {
			t.Fatal(err)
		}
		again := answerAfter(t, ws, from)
		if again.Type != "ack" || !again.Duplicate || again.Seq != first.Seq {
			t.Fatalf("resent %q: %s, want an ack with duplicate:true and seq %d", text, again.Raw, first.Seq)
		}
	}
	tab.coord.unchanged(t, tab.m.ID, before)
	items := srv.participantSnapshot(tab.m.ID, tab.mother.Token).Items
	if len(items) != 1 || items[0].Text != "Eén keer opslaan" {
		t.Fatalf("items after resending: %+v", items)
	}
	// The same id from another device is another command.
	other := srv.join(tab.m.JoinCode, "Henk", tab.party["Moeder"])
	must(t, tab.cws, "participant.admit", map[string]string{"participantId": other.ID})
	from := len(other.WS.Frames())
	if err := other.WS.SendCommand(id, "worry.add", map[string]string{"text": "Van Henk"}); err != nil {
		t.Fatal(err)
	}
	if f := answerAfter(t, other.WS, from); f.Type != "ack" || f.Duplicate {
		t.Fatalf("the same id from another participant: %s", f.Raw)
	}
}

// removedParticipant: the socket is closed with 4003 at once and the token stops working.
func removedParticipant(t *testing.T, srv *testServer, coord *coordinator) {
	tab := srv.newTable(coord, "Gezin Weg", meeting.PhaseWorries)
	must(t, tab.cws, "participant.remove", map[string]string{"participantId": tab.mother.ID})
	code, err := tab.mother.WS.WaitClosed(time.Second)
	if err != nil || code != 4003 {
		t.Fatalf("the removed participant's socket: close code %d, %v; want 4003 within a second", code, err)
	}
	if !tab.mother.WS.Saw(`"status":"removed"`) {
		t.Error("the removed participant was not told before the socket closed")
	}
	ws := srv.connectPhone(tab.m.ID, tab.mother.Token, 0)
	f := firstFrame(t, ws)
	if f.Type != "error" || f.Code != meeting.ECodeForbidden {
		t.Fatalf("hello with a removed participant's token: %s, want forbidden", f.Raw)
	}
	if code, err := ws.WaitClosed(2 * time.Second); err != nil || code != 4001 {
		t.Fatalf("socket after a refused hello: %d %v", code, err)
	}
	for _, fr := range ws.Frames() {
		if fr.Type != "error" {
			t.Fatalf("a removed participant's token got %s", fr.Raw)
		}
	}
	resp, body := srv.request("GET", "/api/meetings/"+tab.m.ID+"/snapshot", "Bearer "+tab.mother.Token, nil)
	restError(t, "snapshot with a removed participant's token", resp.StatusCode, body, 404, meeting.ECodeNotFound)
}

// lockedMeeting: a locked meeting refuses new joiners, and takes them again once unlocked.
func lockedMeeting(t *testing.T, srv *testServer, coord *coordinator) {
	tab := srv.newTable(coord, "Gezin Slot", meeting.PhaseLobby)
	must(t, tab.cws, "meeting.lock", map[string]string{})
	before := tab.coord.state(tab.m.ID)
	resp, body := srv.request("POST", "/api/join/"+tab.m.JoinCode, "", map[string]string{"name": "Laatkomer", "partyId": tab.party["Moeder"]})
	restError(t, "join a locked meeting", resp.StatusCode, body, 409, meeting.ECodeLocked)
	resp, body = srv.request("GET", "/api/join/"+tab.m.JoinCode, "", nil)
	if resp.StatusCode != 200 || !strings.Contains(string(body), `"locked":true`) {
		t.Fatalf("join info of a locked meeting: %d %s", resp.StatusCode, body)
	}
	tab.coord.unchanged(t, tab.m.ID, before)
	must(t, tab.cws, "meeting.unlock", map[string]string{})
	srv.join(tab.m.JoinCode, "Laatkomer", tab.party["Moeder"])
}

// serverRestart: what was acknowledged survives stopping the server and starting
// a new one on the same database, and the phone carries on with its token.
func serverRestart(t *testing.T, d store.Dialect) {
	url := "sqlite:" + t.TempDir() + "/tafel.db"
	if d == store.Postgres {
		url = storetest.URL(t, d)
	}
	srv := startServerOn(t, url)
	stop := srv.main.Close
	coord := srv.coordinator("Gemeente Voorbeeld")
	tab := srv.newTable(coord, "Gezin Herstart", meeting.PhaseWorries)
	const id = "c-before-restart"
	if err := tab.mother.WS.SendCommand(id, "worry.add", map[string]string{"text": "Dit moet blijven"}); err != nil {
		t.Fatal(err)
	}
	acked, err := tab.mother.WS.Answer(id, 5*time.Second)
	if err != nil || acked.Type != "ack" {
		t.Fatalf("worry.add: %s %v", acked.Raw, err)
	}
	if err := stop(); err != nil {
		t.Fatalf("stop: %v", err)
	}
	if code, err := tab.mother.WS.WaitClosed(2 * time.Second); err != nil || code != 1001 {
		t.Fatalf("the phone's socket at shutdown: close code %d, %v; want 1001 (going away)", code, err)
	}

	srv2 := startServerOn(t, url)
	coord2 := &coordinator{s: srv2, cookie: coord.cookie}
	ws := srv2.connectPhone(tab.m.ID, tab.mother.Token, 0)
	f, err := ws.WaitFor(func(f wsclient.Frame) bool { return f.Type == "snapshot" }, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	var snap struct{ Meeting meeting.View }
	if err := json.Unmarshal(f.Raw, &snap); err != nil {
		t.Fatal(err)
	}
	items := snap.Meeting.Items
	if f.Seq != acked.Seq || len(items) != 1 || items[0].Text != "Dit moet blijven" || items[0].Revealed {
		t.Fatalf("after the restart: snapshot seq %d (want %d), items %+v", f.Seq, acked.Seq, items)
	}
	// The command id is remembered across the restart too.
	from := len(ws.Frames())
	if err := ws.SendCommand(id, "worry.add", map[string]string{"text": "Dit moet blijven"}); err != nil {
		t.Fatal(err)
	}
	if again := answerAfter(t, ws, from); again.Type != "ack" || !again.Duplicate || again.Seq != acked.Seq {
		t.Fatalf("resent after the restart: %s", again.Raw)
	}
	// The coordinator's session survives too, and the meeting carries on.
	cws := coord2.connect(tab.m.ID, "")
	revealed := must(t, cws, "reveal", map[string]string{"kind": "worry"})
	if err := ws.WaitSeq(revealed, 5*time.Second); err != nil {
		t.Fatal(err)
	}
	if got := coord2.snapshot(tab.m.ID).Items; len(got) != 1 || got[0].Text != "Dit moet blijven" || !got[0].Revealed {
		t.Fatalf("coordinator's snapshot after the restart: %+v", got)
	}
}
