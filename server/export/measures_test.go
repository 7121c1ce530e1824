package export

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"
	"time"

	"github.com/tafel-met/tafel/server/meeting"
)

func TestMeasuresCSV(t *testing.T) {
	first := fixtureMeeting(t, true)
	next := fixtureFollowUp(t, false)
	evil := meeting.New(meeting.Header{ID: "m-0003", Title: "=HYPERLINK(\"http://x\")", Date: "2027-04-01"})
	fams := []meeting.FamilyMeetings{
		{FamilyID: "f1", FamilyLabel: "Gezin J.", Meetings: []*meeting.Meeting{first, next}},
		{FamilyID: "f2", FamilyLabel: "@Gezin K.", Meetings: []*meeting.Meeting{evil}},
	}
	answer := func(h, s, tm, g, mark int) meeting.HeardAnswer {
		return meeting.HeardAnswer{Scores: map[string]int{"heard": h, "safe": s, "time": tm, "goals": g}, Mark: mark, Sentence: "Geheim zinnetje"}
	}
	answers := []meeting.HeardAnswer{answer(3, 3, 1, 3, 8), answer(3, 2, 3, 1, 7), answer(2, 3, 3, 3, 9), answer(3, 1, 3, 2, 6)}
	// All four of the family and network at the table answered: the check is over.
	settled := first.HeardClosedAt().Add(time.Hour)
	if first.HeardEligible() != 4 {
		t.Fatalf("fixture has %d who may answer, want 4", first.HeardEligible())
	}
	out := WriteMeasuresCSV(fams, map[string]meeting.HeardSummary{"m-0001": first.SummariseHeardAt(answers, settled)})
	if !bytes.HasPrefix(out, []byte("\xEF\xBB\xBF")) || !bytes.Contains(out, []byte("\r\n")) {
		t.Fatal("measures CSV is not UTF-8 with BOM and CRLF")
	}
	rows, err := csv.NewReader(bytes.NewReader(out[3:])).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	got := []string{}
	for _, r := range rows {
		got = append(got, strings.Join(r, "|"))
	}
	want := []string{
		strings.Join(MeasuresColumns, "|"),
		// Kees never got in, Piet was removed: 6 people of 6 of the 7 parties.
		"Gezin J.|m-0001|2026-12-01|Top-3-gesprek|closed|no|7|6|6|3|1|2|4|3|2|3|2|7.5",
		"Gezin J.|m-0002|2027-03-01|Vervolggesprek|plan|yes|7|3|3|2|0|1||||||",
		"'@Gezin K.|m-0003|2027-04-01|'=HYPERLINK(\"http://x\")|lobby|no|0|0|0|0|0|0||||||",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("measures CSV:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestMeasuresCSVHeardWithheld shows the check's columns hold only the number of
// answers while the check still takes answers, and never a sentence.
func TestMeasuresCSVHeardWithheld(t *testing.T) {
	first := fixtureMeeting(t, true)
	a := meeting.HeardAnswer{Scores: map[string]int{"heard": 3, "safe": 3, "time": 3, "goals": 3}, Mark: 9, Sentence: "Geheim zinnetje"}
	for _, tc := range []struct {
		name    string
		answers []meeting.HeardAnswer
		want    string
	}{
		{"OpenThreeOfFour", []meeting.HeardAnswer{a, a, a}, "|3|||||"},
		{"OpenOne", []meeting.HeardAnswer{a}, "|1|||||"},
		{"None", nil, "|0|||||"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := first.SummariseHeardAt(tc.answers, first.HeardClosedAt().Add(time.Hour))
			out := string(WriteMeasuresCSV([]meeting.FamilyMeetings{{FamilyLabel: "Gezin J.", Meetings: []*meeting.Meeting{first}}},
				map[string]meeting.HeardSummary{first.ID: h}))
			rows := strings.Split(strings.TrimSpace(out), "\r\n")
			if len(rows) != 2 || !strings.HasSuffix(rows[1], strings.ReplaceAll(tc.want, "|", ",")) {
				t.Fatalf("rows %q, want the meeting's to end %q", rows, tc.want)
			}
			if strings.Contains(out, "Geheim") {
				t.Fatal("the measures CSV carries a sentence")
			}
		})
	}
}
