package httpapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/tafel-met/tafel/server/app"
	"github.com/tafel-met/tafel/server/meeting"
	"github.com/tafel-met/tafel/server/store"
)

// send makes a request with the coordinator's session and asserts its status.
func (es *exportServer) send(method, path string, body any, want int) []byte {
	es.t.Helper()
	var r io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		r = bytes.NewReader(b)
	}
	resp, err := es.srv.App().Test(newRequestBody(method, path, es.cookie, r), -1)
	if err != nil {
		es.t.Fatal(err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != want {
		es.t.Fatalf("%s %s: %d %s, want %d", method, path, resp.StatusCode, out, want)
	}
	return out
}

// timeline is the part of GET /api/families/:id/timeline the tests read.
type timeline struct {
	Family   struct{ ID, Label string }
	Today    string
	Meetings []struct {
		ID, Phase, FollowsMeetingID string
		Attendance                  meeting.Attendance
		Versions                    []struct{ Number int }
		Changes                     *meeting.ChangeSet
	}
	OpenActions       []meeting.OpenAction
	NextEvaluation    string
	FollowUpMeetingID string
}

func TestFollowUpRoutes(t *testing.T) {
	es := newExportServer(t)
	coord := meeting.Actor{Role: meeting.RoleCoordinator}
	es.playToPlan()
	m := es.run(coord, "plan.action.add", map[string]any{"worryId": es.runState().Agreement.WorryIDs[0], "what": "Huisbezoek",
		"ownerPartyId": "party1", "due": "2000-01-01"})
	late := m.Plan.Actions[len(m.Plan.Actions)-1].ID
	es.run(coord, "plan.action.add", map[string]any{"worryId": m.Agreement.WorryIDs[0], "what": "Later", "ownerPartyId": "party1", "due": "2999-01-01"})
	follow := "/api/meetings/" + es.info.ID + "/follow-up"

	t.Run("ErrConflict/Open", func(t *testing.T) {
		es.send("POST", follow, nil, 409)
	})
	es.run(coord, "meeting.close", nil)

	var created struct {
		ID, JoinCode string
		Existing     bool
	}
	t.Run("ErrInvalidInput", func(t *testing.T) {
		es.send("POST", follow, map[string]string{"date": "1-3-2027"}, 400)
		es.send("POST", follow, map[string]string{"title": "Vervolg\x1b[2J"}, 400)
		es.send("POST", follow, map[string]string{"when": "morgen"}, 400)
	})
	t.Run("Created", func(t *testing.T) {
		if err := json.Unmarshal(es.send("POST", follow, map[string]string{"date": "2027-03-01"}, 201), &created); err != nil || created.ID == "" || created.Existing {
			t.Fatalf("created = %+v, %v", created, err)
		}
		var again struct {
			ID       string
			Existing bool
		}
		_ = json.Unmarshal(es.send("POST", follow, nil, 200), &again)
		if again.ID != created.ID || !again.Existing {
			t.Fatalf("second POST = %+v, want the open follow-up %s", again, created.ID)
		}
		var view meeting.View
		_ = json.Unmarshal(es.send("GET", "/api/meetings/"+created.ID+"/snapshot", nil, 200), &view)
		if view.Title != "Vervolggesprek" || view.Date != "2027-03-01" || view.Phase != meeting.PhaseLobby || view.Previous == nil ||
			view.Previous.MeetingID != es.info.ID || len(view.Previous.Version.Plan.Actions) != 3 || len(view.Parties) != 2 {
			t.Fatalf("follow-up snapshot = %+v", view)
		}
		var list []store.MeetingInfo
		_ = json.Unmarshal(es.send("GET", "/api/meetings", nil, 200), &list)
		if list[0].ID != created.ID || list[0].FollowsMeetingID != es.info.ID {
			t.Fatalf("meetings = %+v", list)
		}
	})

	path := "/api/families/" + es.info.FamilyID + "/timeline"
	t.Run("TimelineBeforeReview", func(t *testing.T) {
		var tl timeline
		if err := json.Unmarshal(es.send("GET", path, nil, 200), &tl); err != nil {
			t.Fatal(err)
		}
		if tl.Family.Label != "Gezin J." || tl.Today != time.Now().Format("2006-01-02") || len(tl.Meetings) != 2 ||
			tl.Meetings[0].ID != es.info.ID || tl.Meetings[1].FollowsMeetingID != es.info.ID || tl.FollowUpMeetingID != created.ID ||
			tl.NextEvaluation != "2027-03-01" || tl.Meetings[0].Attendance.People != 2 {
			t.Fatalf("timeline = %+v", tl)
		}
		found := map[string]bool{}
		for _, a := range tl.OpenActions {
			found[a.What] = a.Overdue
		}
		if overdue, ok := found["Huisbezoek"]; !ok || !overdue {
			t.Errorf("Huisbezoek (due 2000-01-01) open %v overdue %v", ok, overdue)
		}
		if overdue, ok := found["Later"]; !ok || overdue {
			t.Errorf("Later (due 2999-01-01) open %v overdue %v", ok, overdue)
		}
		if tl.OpenActions[0].What != "Huisbezoek" {
			t.Errorf("overdue actions come first: %+v", tl.OpenActions)
		}
	})

	t.Run("ReviewMarksActionDone", func(t *testing.T) {
		_, err := es.live.Execute(context.Background(), created.ID, app.Change{Command: meeting.Command{Name: "phase.set",
			Data: []byte(`{"phase":"review"}`), Actor: coord}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := es.live.Execute(context.Background(), created.ID, app.Change{Command: meeting.Command{Name: "review.action.set",
			Data: []byte(`{"actionId":"` + late + `","outcome":"done","note":"Geweest"}`), Actor: coord}}); err != nil {
			t.Fatal(err)
		}
		var tl timeline
		_ = json.Unmarshal(es.send("GET", path, nil, 200), &tl)
		for _, a := range tl.OpenActions {
			if a.What == "Huisbezoek" {
				t.Fatalf("an action reviewed as done is still open: %+v", tl.OpenActions)
			}
		}
		if ch := tl.Meetings[1].Changes; ch == nil || ch.Decided {
			t.Fatalf("follow-up changes = %+v", ch)
		}
		_, body := es.fetch("/api/meetings/"+created.ID+"/export.md", 200)
		for _, want := range []string{"## Wat is er veranderd", "Huisbezoek (Moeder): gedaan."} {
			if !strings.Contains(string(body), want) {
				t.Errorf("follow-up Markdown lacks %q:\n%s", want, body)
			}
		}
	})

	t.Run("Overview", func(t *testing.T) {
		if _, err := es.st.CreateFamily(context.Background(), es.org.ID, "Gezin A."); err != nil {
			t.Fatal(err)
		}
		var o struct {
			Today          string
			Evaluations    []meeting.Evaluation
			OverdueActions []meeting.FamilyAction
			Families       []meeting.FamilySummary
		}
		_ = json.Unmarshal(es.send("GET", "/api/overview", nil, 200), &o)
		if len(o.Evaluations) != 1 || o.Evaluations[0].Date != "2027-03-01" || o.Evaluations[0].FollowUpMeetingID != created.ID ||
			o.Evaluations[0].FamilyLabel != "Gezin J." {
			t.Fatalf("evaluations = %+v", o.Evaluations)
		}
		for _, a := range o.OverdueActions {
			if a.What == "Huisbezoek" || a.What == "Later" {
				t.Fatalf("overdue = %+v", o.OverdueActions)
			}
		}
		if len(o.Families) != 2 || o.Families[0].FamilyLabel != "Gezin A." || o.Families[1].Meetings != 2 {
			t.Fatalf("families = %+v", o.Families)
		}
	})

	t.Run("MeasuresCSV", func(t *testing.T) {
		day := time.Now().Format("2006-01-02")
		for _, tc := range []struct{ path, filename string }{
			{"/api/families/" + es.info.FamilyID + "/measures.csv", "metingen-gezin-j-" + day + ".csv"},
			{"/api/measures.csv", "metingen-" + day + ".csv"},
		} {
			resp, body := es.fetch(tc.path, 200)
			if got := resp.Header.Get("Content-Disposition"); got != `attachment; filename="`+tc.filename+`"` {
				t.Errorf("Content-Disposition = %q", got)
			}
			if got := resp.Header.Get("Content-Type"); got != "text/csv; charset=utf-8" {
				t.Errorf("Content-Type = %q", got)
			}
			lines := strings.Split(strings.TrimSuffix(string(body), "\r\n"), "\r\n")
			want := []string{"\uFEFFfamily,meeting_id,meeting_date,meeting_title,phase,follow_up,parties_invited,parties_present,people_present,family_people,network_people,professional_people," +
				"heard_answers,heard_yes,safe_yes,time_yes,goals_yes,heard_mean_mark",
				// Closed, nobody answered the check yet: its count only.
				"Gezin J.," + es.info.ID + ",2026-12-01,Top-3-gesprek,closed,no,2,2,2,1,0,1,0,,,,,",
				"Gezin J.," + created.ID + ",2027-03-01,Vervolggesprek,review,yes,2,0,0,0,0,0,,,,,,"}
			if strings.Join(lines, "\n") != strings.Join(want, "\n") {
				t.Errorf("%s:\n%s\nwant\n%s", tc.path, strings.Join(lines, "\n"), strings.Join(want, "\n"))
			}
		}
	})

	t.Run("Audited", func(t *testing.T) {
		records, err := es.st.FamilyAudit(context.Background(), es.org.ID, es.info.FamilyID, 200)
		if err != nil {
			t.Fatal(err)
		}
		seen := map[string]bool{}
		for _, r := range records {
			seen[r.Action+" "+r.ObjectType+" "+r.Detail] = true
		}
		for _, want := range []string{"create meeting follow-up", "read family timeline", "read family overview", "export family measures.csv"} {
			if !seen[want] {
				t.Errorf("audit log lacks %q (has %v)", want, seen)
			}
		}
	})
}

// runState returns the meeting as its coordinator sees it now.
func (es *exportServer) runState() meeting.View {
	es.t.Helper()
	v, err := es.live.View(context.Background(), es.info.ID, meeting.Viewer{Role: meeting.RoleCoordinator})
	if err != nil {
		es.t.Fatal(err)
	}
	return v
}
