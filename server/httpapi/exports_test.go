package httpapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/tafel-met/tafel/server/app"
	"github.com/tafel-met/tafel/server/httpapi"
	"github.com/tafel-met/tafel/server/meeting"
	"github.com/tafel-met/tafel/server/realtime"
	"github.com/tafel-met/tafel/server/store"
	"github.com/tafel-met/tafel/server/store/storetest"
)

// exportServer is a real server on SQLite with one organisation's meeting,
// driven through the hub as the meeting would be.
type exportServer struct {
	t      *testing.T
	srv    *httpapi.Server
	st     *store.Store
	live   *app.Service
	org    store.Organisation
	cookie string
	info   store.MeetingInfo
}

func newExportServer(t *testing.T) *exportServer {
	t.Helper()
	ctx := context.Background()
	st := storetest.Open(t, store.SQLite)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	live := app.New(st, app.LocalBroker{}, log)
	hub := realtime.NewHub(live, st, log)
	t.Cleanup(hub.Close)
	es := &exportServer{t: t, st: st, live: live, srv: httpapi.New(httpapi.Config{BaseURL: "http://tafel.test"}, st, live, hub, nil, log)}
	org, u, err := st.CreateOrganisationWithAdmin(ctx, "Gemeente Voorbeeld", store.User{Email: "c@example.org", Name: "Coördinator", PasswordHash: "x"})
	if err != nil {
		t.Fatal(err)
	}
	es.org = org
	es.cookie = es.session(u)
	fam, err := st.CreateFamily(ctx, org.ID, "Gezin J.")
	if err != nil {
		t.Fatal(err)
	}
	es.info, err = st.CreateMeeting(ctx, store.NewMeeting{OrganisationID: org.ID, FamilyID: fam.ID, Title: "Top-3-gesprek", Date: "2026-12-01",
		Options: meeting.Options{Weighting: meeting.WeightParty}},
		func(m *meeting.Meeting) (*meeting.Meeting, []meeting.Event, error) {
			return m.PrepareParties([]meeting.NewParty{{Name: "Moeder", Kind: meeting.KindFamily}, {Name: "Veilig Thuis", Kind: meeting.KindProfessional}})
		})
	if err != nil {
		t.Fatal(err)
	}
	return es
}

// session signs a user in through the store and returns the cookie.
func (es *exportServer) session(u store.User) string {
	es.t.Helper()
	sid := store.NewToken()
	if err := es.st.CreateSession(context.Background(), store.HashToken(sid), store.Session{UserID: u.ID, OrganisationID: u.OrganisationID,
		ExpiresAt: time.Now().Add(time.Hour)}); err != nil {
		es.t.Fatal(err)
	}
	return "tafel_session=" + sid
}

// run executes a command that must succeed and returns the resulting meeting.
func (es *exportServer) run(a meeting.Actor, name string, data any) *meeting.Meeting {
	es.t.Helper()
	raw, _ := json.Marshal(data)
	res, err := es.live.Execute(context.Background(), es.info.ID, app.Change{Command: meeting.Command{Name: name, Data: raw, Actor: a}})
	if err != nil {
		es.t.Fatalf("%s: %v", name, err)
	}
	return res.Meeting
}

// playToPlan takes the meeting through worries, ranking and agreement to a plan
// with a regisseur and an evaluation date.
func (es *exportServer) playToPlan() {
	es.t.Helper()
	ctx := context.Background()
	coord := meeting.Actor{Role: meeting.RoleCoordinator}
	sanne, err := es.live.Join(ctx, es.info.ID, "Sanne", "party1", store.HashToken(store.NewToken()), meeting.AuditEntry{Action: meeting.AuditCreate})
	if err != nil {
		es.t.Fatal(err)
	}
	zoe, err := es.live.Join(ctx, es.info.ID, "Zoë", "party2", store.HashToken(store.NewToken()), meeting.AuditEntry{Action: meeting.AuditCreate})
	if err != nil {
		es.t.Fatal(err)
	}
	for _, id := range []string{sanne, zoe} {
		es.run(coord, "participant.admit", map[string]string{"participantId": id})
	}
	es.run(coord, "phase.set", map[string]string{"phase": "worries"})
	m := es.run(meeting.Actor{Role: meeting.RoleParticipant, ParticipantID: sanne}, "worry.add", map[string]string{"text": "المال لا يكفي"})
	worry := m.Items[len(m.Items)-1].ID
	es.run(coord, "reveal", map[string]string{"kind": "worry"})
	es.run(coord, "phase.set", map[string]string{"phase": "cluster"})
	es.run(coord, "phase.set", map[string]string{"phase": "rank"})
	es.run(meeting.Actor{Role: meeting.RoleParticipant, ParticipantID: sanne}, "ranking.set", map[string]any{"worryIds": []string{worry}})
	es.run(coord, "phase.set", map[string]string{"phase": "agree"})
	es.run(coord, "agree.confirm", map[string]any{"worryIds": []string{worry}})
	es.run(meeting.Actor{Role: meeting.RoleParticipant, ParticipantID: sanne}, "agree.akkoord", nil)
	es.run(coord, "phase.set", map[string]string{"phase": "plan"})
	es.run(coord, "plan.goal.set", map[string]any{"worryId": worry, "goal": "Rond komen", "scoreNow": 3})
	es.run(coord, "plan.action.add", map[string]any{"worryId": worry, "what": "=Budgetcoach", "ownerPartyId": "party2", "due": "2027-01-15"})
	es.run(coord, "plan.details.set", map[string]any{"regisseurPartyId": "party2", "regisseurRole": "Gezinscoach", "nextEvaluation": "2027-03-01"})
}

func (es *exportServer) get(path, cookie string) *http.Response {
	es.t.Helper()
	resp, err := es.srv.App().Test(newRequest("GET", path, cookie), -1)
	if err != nil {
		es.t.Fatal(err)
	}
	return resp
}

// fetch asserts the status of a GET and returns the response and its body.
func (es *exportServer) fetch(path string, want int) (*http.Response, []byte) {
	es.t.Helper()
	resp := es.get(path, es.cookie)
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != want {
		es.t.Fatalf("GET %s: %d %s, want %d", path, resp.StatusCode, body, want)
	}
	return resp, body
}

func TestExportRoutes(t *testing.T) {
	es := newExportServer(t)
	base := "/api/meetings/" + es.info.ID + "/export"

	t.Run("LobbyHasNoEvaluationDate", func(t *testing.T) {
		es.fetch(base+".ics", 409)
		_, body := es.fetch(base+".json", 200)
		if !bytes.Contains(body, []byte(`"state": "live"`)) {
			t.Errorf("lobby export is not live: %s", body)
		}
	})

	es.playToPlan()

	t.Run("LivePlanWhileOpen", func(t *testing.T) {
		resp, body := es.fetch(base+".md", 200)
		if got := resp.Header.Get("Content-Disposition"); got != `attachment; filename="plan-gezin-j-2026-12-01.md"` {
			t.Errorf("Content-Disposition = %q", got)
		}
		if got := resp.Header.Get("Cache-Control"); got != "no-store" {
			t.Errorf("Cache-Control = %q", got)
		}
		if got := resp.Header.Get("Content-Type"); got != "text/markdown; charset=utf-8" {
			t.Errorf("Content-Type = %q", got)
		}
		for _, want := range []string{"Dit plan is nog niet af", "المال لا يكفي", "Sanne", "Zoë", "=Budgetcoach"} {
			if !strings.Contains(string(body), want) {
				t.Errorf("live Markdown lacks %q:\n%s", want, body)
			}
		}
		es.fetch(base+".md?version=1", 404) // nothing is closed yet
	})

	es.run(meeting.Actor{Role: meeting.RoleCoordinator}, "meeting.close", nil)

	t.Run("EveryFormatOfTheClosedVersion", func(t *testing.T) {
		for _, tc := range []struct{ ext, ctype, start string }{
			{"pdf", "application/pdf", "%PDF-"},
			{"md", "text/markdown; charset=utf-8", "# Plan of Gezin J."},
			{"csv", "text/csv; charset=utf-8", "\uFEFFfamily,"},
			{"json", "application/json; charset=utf-8", "{\n  \"schema\": \"tafel.plan/v1\""},
			{"ics", "text/calendar; charset=utf-8", "BEGIN:VCALENDAR\r\n"},
		} {
			resp, body := es.fetch(base+"."+tc.ext+"?version=1&lang=en", 200)
			if got := resp.Header.Get("Content-Type"); got != tc.ctype {
				t.Errorf("%s: Content-Type = %q", tc.ext, got)
			}
			if got := resp.Header.Get("Content-Disposition"); got != `attachment; filename="plan-gezin-j-2026-12-01-v1.`+tc.ext+`"` {
				t.Errorf("%s: Content-Disposition = %q", tc.ext, got)
			}
			if !strings.HasPrefix(string(body), tc.start) {
				t.Errorf("%s starts %q, want %q", tc.ext, body[:min(len(body), 40)], tc.start)
			}
		}
		// The family's own languages: Tigrinya, Somali and Farsi too, and the Markdown's heading in each
		// (Farsi's in its right-to-left block, the family label a bidi isolate).
		for lang, heading := range map[string]string{"ti": "# መደብ Gezin J.", "so": "# Qorshaha Gezin J.",
			"fa": "<div dir=\"rtl\" lang=\"fa\">\n\n# برنامهٔ \u2068Gezin J.\u2069\n"} {
			if _, pdf := es.fetch(base+".pdf?lang="+lang, 200); !strings.HasPrefix(string(pdf), "%PDF-") {
				t.Errorf("lang=%s: not a PDF", lang)
			}
			if _, md := es.fetch(base+".md?lang="+lang, 200); !strings.HasPrefix(string(md), heading) {
				t.Errorf("lang=%s: Markdown starts %q, want %q", lang, md[:min(len(md), 40)], heading)
			}
		}
		_, csv := es.fetch(base+".csv", 200)
		if !strings.Contains(string(csv), ",'=Budgetcoach,") {
			t.Errorf("CSV cell starting with = is not defused:\n%s", csv)
		}
		_, ics := es.fetch(base+".ics", 200)
		if !strings.Contains(string(ics), "DTSTART;VALUE=DATE:20270301\r\n") {
			t.Errorf("calendar lacks the evaluation date:\n%s", ics)
		}
	})

	t.Run("Refused", func(t *testing.T) {
		es.fetch(base+".md?version=2", 404)
		es.fetch(base+".md?version=x", 400)
		es.fetch(base+".md?lang=de", 400)
		es.fetch(base+".exe", 404)
		es.fetch("/api/meetings/nope/export.pdf", 404)
		if resp := es.get(base+".pdf", ""); resp.StatusCode != 401 {
			t.Errorf("without a session: %d, want 401", resp.StatusCode)
		}
		_, other, err := es.st.CreateOrganisationWithAdmin(context.Background(), "Andere gemeente", store.User{Email: "o@example.org", Name: "Ander", PasswordHash: "x"})
		if err != nil {
			t.Fatal(err)
		}
		resp := es.get(base+".pdf", es.session(other))
		body, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != 404 || bytes.Contains(body, []byte("Sanne")) {
			t.Errorf("another organisation's coordinator: %d %s, want 404", resp.StatusCode, body)
		}
	})

	t.Run("Audited", func(t *testing.T) {
		records, err := es.st.FamilyAudit(context.Background(), es.org.ID, es.info.FamilyID, 100)
		if err != nil {
			t.Fatal(err)
		}
		seen := map[string]bool{}
		for _, r := range records {
			if r.Action == store.AuditExport && r.ObjectType == "plan" {
				seen[r.Detail] = true
			}
		}
		for _, want := range []string{"plan.pdf", "plan.md", "plan.csv", "plan.json", "plan.ics"} {
			if !seen[want] {
				t.Errorf("audit log has no %s export (has %v)", want, seen)
			}
		}
	})
}
