package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"time"

	"github.com/tafel-met/tafel/server/httpapi"
	"github.com/tafel-met/tafel/server/meeting"
	"github.com/tafel-met/tafel/server/realtime/wsclient"
	"github.com/tafel-met/tafel/server/store"
)

// Demo account; the demo runs on its own data directory, never on real data.
const (
	demoOrganisation = "Demo Gebiedsteam"
	demoEmail        = "demo@tafel.example"
	demoPassword     = "demo-wachtwoord-tafel"
)

// demoPeople are invented people who join the demo meeting from simulated phones.
var demoPeople = []struct {
	name, party string
	worries     []string
}{
	{"Sanne", "Moeder", []string{"Er is te weinig geld voor eten", "Kim slaapt slecht"}},
	{"Henk", "Vader", []string{"Ik heb geen werk meer", "Er is veel ruzie thuis"}},
	{"Ans", "Buurvrouw", []string{"De kinderen zijn vaak alleen thuis"}},
	{"Anouk", "Veilig Thuis", []string{"Zorgen over de veiligheid van Kim", "Schulden lopen op"}},
	{"Daan", "Jeugdreclassering", []string{"Tim gaat niet naar school"}},
}

// demo serves Tafel with a demo organisation and a meeting that simulated
// participants join and fill, so a newcomer sees the whole flow in one command.
func demo(ctx context.Context, cfg Config, out io.Writer) error {
	m := NewMain(cfg, out)
	m.NoSetupLink = true
	if err := m.Run(ctx); err != nil {
		return err
	}
	defer m.Close()
	base := "http://" + m.Addr()
	meetingID, code, err := seedDemo(ctx, m, base)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, `
Tafel demo is running.

  Console (coordinator):  %s/            sign in as %s / %s
  Shared screen:          %s/screen/%s
  Join on a phone:        %s/join/%s   (code %s)

Simulated phones join now. Move the meeting on from the console: they add worries
in the worries round, rank in the ranking round and say "akkoord" when asked.
Press Ctrl-C to stop.
`, cfg.BaseURL, demoEmail, demoPassword, cfg.BaseURL, meetingID, cfg.BaseURL, code, code)
	startDemoPhones(ctx, m, meetingID, time.Second)
	<-ctx.Done()
	return nil
}

func seedDemo(ctx context.Context, m *Main, base string) (meetingID, code string, err error) {
	hash, err := httpapi.HashPassword(demoPassword)
	if err != nil {
		return "", "", err
	}
	if _, err := m.Store.FindUserByEmail(ctx, demoEmail); err != nil {
		if _, _, err := m.Store.CreateOrganisationWithAdmin(ctx, demoOrganisation, store.User{Email: demoEmail, Name: "Marieke (demo)", PasswordHash: hash}); err != nil {
			return "", "", err
		}
	}
	client := &http.Client{Timeout: 10 * time.Second}
	post := func(path, cookie string, body, out any) (*http.Response, error) {
		b, _ := json.Marshal(body)
		req, _ := http.NewRequestWithContext(ctx, "POST", base+path, bytes.NewReader(b))
		req.Header.Set("Content-Type", "application/json")
		if cookie != "" {
			req.Header.Set("Cookie", cookie)
		}
		resp, err := client.Do(req)
		if err != nil {
			return nil, err
		}
		defer resp.Body.Close()
		if resp.StatusCode >= 300 {
			msg, _ := io.ReadAll(resp.Body)
			return nil, fmt.Errorf("%s: %d %s", path, resp.StatusCode, msg)
		}
		if out != nil {
			return resp, json.NewDecoder(resp.Body).Decode(out)
		}
		return resp, nil
	}
	resp, err := post("/api/auth/login", "", map[string]string{"email": demoEmail, "password": demoPassword}, nil)
	if err != nil {
		return "", "", err
	}
	cookie := ""
	for _, c := range resp.Cookies() {
		cookie = c.Name + "=" + c.Value
	}
	var fam struct{ ID string }
	if _, err := post("/api/families", cookie, map[string]string{"label": "Gezin J. (demo)"}, &fam); err != nil {
		return "", "", err
	}
	parties := []map[string]string{{"name": "Moeder", "kind": "family"}, {"name": "Vader", "kind": "family"},
		{"name": "Buurvrouw", "kind": "network"}, {"name": "Veilig Thuis", "kind": "professional"}, {"name": "Jeugdreclassering", "kind": "professional"}}
	var mt struct{ ID, JoinCode string }
	if _, err := post("/api/meetings", cookie, map[string]any{"familyId": fam.ID, "title": "Top-3-gesprek (demo)",
		"date": time.Now().Format("2006-01-02"), "strengthsRound": true, "parties": parties}, &mt); err != nil {
		return "", "", err
	}
	return mt.ID, mt.JoinCode, nil
}

// startDemoPhones lets every demo person join from a simulated phone. pace is the
// time between looks at the meeting; pauses are one to five paces, like a person.
func startDemoPhones(ctx context.Context, m *Main, meetingID string, pace time.Duration) {
	for _, p := range demoPeople {
		go runDemoPhone(ctx, m, meetingID, p.name, p.party, p.worries, pace)
	}
}

// runDemoPhone is one simulated participant: it joins, waits to be admitted and
// acts once in each round, with human-like pauses.
func runDemoPhone(ctx context.Context, m *Main, meetingID, name, partyName string, worries []string, pace time.Duration) {
	sleep := func(paces int) {
		select {
		case <-ctx.Done():
		case <-time.After(time.Duration(paces) * pace):
		}
	}
	sleep(1 + rand.IntN(3))
	view, err := m.App.View(ctx, meetingID, meeting.Viewer{Role: meeting.RoleJoiner})
	if err != nil {
		return
	}
	partyID := ""
	for _, p := range view.Parties {
		if p.Name == partyName {
			partyID = p.ID
		}
	}
	token := store.NewToken()
	pid, err := m.App.Join(ctx, meetingID, name, partyID, store.HashToken(token), meeting.AuditEntry{ActorType: "participant",
		ActorRole: "participant", Action: meeting.AuditCreate, ObjectType: "participant"})
	if err != nil {
		m.Log.Warn("demo phone could not join", "name", name, "err", err)
		return
	}
	ws, err := wsclient.Dial(m.Addr(), meetingID, "")
	if err != nil {
		return
	}
	defer ws.Close()
	if err := ws.Hello(token, "", 0); err != nil {
		return
	}
	done := map[meeting.Phase]bool{}
	for ctx.Err() == nil && !ws.Closed() {
		sleep(1)
		v, err := m.App.View(ctx, meetingID, meeting.Viewer{Role: meeting.RoleParticipant, ParticipantID: pid})
		if err != nil || done[v.Phase] {
			continue
		}
		me := findParticipant(v.Participants, pid)
		if me == nil || me.Status != meeting.StatusAdmitted {
			continue
		}
		done[v.Phase] = true
		pause := func() { sleep(1 + rand.IntN(5)) }
		switch v.Phase {
		case meeting.PhaseStrengths:
			pause()
			_, _ = ws.Do("strength.add", map[string]string{"text": name + ": we doen ons best voor de kinderen"})
		case meeting.PhaseWorries:
			for _, w := range worries {
				pause()
				_, _ = ws.Do("worry.add", map[string]string{"text": w})
			}
		case meeting.PhaseRank:
			pause()
			var ids []string
			for _, it := range v.Items {
				if it.Kind == meeting.KindWorry && it.Revealed && !it.Withdrawn && it.MergedInto == "" {
					ids = append(ids, it.ID)
				}
			}
			rand.Shuffle(len(ids), func(i, j int) { ids[i], ids[j] = ids[j], ids[i] })
			if len(ids) > 3 {
				ids = ids[:3]
			}
			_, _ = ws.Do("ranking.set", map[string]any{"worryIds": ids})
		case meeting.PhaseAgree:
			done[v.Phase] = false // wait for the coordinator to confirm
			if v.Agreement.Confirmed {
				done[v.Phase] = true
				pause()
				_, _ = ws.Do("agree.akkoord", map[string]string{})
			}
		}
	}
}

func findParticipant(ps []meeting.Participant, id string) *meeting.Participant {
	for i := range ps {
		if ps[i].ID == id {
			return &ps[i]
		}
	}
	return nil
}
