package main

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/tafel-met/tafel/server/meeting"
	"github.com/tafel-met/tafel/server/realtime/wsclient"
	"github.com/tafel-met/tafel/server/store"
	"github.com/tafel-met/tafel/server/store/storetest"
)

// TestDraftsStayPrivate checks, on SQLite and Postgres, that a participant's draft
// worry reaches nobody but its author before the coordinator reveals it: not the
// other phones, not the shared screen, not the coordinator, not over a new socket
// (snapshot or resume) and not over REST; and that after the reveal the table sees
// the worry as it was last edited.
func TestDraftsStayPrivate(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(string(d), func(t *testing.T) { draftsStayPrivate(t, d) })
	}
}

func uniqueText(t *testing.T, what string) string {
	t.Helper()
	b := make([]byte, 6)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return what + "-" + hex.EncodeToString(b)
}

func draftsStayPrivate(t *testing.T, d store.Dialect) {
	srv := startServer(t, d)
	coord := srv.coordinator("Gemeente Voorbeeld")
	m := coord.meeting("Gezin D.", "Moeder:family", "Vader:family", "Mentor:professional")
	party := coord.partyIDs(m.ID)
	cws := coord.connect(m.ID, "")
	screen := coord.connect(m.ID, "screen")
	author := srv.join(m.JoinCode, "Sanne", party["Moeder"])
	other := srv.join(m.JoinCode, "Henk", party["Vader"])
	for _, p := range []*phone{author, other} {
		must(t, cws, "participant.admit", map[string]string{"participantId": p.ID})
	}
	beforeDrafts := must(t, cws, "phase.set", map[string]string{"phase": "worries"})
	for _, ws := range []*wsclient.Client{author.WS, other.WS, screen} {
		if err := ws.WaitSeq(beforeDrafts, 5*time.Second); err != nil {
			t.Fatal(err)
		}
	}

	first, edited, second := uniqueText(t, "eerste-zorg"), uniqueText(t, "bewerkte-zorg"), uniqueText(t, "tweede-zorg")
	onBehalf := uniqueText(t, "namens-vader")
	id := fmt.Sprintf("w%d", must(t, author.WS, "worry.add", map[string]string{"text": first, "domain": "financien"}))
	must(t, author.WS, "worry.edit", map[string]string{"itemId": id, "text": edited, "domain": "financien"})
	must(t, author.WS, "worry.add", map[string]string{"text": second})
	// A draft the coordinator types for the father's party is the coordinator's alone.
	must(t, cws, "worry.add", map[string]string{"text": onBehalf, "partyId": party["Vader"]})

	// The sync point: every socket has the unlock, so anything sent before it is in.
	must(t, cws, "meeting.lock", map[string]string{})
	synced := must(t, cws, "meeting.unlock", map[string]string{})
	live := map[string]*wsclient.Client{"author": author.WS, "other phone": other.WS, "screen": screen, "coordinator": cws}
	for name, ws := range live {
		if err := ws.WaitSeq(synced, 5*time.Second); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
	for _, text := range []string{first, edited, second} {
		if !author.WS.Saw(text) {
			t.Fatalf("the author did not see their own draft %s", text)
		}
	}
	if !cws.Saw(onBehalf) {
		t.Fatal("the coordinator did not see the draft they typed")
	}

	// New sockets: a snapshot (lastSeq 0) and a resume (lastSeq before the drafts).
	newScreen := coord.connect(m.ID, "screen")
	otherSnapshot := srv.connectPhone(m.ID, other.Token, 0)
	otherResumed := srv.connectPhone(m.ID, other.Token, beforeDrafts)
	coordResumed := coord.resume(m.ID, "", beforeDrafts)
	screenResumed := coord.resume(m.ID, "screen", beforeDrafts)
	fresh := map[string]*wsclient.Client{"new screen": newScreen, "other phone, snapshot": otherSnapshot,
		"other phone, resumed": otherResumed, "coordinator, resumed": coordResumed, "screen, resumed": screenResumed}
	for name, ws := range fresh {
		if err := ws.WaitSeq(synced, 5*time.Second); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		live[name] = ws
	}
	for name, ws := range map[string]*wsclient.Client{"other phone, resumed": otherResumed, "coordinator, resumed": coordResumed, "screen, resumed": screenResumed} {
		if n := snapshots(ws); n != 0 {
			t.Fatalf("%s got %d snapshots, want a resume", name, n)
		}
	}
	notSeen := func(when string, names []string, texts ...string) {
		t.Helper()
		for _, name := range names {
			for _, text := range texts {
				if live[name].Saw(text) {
					t.Errorf("%s: %s received the draft %q", when, name, text)
				}
			}
		}
	}
	everyone := []string{"other phone", "screen", "coordinator", "new screen", "other phone, snapshot", "other phone, resumed", "coordinator, resumed", "screen, resumed"}
	notCoordinator := []string{"author", "other phone", "screen", "new screen", "other phone, snapshot", "other phone, resumed", "screen, resumed"}
	notSeen("before the reveal", everyone, first, edited, second)
	notSeen("before the reveal", notCoordinator, onBehalf)
	if !coordResumed.Saw(onBehalf) {
		t.Error("a resumed coordinator socket did not get the draft the coordinator typed")
	}

	// REST snapshots of another participant, the coordinator and the author.
	for name, v := range map[string]meeting.View{"other participant": srv.participantSnapshot(m.ID, other.Token), "coordinator": coord.snapshot(m.ID)} {
		for _, it := range v.Items {
			if it.AuthorIDs[0] == author.ID || strings.Contains(it.Text, "zorg-") {
				t.Errorf("the REST snapshot of %s holds the draft %+v", name, it)
			}
		}
	}
	if items := srv.participantSnapshot(m.ID, author.Token).Items; len(items) != 2 || items[0].Text != edited || items[1].Text != second {
		t.Errorf("the author's own REST snapshot: %+v", items)
	}
	if t.Failed() {
		return
	}

	// After the reveal of the mother's party the table sees her worries as last
	// edited; the text before the edit and the father's draft stay unseen.
	revealed := must(t, cws, "reveal", map[string]string{"kind": "worry", "partyId": party["Moeder"]})
	for name, ws := range live {
		if err := ws.WaitSeq(revealed, 5*time.Second); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if !ws.Saw(edited) || !ws.Saw(second) {
			t.Errorf("%s did not see the revealed worries", name)
		}
	}
	notSeen("after the reveal", everyone, first)
	notSeen("after the reveal", notCoordinator, onBehalf)
	if v := srv.participantSnapshot(m.ID, other.Token); len(v.Items) != 2 {
		t.Errorf("the other participant's REST snapshot after the reveal: %+v", v.Items)
	}
}
