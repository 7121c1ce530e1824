package main

import (
	"strings"
	"testing"

	"github.com/tafel-met/tafel/server/meeting"
	"github.com/tafel-met/tafel/server/realtime/wsclient"
	"github.com/tafel-met/tafel/server/store"
)

// TestPendingSeesOnlyThemself: a socket in the lobby learns no one else's
// name, neither in its snapshot nor in the events that reach it while others
// join, are admitted and removed, and the meeting goes on; once admitted it
// gets the table.
func TestPendingSeesOnlyThemself(t *testing.T) {
	srv := startServer(t, store.SQLite)
	coord := srv.coordinator("Gemeente Lobby")
	tab := srv.newTable(coord, "Gezin L.", meeting.PhaseLobby) // Sanne, admitted
	jip := srv.join(tab.m.JoinCode, "Jip", tab.party["Moeder"])
	anouk := srv.join(tab.m.JoinCode, "Anouk", tab.party["Mentor"])
	kees := srv.join(tab.m.JoinCode, "Kees", tab.party["Mentor"])
	must(t, tab.cws, "participant.admit", map[string]string{"participantId": anouk.ID})
	must(t, tab.cws, "participant.remove", map[string]string{"participantId": kees.ID})
	must(t, tab.cws, "phase.set", map[string]string{"phase": "worries"})
	must(t, anouk.WS, "worry.add", map[string]string{"text": "Anouk ziet schulden"})
	must(t, tab.cws, "reveal", map[string]string{"kind": "worry"})
	last := must(t, tab.cws, "phase.set", map[string]string{"phase": "cluster"})
	if err := jip.WS.WaitSeq(last, faultTimeout); err != nil {
		t.Fatalf("Jip in the lobby: %v", err)
	}
	lobby := jip.WS.Frames()
	for _, f := range lobby {
		// Names, and ids as JSON strings (a bare "p3" is also in "top3").
		for _, name := range []string{"Sanne", "Anouk", "Kees", `"` + tab.mother.ID + `"`, `"` + anouk.ID + `"`, `"` + kees.ID + `"`} {
			if strings.Contains(string(f.Raw), name) {
				t.Fatalf("Jip, still in the lobby, received %q: %s", name, f.Raw)
			}
		}
	}
	if !jip.WS.Saw("Jip") {
		t.Fatal("Jip's snapshot does not show Jip")
	}
	// Admitted, Jip learns it and gets the table with everyone on it.
	from := len(lobby)
	must(t, tab.cws, "participant.admit", map[string]string{"participantId": jip.ID})
	f := frameAfter(t, jip.WS, from, func(f wsclient.Frame) bool { return f.Type == "snapshot" })
	for _, name := range []string{"Sanne", "Anouk", "Jip"} {
		if !strings.Contains(string(f.Meeting), name) {
			t.Fatalf("Jip's snapshot after admission lacks %s: %s", name, f.Meeting)
		}
	}
	ev := frameAfter(t, jip.WS, from, func(f wsclient.Frame) bool { return f.Name == meeting.EvParticipantUpsert })
	if !strings.Contains(string(ev.Data), jip.ID) || !strings.Contains(string(ev.Data), `"admitted"`) {
		t.Fatalf("Jip's first participant event after the lobby is not their own admission: %s", ev.Raw)
	}
}
