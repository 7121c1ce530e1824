package httpapi_test

import (
	"context"
	"encoding/json"
	"io"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/tafel-met/tafel/server/meeting"
	"github.com/tafel-met/tafel/server/realtime/wsclient"
	"github.com/tafel-met/tafel/server/store"
)

// heardTable is a meeting with, besides the coordinator, a mother, a father,
// a grandmother (family), a neighbour (network), a professional, an
// interpreter, someone still waiting and someone removed: each with a token.
type heardTable struct {
	es     *exportServer
	tokens map[string]string // by name
	ids    map[string]string
}

func newHeardTable(t *testing.T) *heardTable {
	t.Helper()
	es := newExportServer(t)
	ctx := context.Background()
	coord := meeting.Actor{Role: meeting.RoleCoordinator}
	m := es.run(coord, "party.add", map[string]string{"name": "Buurvrouw", "kind": "network"})
	network := m.Parties[len(m.Parties)-1].ID
	m = es.run(coord, "party.add", map[string]string{"name": "Tolk", "kind": "interpreter"})
	interpreter := m.Parties[len(m.Parties)-1].ID
	ht := &heardTable{es: es, tokens: map[string]string{}, ids: map[string]string{}}
	for _, p := range []struct{ name, party string }{
		{"Sanne", "party1"}, {"Jan", "party1"}, {"Oma Ria", "party1"}, {"Fatima", network},
		{"Petra", "party2"}, {"Yusuf", interpreter}, {"Kees", "party1"}, {"Piet", "party1"},
	} {
		tok := store.NewToken()
		id, err := es.live.Join(ctx, es.info.ID, p.name, p.party, store.HashToken(tok), meeting.AuditEntry{Action: meeting.AuditCreate})
		if err != nil {
			t.Fatal(err)
		}
		ht.tokens[p.name], ht.ids[p.name] = tok, id
		if p.name != "Kees" {
			es.run(coord, "participant.admit", map[string]string{"participantId": id})
		}
	}
	es.run(coord, "participant.remove", map[string]string{"participantId": ht.ids["Piet"]})
	return ht
}

// close plays the meeting through to a closed plan.
func (ht *heardTable) close() {
	es := ht.es
	coord := meeting.Actor{Role: meeting.RoleCoordinator}
	sanne := meeting.Actor{Role: meeting.RoleParticipant, ParticipantID: ht.ids["Sanne"]}
	es.run(coord, "phase.set", map[string]string{"phase": "worries"})
	m := es.run(sanne, "worry.add", map[string]string{"text": "Te weinig geld"})
	worry := m.Items[len(m.Items)-1].ID
	es.run(coord, "reveal", map[string]string{"kind": "worry"})
	for _, p := range []string{"cluster", "rank"} {
		es.run(coord, "phase.set", map[string]string{"phase": p})
	}
	es.run(sanne, "ranking.set", map[string]any{"worryIds": []string{worry}})
	es.run(coord, "phase.set", map[string]string{"phase": "agree"})
	es.run(coord, "agree.confirm", map[string]any{"worryIds": []string{worry}})
	es.run(sanne, "agree.akkoord", nil)
	es.run(coord, "phase.set", map[string]string{"phase": "plan"})
	es.run(coord, "plan.goal.set", map[string]any{"worryId": worry, "goal": "Rond komen", "scoreNow": 3})
	es.run(coord, "plan.details.set", map[string]any{"regisseurPartyId": "party2", "regisseurRole": "Gezinscoach", "nextEvaluation": "2027-03-01"})
	es.run(coord, "meeting.close", nil)
}

// as sends a request with a participant's cookie (name "" for none) and returns
// the status and the error code or state of the answer.
func (ht *heardTable) as(name, method, path, body string) (int, string, []byte) {
	ht.es.t.Helper()
	cookie := ""
	if name != "" {
		cookie = "tafel_p=" + ht.tokens[name]
	}
	resp, err := ht.es.srv.App().Test(newRequestBody(method, path, cookie, strings.NewReader(body)), -1)
	if err != nil {
		ht.es.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var out struct{ Code, Reason, State string }
	_ = json.Unmarshal(b, &out)
	if out.Reason != "" {
		return resp.StatusCode, out.Code + "/" + out.Reason, b
	}
	if out.Code != "" {
		return resp.StatusCode, out.Code, b
	}
	return resp.StatusCode, out.State, b
}

// stored is how many answers and markers the database holds for the meeting.
func (ht *heardTable) stored() (answers, markers int) {
	ht.es.t.Helper()
	ctx := context.Background()
	all, err := ht.es.st.HeardAnswers(ctx, ht.es.org.ID)
	if err != nil {
		ht.es.t.Fatal(err)
	}
	for _, id := range ht.ids {
		if ok, err := ht.es.st.HeardAnswered(ctx, ht.es.org.ID, ht.es.info.ID, id); err != nil {
			ht.es.t.Fatal(err)
		} else if ok {
			markers++
		}
	}
	return len(all[ht.es.info.ID]), markers
}

func heardBody(h, s, tm, g, mark int, sentence string) string {
	b, _ := json.Marshal(map[string]any{"scores": map[string]int{"heard": h, "safe": s, "time": tm, "goals": g}, "mark": mark, "sentence": sentence})
	return string(b)
}

type heardSummaryOut struct {
	MeetingID string
	Eligible  int
	Summary   meeting.HeardSummary
}

func TestHeardRoutes(t *testing.T) {
	ht := newHeardTable(t)
	es := ht.es
	path := "/api/meetings/" + es.info.ID + "/heard"
	ok := heardBody(3, 3, 2, 3, 8, "Iedereen luisterde naar mij")

	// Before the close, nobody may answer yet.
	if code, state, b := ht.as("Sanne", "GET", path, ""); code != 200 || state != "not_yet" {
		t.Fatalf("state before close: %d %s %s", code, state, b)
	}
	if code, got, _ := ht.as("Sanne", "POST", path, ok); code != 409 || got != "wrong_phase/heard_after_close" {
		t.Fatalf("answer before close: %d %s", code, got)
	}
	ht.close()

	// Another meeting of the same organisation, with a participant of its own.
	other, err := es.st.CreateMeeting(context.Background(), store.NewMeeting{OrganisationID: es.org.ID, FamilyID: es.info.FamilyID, Title: "Ander", Date: "2026-12-02"},
		func(m *meeting.Meeting) (*meeting.Meeting, []meeting.Event, error) {
			return m.PrepareParties([]meeting.NewParty{{Name: "Moeder", Kind: meeting.KindFamily}})
		})
	if err != nil {
		t.Fatal(err)
	}
	ht.tokens["Elders"] = store.NewToken()
	if _, err := es.live.Join(context.Background(), other.ID, "Elders", "party1", store.HashToken(ht.tokens["Elders"]), meeting.AuditEntry{Action: meeting.AuditCreate}); err != nil {
		t.Fatal(err)
	}

	for _, tc := range []struct {
		name, who, body string
		status          int
		code            string
	}{
		{"ErrProfessional", "Petra", ok, 403, "forbidden/heard_family_only"},
		{"ErrInterpreter", "Yusuf", ok, 403, "forbidden/heard_family_only"},
		{"ErrPending", "Kees", ok, 403, "forbidden/heard_not_at_table"},
		{"ErrRemoved", "Piet", ok, 404, "not_found"},
		{"ErrNoCredentials", "", ok, 401, "unauthorized/sign_in_first"},
		{"ErrOtherMeetingsCookie", "Elders", ok, 404, "not_found"},
		{"ErrMalformed", "Sanne", `{"scores":`, 400, "invalid_input/invalid_data"},
		{"ErrNotAnObject", "Sanne", `[1,2,3]`, 400, "invalid_input/invalid_data"},
		{"ErrOversize", "Sanne", `{"scores":{},"mark":1,"sentence":"` + strings.Repeat("a", meeting.MaxHeardBody) + `"}`, 413, "too_large/heard_too_large"},
		{"ErrInvalidUTF8", "Sanne", "{\"scores\":{\"heard\":3,\"safe\":3,\"time\":3,\"goals\":3},\"mark\":5,\"sentence\":\"\xff\xfe\"}", 400, "invalid_utf8/invalid_utf8"},
		{"ErrMarkOutOfRange", "Sanne", heardBody(3, 3, 3, 3, 11, ""), 400, "invalid_input/heard_mark_range"},
		{"ErrScoreOutOfRange", "Sanne", heardBody(3, 0, 3, 3, 5, ""), 400, "invalid_input/heard_score_range"},
		{"ErrNamesItsAuthor", "Sanne", `{"scores":{"heard":3,"safe":3,"time":3,"goals":3},"mark":5,"participantId":"` + ht.ids["Sanne"] + `"}`, 400, "invalid_input"},
		{"ErrSentenceTooLong", "Sanne", heardBody(3, 3, 3, 3, 5, strings.Repeat("ä", meeting.MaxTextLen+1)), 400, "invalid_input/text_too_long"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, got, b := ht.as(tc.who, "POST", path, tc.body)
			if code != tc.status || !strings.HasPrefix(got, tc.code) {
				t.Fatalf("POST: %d %s (%s), want %d %s", code, got, b, tc.status, tc.code)
			}
			if a, m := ht.stored(); a != 0 || m != 0 {
				t.Fatalf("a refused answer stored %d answers, %d markers", a, m)
			}
		})
	}
	for who, want := range map[string]string{"Sanne": "open", "Fatima": "open", "Petra": "not_for_you", "Yusuf": "not_for_you", "Kees": "not_for_you"} {
		if code, state, b := ht.as(who, "GET", path, ""); code != 200 || state != want {
			t.Fatalf("state of %s: %d %s %s, want %s", who, code, state, b, want)
		}
	}

	summary := func() heardSummaryOut {
		t.Helper()
		var out heardSummaryOut
		if err := json.Unmarshal(es.send("GET", path+"/summary", nil, 200), &out); err != nil {
			t.Fatal(err)
		}
		return out
	}
	overview := func() meeting.HeardOverview {
		t.Helper()
		var out meeting.HeardOverview
		if err := json.Unmarshal(es.send("GET", "/api/heard", nil, 200), &out); err != nil {
			t.Fatal(err)
		}
		return out
	}
	answers := []struct{ who, body string }{
		{"Sanne", ok},
		{"Jan", heardBody(2, 1, 1, 2, 4, "")},
		{"Oma Ria", heardBody(3, 2, 3, 3, 9, "Fijn gesprek")},
		{"Fatima", heardBody(3, 3, 3, 1, 7, "Ik mocht alles zeggen")},
	}
	for i, a := range answers {
		if code, state, b := ht.as(a.who, "POST", path, a.body); code != 201 || state != "answered" {
			t.Fatalf("%s answers: %d %s %s", a.who, code, state, b)
		}
		if code, state, _ := ht.as(a.who, "GET", path, ""); code != 200 || state != "answered" {
			t.Fatalf("state of %s after answering: %d %s", a.who, code, state)
		}
		if n, m := ht.stored(); n != i+1 || m != i+1 {
			t.Fatalf("after %d answers: %d answers, %d markers", i+1, n, m)
		}
		if i < len(answers)-1 {
			// While answers still come in (three of four is enough people, but
			// the fourth would show as the difference), no view holds them.
			s, o := summary(), overview()
			if s.Eligible != 4 || !s.Summary.Open || s.Summary.Shown || s.Summary.Answers != i+1 || len(s.Summary.Sentences) != 0 {
				t.Fatalf("summary after %d answers: %+v", i+1, s)
			}
			if o.Open != 1 || o.Meetings != 0 || o.Summary.Answers != 0 {
				t.Fatalf("overview after %d answers: %+v", i+1, o)
			}
		}
	}
	t.Run("ErrSecondAnswer", func(t *testing.T) {
		if code, got, _ := ht.as("Sanne", "POST", path, heardBody(1, 1, 1, 1, 0, "toch anders")); code != 409 || got != "conflict/heard_already" {
			t.Fatalf("second answer: %d %s", code, got)
		}
		if n, m := ht.stored(); n != 4 || m != 4 {
			t.Fatalf("after a second answer: %d answers, %d markers", n, m)
		}
	})

	s := summary()
	if s.Summary.Open || !s.Summary.Shown || s.Summary.Answers != 4 || s.Summary.MeanMark != 7 {
		t.Fatalf("summary once everyone answered: %+v", s.Summary)
	}
	if s.Summary.Scores["heard"] != (meeting.HeardCounts{Little: 1, Yes: 3}) || s.Summary.Scores["goals"] != (meeting.HeardCounts{No: 1, Little: 1, Yes: 2}) {
		t.Fatalf("scores %+v", s.Summary.Scores)
	}
	if strings.Join(s.Summary.Sentences, "|") != "Fijn gesprek|Iedereen luisterde naar mij|Ik mocht alles zeggen" {
		t.Fatalf("sentences %q", s.Summary.Sentences)
	}
	if o := overview(); o.Meetings != 1 || o.Open != 0 || o.Summary.Answers != 4 || o.Summary.MeanMark != 7 {
		t.Fatalf("overview once everyone answered: %+v", o)
	}
	if code, state, _ := ht.as("Sanne", "GET", path, ""); code != 200 || state != "answered" {
		t.Fatalf("state: %d %s", code, state)
	}
}

// TestHeardLinksNoAnswerToAPerson checks every view a coordinator has, the
// audit log and the websocket after several people answered: none ties an
// answer to the person who gave it.
func TestHeardLinksNoAnswerToAPerson(t *testing.T) {
	ht := newHeardTable(t)
	es := ht.es
	ht.close()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go es.srv.Listener(ln)
	t.Cleanup(func() { es.srv.Shutdown() })
	ws, err := wsclient.Dial(ln.Addr().String(), es.info.ID, es.cookie)
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	if err := ws.Hello("", "", 0); err != nil {
		t.Fatal(err)
	}
	if _, err := ws.WaitFor(func(f wsclient.Frame) bool { return f.Type == "snapshot" }, 10*time.Second); err != nil {
		t.Fatal(err)
	}

	path := "/api/meetings/" + es.info.ID + "/heard"
	sentences := map[string]string{"Sanne": "Zonnebloem sprak vrijuit", "Jan": "Kastanje kreeg weinig tijd", "Oma Ria": "Vlinder voelde zich veilig", "Fatima": "Merel mist haar doel"}
	for who, sentence := range sentences {
		if code, state, b := ht.as(who, "POST", path, heardBody(3, 2, 1, 3, 6, sentence)); code != 201 {
			t.Fatalf("%s answers: %d %s %s", who, code, state, b)
		}
	}
	// A phone that comes online after the answers makes a presence frame:
	// everything the answers could have sent came before it.
	phone, err := wsclient.Dial(ln.Addr().String(), es.info.ID, "tafel_p="+ht.tokens["Sanne"])
	if err != nil {
		t.Fatal(err)
	}
	defer phone.Close()
	if err := phone.Hello("", "", 0); err != nil {
		t.Fatal(err)
	}
	if _, err := ws.WaitFor(func(f wsclient.Frame) bool {
		return f.Type == "presence" && strings.Contains(string(f.Raw), ht.ids["Sanne"])
	}, 10*time.Second); err != nil {
		t.Fatalf("no presence frame after the answers: %v", err)
	}
	if _, err := phone.WaitFor(func(f wsclient.Frame) bool { return f.Type == "snapshot" }, 10*time.Second); err != nil {
		t.Fatal(err)
	}
	for _, sentence := range sentences {
		if ws.Saw(sentence) || phone.Saw(sentence) {
			t.Fatalf("a websocket frame carries the answer %q", sentence)
		}
	}
	for _, f := range ws.Frames() {
		if strings.Contains(string(f.Raw), "heard") {
			t.Fatalf("a websocket frame speaks of the check: %s", f.Raw)
		}
	}

	// The summary holds the sentences, with no name or participant id anywhere.
	views := map[string][]byte{
		"summary":  es.send("GET", path+"/summary", nil, 200),
		"overview": es.send("GET", "/api/heard", nil, 200),
	}
	for view, body := range views {
		for who, id := range ht.ids {
			if strings.Contains(string(body), id) || strings.Contains(string(body), `"`+who+`"`) {
				t.Fatalf("%s names %s: %s", view, who, body)
			}
		}
		for _, sentence := range sentences {
			if !strings.Contains(string(body), sentence) {
				t.Fatalf("%s lacks the sentence %q: %s", view, sentence, body)
			}
		}
	}
	// Views that show people show no answer.
	_, measures := es.fetch("/api/families/"+es.info.FamilyID+"/measures.csv", 200)
	// The pilot measures hold the aggregate: 4 answers, "yes" 4, 0, 0, 4 times, mean mark 6.
	if !strings.Contains(string(measures), ","+es.info.ID+",") || !strings.Contains(string(measures), ",4,4,0,0,4,6.0\r\n") {
		t.Fatalf("measures CSV lacks the check's aggregate:\n%s", measures)
	}
	others := map[string][]byte{
		"snapshot":       es.send("GET", "/api/meetings/"+es.info.ID+"/snapshot", nil, 200),
		"family export":  es.send("GET", "/api/families/"+es.info.FamilyID+"/export.json", nil, 200),
		"audit log":      es.send("GET", "/api/families/"+es.info.FamilyID+"/audit", nil, 200),
		"measures CSV":   measures,
		"plan JSON":      func() []byte { _, b := es.fetch("/api/meetings/"+es.info.ID+"/export.json", 200); return b }(),
		"plan Markdown":  func() []byte { _, b := es.fetch("/api/meetings/"+es.info.ID+"/export.md", 200); return b }(),
		"phone snapshot": func() []byte { _, _, b := ht.as("Sanne", "GET", "/api/meetings/"+es.info.ID+"/snapshot", ""); return b }(),
	}
	for view, body := range others {
		for _, sentence := range sentences {
			if strings.Contains(string(body), sentence) {
				t.Fatalf("%s carries the answer %q", view, sentence)
			}
		}
	}
	// The audit log says who answered which meeting's check, and nothing of what.
	var records []store.AuditRecord
	if err := json.Unmarshal(others["audit log"], &records); err != nil {
		t.Fatal(err)
	}
	answered := 0
	for _, r := range records {
		if r.ObjectType == "heard_check" && r.Detail == "heard.answer" {
			answered++
			if r.ObjectID != es.info.ID || r.Action != "create" {
				t.Fatalf("audit record of an answer: %+v", r)
			}
		}
	}
	if answered != len(sentences) {
		t.Fatalf("%d audit records of answers, want %d", answered, len(sentences))
	}
}
