package main

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/tafel-met/tafel/server/meeting"
	"github.com/tafel-met/tafel/server/realtime/wsclient"
	"github.com/tafel-met/tafel/server/store"
	"github.com/tafel-met/tafel/server/store/storetest"
)

// TestHandover plays coordinator continuity end to end, on SQLite and on
// Postgres: Anna leads, closes her laptop; her colleague Bram takes the
// meeting over (her other tab learns at once and runs nothing more) and ends
// it without a plan. Phones and the screen are never a lead and learn only
// that the meeting ended without a plan; a coordinator of another
// organisation learns nothing.
func TestHandover(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(string(d), func(t *testing.T) { playHandover(t, d) })
	}
}

// errorOf reads the reason and parameters of an error frame.
func errorOf(t testing.TB, f wsclient.Frame) (string, map[string]any) {
	t.Helper()
	var e struct {
		Reason string         `json:"reason"`
		Params map[string]any `json:"params"`
	}
	if err := json.Unmarshal(f.Raw, &e); err != nil {
		t.Fatal(err)
	}
	return e.Reason, e.Params
}

// refusedFor runs a command that must get an error with code and reason.
func refusedFor(t testing.TB, ws *wsclient.Client, name string, data any, code, reason string) map[string]any {
	t.Helper()
	f, err := ws.Do(name, data)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	got, params := errorOf(t, f)
	if f.Type != "error" || f.Code != code || got != reason {
		t.Fatalf("%s: got %s %s (%s), want %s (%s)", name, f.Type, f.Code, got, code, reason)
	}
	return params
}

// waitEvent waits for the event name on ws whose data satisfies ok.
func waitEvent(t testing.TB, ws *wsclient.Client, name string, ok func(json.RawMessage) bool) json.RawMessage {
	t.Helper()
	f, err := ws.WaitFor(func(f wsclient.Frame) bool { return f.Type == "event" && f.Name == name && ok(f.Data) }, 5*time.Second)
	if err != nil {
		t.Fatalf("no %s: %v", name, err)
	}
	return f.Data
}

type leadEvent struct {
	Lead     meeting.Lead  `json:"lead"`
	Previous *meeting.Lead `json:"previous"`
	Reason   string        `json:"reason"`
}

func leadIs(userID string) func(json.RawMessage) bool {
	return func(b json.RawMessage) bool {
		var d leadEvent
		return json.Unmarshal(b, &d) == nil && d.Lead.UserID == userID
	}
}

func playHandover(t *testing.T, d store.Dialect) {
	srv := startServer(t, d)
	anna := srv.coordinatorNamed("Gemeente Voorbeeld", "Anna")
	bram := srv.coordinatorNamed("Gemeente Voorbeeld", "Bram")
	eva := srv.coordinatorNamed("Gemeente Elders", "Eva")
	var annaMe, bramMe struct{ ID string }
	anna.call("GET", "/api/auth/me", nil, &annaMe, 200)
	bram.call("GET", "/api/auth/me", nil, &bramMe, 200)
	m := anna.meeting("Gezin K.", "Moeder:family", "Gebiedsteam:professional")
	other := anna.meeting("Gezin L.", "Vader:family")
	party := anna.partyIDs(m.ID)

	laptop := anna.connect(m.ID, "")
	tab := anna.connect(m.ID, "")
	desk := bram.connect(m.ID, "")
	screen := anna.connect(m.ID, "screen")
	sanne := srv.join(m.JoinCode, "Sanne", party["Moeder"])

	// Anna's first command makes her the lead; every console learns it.
	must(t, laptop, "participant.admit", map[string]string{"participantId": sanne.ID})
	for _, ws := range []*wsclient.Client{laptop, tab, desk} {
		waitEvent(t, ws, meeting.EvLeadChanged, leadIs(annaMe.ID))
	}
	if v := bram.snapshot(m.ID); v.Lead == nil || v.Lead.Name != "Anna" || v.Lead.UserID != annaMe.ID {
		t.Fatalf("snapshot lead %+v", v.Lead)
	}
	must(t, tab, "phase.set", map[string]string{"phase": "worries"}) // her other tab is her
	must(t, sanne.WS, "worry.add", map[string]string{"text": "Te weinig geld voor eten"})

	// Bram sees the meeting and runs nothing until he takes it over.
	before := bram.snapshot(m.ID)
	if p := refusedFor(t, desk, "reveal", map[string]any{}, meeting.ECodeForbidden, "not_lead"); p["lead"] != "Anna" {
		t.Fatalf("not_lead names %v", p)
	}
	refusedFor(t, desk, "meeting.abandon", map[string]string{"reason": "other"}, meeting.ECodeForbidden, "not_lead")
	// Bad take-overs change nothing, and the socket survives them.
	refusedFor(t, desk, "meeting.takeover", map[string]any{}, meeting.ECodeInvalidInput, "from_user_required")
	refusedFor(t, desk, "meeting.takeover", map[string]string{"fromUserId": ""}, meeting.ECodeConflict, "lead_changed")
	refusedFor(t, desk, "meeting.takeover", map[string]string{"fromUserId": "someone"}, meeting.ECodeConflict, "lead_changed")

	// A participant and a screen are never a lead.
	refusedFor(t, sanne.WS, "meeting.takeover", map[string]string{"fromUserId": annaMe.ID}, meeting.ECodeForbidden, "not_allowed")
	refusedFor(t, sanne.WS, "meeting.abandon", map[string]string{"reason": "other"}, meeting.ECodeForbidden, "not_allowed")
	refusedFor(t, screen, "meeting.takeover", map[string]string{"fromUserId": annaMe.ID}, meeting.ECodeForbidden, "screen_read_only")
	refusedFor(t, screen, "meeting.abandon", map[string]string{"reason": "other"}, meeting.ECodeForbidden, "screen_read_only")
	// Over REST as well: adding a party runs party.add as Bram.
	if resp, body := srv.request("POST", "/api/meetings/"+m.ID+"/parties", bram.cookie, map[string]string{"name": "Buurman", "kind": "network"}); resp.StatusCode != 403 || !strings.Contains(string(body), `"not_lead"`) {
		t.Fatalf("party by Bram: %d %s", resp.StatusCode, body)
	}
	if after := bram.snapshot(m.ID); after.Seq != before.Seq || after.Lead.UserID != annaMe.ID {
		t.Fatalf("refusals changed the meeting: seq %d -> %d, lead %+v", before.Seq, after.Seq, after.Lead)
	}

	// A coordinator of another organisation learns nothing, not even that the meeting exists.
	ws, err := wsclient.Dial(srv.addr, m.ID, eva.cookie)
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	if err := ws.Hello("", "", 0); err != nil {
		t.Fatal(err)
	}
	if f, err := ws.WaitFor(func(f wsclient.Frame) bool { return f.Type == "error" || f.Type == "snapshot" }, 5*time.Second); err != nil || f.Type != "error" || f.Code != meeting.ECodeNotFound {
		t.Fatalf("other organisation's socket: %+v %v", f, err)
	}
	eva.call("GET", "/api/meetings/"+m.ID+"/snapshot", nil, nil, 404)

	// Anna closes her laptop mid-meeting; Bram takes over from her.
	laptop.Close()
	seq := must(t, desk, "meeting.takeover", map[string]string{"fromUserId": annaMe.ID})
	raw := waitEvent(t, tab, meeting.EvLeadChanged, leadIs(bramMe.ID)) // her open tab learns at once
	var changed leadEvent
	_ = json.Unmarshal(raw, &changed)
	if changed.Lead.Name != "Bram" || changed.Previous == nil || changed.Previous.UserID != annaMe.ID || changed.Reason != meeting.LeadTakeover {
		t.Fatalf("lead.changed %+v", changed)
	}
	refusedFor(t, tab, "reveal", map[string]any{}, meeting.ECodeForbidden, "not_lead")
	must(t, desk, "meeting.takeover", map[string]string{"fromUserId": annaMe.ID}) // a double tap: nothing new
	if v := bram.snapshot(m.ID); v.Seq != seq || v.Lead.UserID != bramMe.ID {
		t.Fatalf("after the double tap: seq %d (take-over %d), lead %+v", v.Seq, seq, v.Lead)
	}

	// Bram ends the meeting without a plan. A bad reason first changes nothing.
	refusedFor(t, desk, "meeting.abandon", map[string]string{"reason": "bored"}, meeting.ECodeInvalidInput, "bad_abandon_reason")
	refusedFor(t, desk, "meeting.close", map[string]any{}, meeting.ECodeWrongPhase, "wrong_phase")
	end := must(t, desk, "meeting.abandon", map[string]string{"reason": "coordinator_gone", "note": "Anna is ziek naar huis"})
	closedWithoutPlan := func(b json.RawMessage) bool {
		var h struct{ Meeting meeting.Header }
		return json.Unmarshal(b, &h) == nil && h.Meeting.Phase == meeting.PhaseClosed && h.Meeting.EndedWithoutPlan
	}
	for _, ws := range []*wsclient.Client{tab, desk, screen, sanne.WS} {
		waitEvent(t, ws, meeting.EvMeetingUpdated, closedWithoutPlan)
		if err := ws.WaitSeq(end, 5*time.Second); err != nil {
			t.Fatal(err)
		}
	}
	var ending struct{ Ending meeting.Ending }
	_ = json.Unmarshal(waitEvent(t, tab, meeting.EvMeetingAbandoned, func(json.RawMessage) bool { return true }), &ending)
	if ending.Ending.Reason != "coordinator_gone" || ending.Ending.Note != "Anna is ziek naar huis" || ending.Ending.By.UserID != bramMe.ID {
		t.Fatalf("ending %+v", ending.Ending)
	}
	// The phone and the screen never see who leads, nor the reason or the note.
	for name, ws := range map[string]*wsclient.Client{"phone": sanne.WS, "screen": screen} {
		for _, f := range ws.Events() {
			if f.Name == meeting.EvLeadChanged || f.Name == meeting.EvMeetingAbandoned || f.Name == meeting.EvPlanClosed {
				t.Fatalf("%s received %s", name, f.Name)
			}
		}
	}
	refusedFor(t, desk, "phase.set", map[string]string{"phase": "cluster"}, meeting.ECodeWrongPhase, "meeting_closed")
	refusedFor(t, tab, "meeting.takeover", map[string]string{"fromUserId": bramMe.ID}, meeting.ECodeWrongPhase, "meeting_closed")
	v := bram.snapshot(m.ID)
	if v.Phase != meeting.PhaseClosed || !v.EndedWithoutPlan || len(v.Versions) != 0 || v.Ending == nil {
		t.Fatalf("snapshot phase %s, without plan %v, %d versions, ending %+v", v.Phase, v.EndedWithoutPlan, len(v.Versions), v.Ending)
	}

	// The meeting list says it ended without a plan; an open meeting does not.
	var list []meeting.Info
	anna.call("GET", "/api/meetings", nil, &list, 200)
	byID := map[string]meeting.Info{}
	for _, x := range list {
		byID[x.ID] = x
	}
	if x := byID[m.ID]; x.Phase != meeting.PhaseClosed || !x.EndedWithoutPlan {
		t.Fatalf("list entry %+v", x)
	}
	if x := byID[other.ID]; x.EndedWithoutPlan || x.Phase != meeting.PhaseLobby {
		t.Fatalf("open meeting listed as %+v", x)
	}

	// Nothing is exported as an agreed plan: not to a coordinator, not to the family.
	for _, f := range []string{"pdf", "md", "csv", "json", "ics"} {
		resp, body := srv.request("GET", "/api/meetings/"+m.ID+"/export."+f, anna.cookie, nil)
		if resp.StatusCode != 409 || !json.Valid(body) {
			t.Fatalf("export.%s: %d %s", f, resp.StatusCode, body)
		}
		var e struct{ Code, Reason string }
		_ = json.Unmarshal(body, &e)
		if e.Code != meeting.ECodeConflict || e.Reason != "ended_without_plan" {
			t.Fatalf("export.%s: %s", f, body)
		}
	}
	if resp, body := srv.request("GET", "/api/meetings/"+m.ID+"/export.pdf", "Bearer "+sanne.Token, nil); resp.StatusCode != 409 {
		t.Fatalf("family PDF: %d %s", resp.StatusCode, body)
	}

	// There is no plan to follow up.
	if resp, body := srv.request("POST", "/api/meetings/"+m.ID+"/follow-up", bram.cookie, map[string]string{}); resp.StatusCode != 409 || !strings.Contains(string(body), `"close_meeting_first"`) {
		t.Fatalf("follow-up of a meeting without a plan: %d %s", resp.StatusCode, body)
	}

	// Retention still applies: the meeting is due for purge once its days have run out.
	due, err := srv.main.Store.DueForPurge(t.Context(), time.Now().AddDate(0, 0, 31), 30)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, p := range due {
		found = found || p.MeetingID == m.ID
	}
	if !found {
		t.Fatalf("the ended meeting is not due for purge: %+v", due)
	}

	// The audit log names who took over and who ended it.
	var audit []struct{ ActorID, Action, Detail, Outcome string }
	anna.call("GET", "/api/families/"+byID[m.ID].FamilyID+"/audit", nil, &audit, 200)
	by := map[string]map[string]bool{}
	for _, a := range audit {
		if by[a.ActorID] == nil {
			by[a.ActorID] = map[string]bool{}
		}
		by[a.ActorID][a.Action+" "+a.Detail+" "+a.Outcome] = true
	}
	for _, want := range []string{"update meeting.takeover ok", "update meeting.abandon ok"} {
		if !by[bramMe.ID][want] || by[annaMe.ID][want] {
			t.Fatalf("%q is not recorded as Bram's: %v", want, by)
		}
	}
	if !by[annaMe.ID]["update participant.admit ok"] {
		t.Fatalf("Anna's commands are not recorded as hers: %v", by)
	}
}
