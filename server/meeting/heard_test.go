package meeting

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestParseHeardAnswer(t *testing.T) {
	tests := []struct {
		name string
		data string
		code string
		want HeardAnswer
	}{
		{"OK", `{"scores":{"heard":3,"safe":2,"time":1,"goals":3},"mark":8,"sentence":"  Fijn dat iedereen luisterde "}`, "",
			HeardAnswer{Scores: map[string]int{"heard": 3, "safe": 2, "time": 1, "goals": 3}, Mark: 8, Sentence: "Fijn dat iedereen luisterde"}},
		{"OKNoSentenceMarkZero", `{"scores":{"heard":1,"safe":1,"time":1,"goals":1},"mark":0}`, "",
			HeardAnswer{Scores: map[string]int{"heard": 1, "safe": 1, "time": 1, "goals": 1}, Mark: 0}},
		{"ErrMissingQuestion", `{"scores":{"heard":3,"safe":2,"time":1},"mark":8}`, ECodeInvalidInput, HeardAnswer{}},
		{"ErrUnknownQuestion", `{"scores":{"heard":3,"safe":2,"time":1,"name":3},"mark":8}`, ECodeInvalidInput, HeardAnswer{}},
		{"ErrScoreZero", `{"scores":{"heard":0,"safe":2,"time":1,"goals":3},"mark":8}`, ECodeInvalidInput, HeardAnswer{}},
		{"ErrScoreFour", `{"scores":{"heard":4,"safe":2,"time":1,"goals":3},"mark":8}`, ECodeInvalidInput, HeardAnswer{}},
		{"ErrNoMark", `{"scores":{"heard":3,"safe":2,"time":1,"goals":3}}`, ECodeInvalidInput, HeardAnswer{}},
		{"ErrMarkEleven", `{"scores":{"heard":3,"safe":2,"time":1,"goals":3},"mark":11}`, ECodeInvalidInput, HeardAnswer{}},
		{"ErrMarkNegative", `{"scores":{"heard":3,"safe":2,"time":1,"goals":3},"mark":-1}`, ECodeInvalidInput, HeardAnswer{}},
		{"ErrSentenceTooLong", `{"scores":{"heard":3,"safe":2,"time":1,"goals":3},"mark":5,"sentence":"` + strings.Repeat("a", 501) + `"}`, ECodeInvalidInput, HeardAnswer{}},
		{"ErrControlCharacter", `{"scores":{"heard":3,"safe":2,"time":1,"goals":3},"mark":5,"sentence":"a\u0007b"}`, ECodeInvalidInput, HeardAnswer{}},
		// An answer that names its author is refused: the shape has no place for it.
		{"ErrParticipantField", `{"scores":{"heard":3,"safe":2,"time":1,"goals":3},"mark":5,"participantId":"p5"}`, ECodeInvalidInput, HeardAnswer{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseHeardAnswer(json.RawMessage(tc.data))
			if tc.code != "" {
				if ErrorCode(err) != tc.code {
					t.Fatalf("err = %v, want code %s", err, tc.code)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("got %+v, want %+v", got, tc.want)
			}
		})
	}
}

func TestMayAnswerHeard(t *testing.T) {
	m := &Meeting{
		Header: Header{Phase: PhaseClosed},
		Parties: []Party{
			{ID: "fam", Name: "Moeder", Kind: KindFamily},
			{ID: "net", Name: "Buurvrouw", Kind: KindNetwork},
			{ID: "pro", Name: "Gebiedsteam", Kind: KindProfessional},
		},
		Participants: []Participant{
			{ID: "p1", Name: "Sanne", PartyID: "fam", Status: StatusAdmitted},
			{ID: "p2", Name: "Ria", PartyID: "net", Status: StatusAdmitted},
			{ID: "p3", Name: "Petra", PartyID: "pro", Status: StatusAdmitted},
			{ID: "p4", Name: "Jan", PartyID: "fam", Status: StatusRemoved},
			{ID: "p5", Name: "Kees", PartyID: "fam", Status: StatusPending},
		},
	}
	tests := []struct {
		name     string
		phase    Phase
		who      string
		answered bool
		code     string
	}{
		{"OKFamily", PhaseClosed, "p1", false, ""},
		{"OKNetwork", PhaseClosed, "p2", false, ""},
		{"ErrProfessional", PhaseClosed, "p3", false, ECodeForbidden},
		{"ErrRemoved", PhaseClosed, "p4", false, ECodeForbidden},
		{"ErrPending", PhaseClosed, "p5", false, ECodeForbidden},
		{"ErrUnknown", PhaseClosed, "p9", false, ECodeForbidden},
		{"ErrCoordinator", PhaseClosed, "coordinator", false, ECodeForbidden},
		{"ErrTwice", PhaseClosed, "p1", true, ECodeConflict},
		{"ErrWrongPhasePlan", PhasePlan, "p1", false, ECodeWrongPhase},
		{"ErrWrongPhaseLobby", PhaseLobby, "p1", false, ECodeWrongPhase},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			mm := *m
			mm.Phase = tc.phase
			err := mm.MayAnswerHeard(tc.who, tc.answered)
			if tc.code == "" && err != nil {
				t.Fatalf("err = %v, want none", err)
			}
			if tc.code != "" && ErrorCode(err) != tc.code {
				t.Fatalf("err = %v, want code %s", err, tc.code)
			}
		})
	}
}

func TestSummariseHeard(t *testing.T) {
	a := func(h, s, tm, g, mark int, sentence string) HeardAnswer {
		return HeardAnswer{Scores: map[string]int{"heard": h, "safe": s, "time": tm, "goals": g}, Mark: mark, Sentence: sentence}
	}
	t.Run("HiddenBelowThree", func(t *testing.T) {
		got := SummariseHeard([]HeardAnswer{a(3, 3, 3, 3, 9, "Ik ben Sanne en ik voelde me gehoord"), a(1, 1, 1, 1, 2, "")})
		want := HeardSummary{Answers: 2, Scores: map[string]HeardCounts{}, Sentences: []string{}}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("got %+v, want %+v", got, want)
		}
	})
	t.Run("OK", func(t *testing.T) {
		got := SummariseHeard([]HeardAnswer{a(3, 2, 1, 3, 9, "Zo kan het"), a(3, 3, 2, 1, 6, ""), a(1, 3, 3, 2, 3, "Ach, de tijd was kort")})
		if !got.Shown || got.Answers != 3 {
			t.Fatalf("shown %v answers %d", got.Shown, got.Answers)
		}
		if got.Scores["heard"] != (HeardCounts{No: 1, Yes: 2}) || got.Scores["time"] != (HeardCounts{No: 1, Little: 1, Yes: 1}) {
			t.Fatalf("scores %+v", got.Scores)
		}
		if got.MeanMark != 6 || got.Marks[9] != 1 || got.Marks[6] != 1 || got.Marks[3] != 1 {
			t.Fatalf("marks %v mean %v", got.Marks, got.MeanMark)
		}
		// Sentences in sorted order, not the order they came in.
		if !reflect.DeepEqual(got.Sentences, []string{"Ach, de tijd was kort", "Zo kan het"}) {
			t.Fatalf("sentences %q", got.Sentences)
		}
	})
	t.Run("SameWhateverTheOrder", func(t *testing.T) {
		in := []HeardAnswer{a(3, 2, 1, 3, 9, "x"), a(3, 3, 2, 1, 6, "y"), a(1, 3, 3, 2, 3, "z"), a(2, 2, 2, 2, 5, "")}
		first := SummariseHeard(in)
		rev := []HeardAnswer{in[3], in[2], in[1], in[0]}
		if !reflect.DeepEqual(first, SummariseHeard(rev)) {
			t.Fatal("the summary depends on the order of the answers, so it could tell who answered first")
		}
	})
}

func TestHeardWindow(t *testing.T) {
	closed := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	m := &Meeting{
		Header:  Header{Phase: PhaseClosed},
		Parties: []Party{{ID: "fam", Kind: KindFamily}, {ID: "net", Kind: KindNetwork}, {ID: "pro", Kind: KindProfessional}},
		Participants: []Participant{
			{ID: "p1", PartyID: "fam", Status: StatusAdmitted}, {ID: "p2", PartyID: "net", Status: StatusAdmitted},
			{ID: "p3", PartyID: "pro", Status: StatusAdmitted}, {ID: "p4", PartyID: "fam", Status: StatusRemoved},
		},
		Versions: []PlanVersion{{Number: 1, ClosedAt: closed}},
	}
	if n := m.HeardEligible(); n != 2 {
		t.Fatalf("eligible = %d, want 2 (family and network, admitted)", n)
	}
	tests := []struct {
		name    string
		phase   Phase
		now     time.Time
		answers int
		code    string
		settled bool
	}{
		{"OpenJustClosed", PhaseClosed, closed, 0, "", false},
		{"OpenOneAnswer", PhaseClosed, closed.AddDate(0, 0, 13), 1, "", false},
		{"SettledEveryoneAnswered", PhaseClosed, closed.Add(time.Hour), 2, "", true},
		{"ErrEndedAfterDays", PhaseClosed, closed.AddDate(0, 0, HeardOpenDays), 1, ECodeWrongPhase, true},
		{"ErrNotClosed", PhasePlan, closed, 0, ECodeWrongPhase, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			mm := *m
			mm.Phase = tc.phase
			err := mm.HeardOpen(tc.now)
			if ErrorCode(err) != tc.code && !(tc.code == "" && err == nil) {
				t.Fatalf("open: err = %v, want code %q", err, tc.code)
			}
			if got := mm.HeardSettled(tc.answers, tc.now); got != tc.settled {
				t.Fatalf("settled = %v, want %v", got, tc.settled)
			}
		})
	}
}

func TestOrganisationHeard(t *testing.T) {
	closed := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	now := closed.Add(48 * time.Hour)
	a := func(mark int, sentence string) HeardAnswer {
		return HeardAnswer{Scores: map[string]int{"heard": 3, "safe": 2, "time": 1, "goals": 3}, Mark: mark, Sentence: sentence}
	}
	// closedWith is a closed meeting with n admitted family members.
	closedWith := func(id string, n int, at time.Time) *Meeting {
		m := &Meeting{Header: Header{ID: id, Phase: PhaseClosed}, Parties: []Party{{ID: "fam", Kind: KindFamily}},
			Versions: []PlanVersion{{Number: 1, ClosedAt: at}}}
		for i := 0; i < n; i++ {
			m.Participants = append(m.Participants, Participant{ID: id + string(rune('a'+i)), PartyID: "fam", Status: StatusAdmitted})
		}
		return m
	}
	full := closedWith("m1", 3, closed)                    // all three answered: in
	open := closedWith("m2", 4, closed)                    // three of four answered, days left: open
	few := closedWith("m3", 2, closed)                     // both answered, but two: too few
	late := closedWith("m4", 5, closed.AddDate(0, 0, -30)) // three of five, the days ran out: in
	running := &Meeting{Header: Header{ID: "m5", Phase: PhasePlan}}
	answers := map[string][]HeardAnswer{
		"m1": {a(8, "Goed"), a(6, ""), a(7, "")},
		"m2": {a(1, "Niet gehoord"), a(2, ""), a(3, "")},
		"m3": {a(10, "Top"), a(9, "")},
		"m4": {a(5, "Gaat wel"), a(5, ""), a(5, "")},
	}
	got := OrganisationHeard([]FamilyMeetings{{Meetings: []*Meeting{full, open}}, {Meetings: []*Meeting{few, late, running}}}, answers, now)
	if got.Meetings != 2 || got.Open != 1 || got.TooFew != 1 {
		t.Fatalf("meetings %d open %d tooFew %d, want 2 1 1", got.Meetings, got.Open, got.TooFew)
	}
	if got.Summary.Answers != 6 || got.Summary.MeanMark != 6 {
		t.Fatalf("summary %+v, want the 6 answers of m1 and m4 with mean 6", got.Summary)
	}
	for _, s := range got.Summary.Sentences {
		if s == "Niet gehoord" || s == "Top" {
			t.Fatalf("sentence %q of a meeting left out is in the summary", s)
		}
	}
	if s := open.SummariseHeardAt(answers["m2"], now); !s.Open || s.Shown || s.Answers != 3 || len(s.Sentences) != 0 {
		t.Fatalf("open meeting's own summary %+v, want only its count", s)
	}
	if s := full.SummariseHeardAt(answers["m1"], now); s.Open || !s.Shown || s.MeanMark != 7 {
		t.Fatalf("settled meeting's own summary %+v", s)
	}
}
