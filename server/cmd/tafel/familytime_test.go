package main

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/tafel-met/tafel/server/meeting"
	"github.com/tafel-met/tafel/server/realtime/wsclient"
	"github.com/tafel-met/tafel/server/store/storetest"
)

// TestFamilyTimeOverSockets checks, over real websockets, that no professional
// socket (a professional's phone, the coordinator, the screen, a new snapshot
// or a resume) receives what the family writes in family time before it is
// brought, that the family's phones share the list, and that what is brought
// reaches everyone when the spokesperson ends family time.
func TestFamilyTimeOverSockets(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			srv := startServer(t, d)
			coord := srv.coordinator("Gemeente Voorbeeld")
			m := coord.meeting("Gezin F.", "Moeder:family", "Buurvrouw:network", "Veilig Thuis:professional")
			party := coord.partyIDs(m.ID)
			cws := coord.connect(m.ID, "")
			screen := coord.connect(m.ID, "screen")
			mother := srv.join(m.JoinCode, "Sanne", party["Moeder"])
			neighbour := srv.join(m.JoinCode, "Els", party["Buurvrouw"])
			pro := srv.join(m.JoinCode, "Anouk", party["Veilig Thuis"])
			for _, p := range []*phone{mother, neighbour, pro} {
				must(t, cws, "participant.admit", map[string]string{"participantId": p.ID})
			}
			must(t, cws, "phase.set", map[string]string{"phase": "worries"})
			before := must(t, cws, "familytime.start", map[string]any{})
			must(t, cws, "familytime.spokesperson", map[string]string{"participantId": mother.ID})

			bring, keep, edited := uniqueText(t, "familie-brengen"), uniqueText(t, "familie-houden"), uniqueText(t, "familie-bewerkt")
			id := fmt.Sprintf("w%d", must(t, mother.WS, "family.add", map[string]string{"text": bring}))
			must(t, neighbour.WS, "family.add", map[string]string{"text": keep})
			// The neighbour edits the mother's item and marks it to bring: one shared list.
			must(t, neighbour.WS, "family.edit", map[string]any{"itemId": id, "text": edited, "bring": true})
			refused(t, pro.WS, "family.add", map[string]string{"text": "ik ook"}, meeting.ECodeForbidden)

			// Sync every socket on an event all of them see.
			must(t, cws, "meeting.lock", map[string]any{})
			synced := must(t, cws, "meeting.unlock", map[string]any{})
			live := map[string]*wsclient.Client{"coordinator": cws, "screen": screen, "professional": pro.WS,
				"mother": mother.WS, "neighbour": neighbour.WS,
				"new screen": coord.connect(m.ID, "screen"), "professional, snapshot": srv.connectPhone(m.ID, pro.Token, 0),
				"professional, resumed": srv.connectPhone(m.ID, pro.Token, before), "coordinator, resumed": coord.resume(m.ID, "", before)}
			for name, ws := range live {
				if err := ws.WaitSeq(synced, 5*time.Second); err != nil {
					t.Fatalf("%s: %v", name, err)
				}
			}
			professional := []string{"coordinator", "screen", "professional", "new screen", "professional, snapshot", "professional, resumed", "coordinator, resumed"}
			for _, name := range professional {
				for _, text := range []string{bring, keep, edited, "familie-"} {
					if live[name].Saw(text) {
						t.Fatalf("%s received family-time content %q", name, text)
					}
				}
				for _, f := range live[name].Events() {
					if f.Name == meeting.EvDraftsCounted && string(f.Data) != `{"drafts":[]}` {
						t.Fatalf("%s learned the family list's size: %s", name, f.Data)
					}
				}
			}
			for _, name := range []string{"mother", "neighbour"} {
				if !live[name].Saw(edited) || !live[name].Saw(keep) {
					t.Fatalf("%s does not see the shared family list", name)
				}
			}
			if v := srv.participantSnapshot(m.ID, pro.Token); len(v.Items) != 0 || !v.FamilyTime {
				t.Fatalf("the professional's REST snapshot during family time: %+v", v)
			}

			// The spokesperson ends family time: the brought item reaches everyone, the rest stays.
			ended := must(t, mother.WS, "familytime.end", map[string]any{})
			for name, ws := range live {
				if err := ws.WaitSeq(ended, 5*time.Second); err != nil {
					t.Fatalf("%s: %v", name, err)
				}
				if !ws.Saw(edited) {
					t.Errorf("%s did not get what the family brought", name)
				}
			}
			for _, name := range professional {
				if live[name].Saw(keep) {
					t.Errorf("%s received what the family kept", name)
				}
			}
			var rev struct{ Items []meeting.Item }
			for _, f := range pro.WS.Events() {
				if f.Name == meeting.EvItemsRevealed {
					_ = json.Unmarshal(f.Data, &rev)
				}
			}
			if len(rev.Items) != 1 || rev.Items[0].ID != id || rev.Items[0].Text != edited {
				t.Fatalf("revealed to the professional: %+v", rev.Items)
			}
		})
	}
}
