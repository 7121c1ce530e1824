package export

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"

	"github.com/tafel-met/tafel/server/meeting"
)

func TestMeasuresCSV(t *testing.T) {
	first := fixtureMeeting(t, true)
	next := fixtureFollowUp(t, false)
	evil := meeting.New(meeting.Header{ID: "m-0003", Title: "=HYPERLINK(\"http://x\")", Date: "2027-04-01"})
	out := WriteMeasuresCSV([]meeting.FamilyMeetings{
		{FamilyID: "f1", FamilyLabel: "Gezin J.", Meetings: []*meeting.Meeting{first, next}},
		{FamilyID: "f2", FamilyLabel: "@Gezin K.", Meetings: []*meeting.Meeting{evil}},
	})
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
		"Gezin J.|m-0001|2026-12-01|Top-3-gesprek|closed|no|7|6|6|3|1|2",
		"Gezin J.|m-0002|2027-03-01|Vervolggesprek|plan|yes|7|3|3|2|0|1",
		"'@Gezin K.|m-0003|2027-04-01|'=HYPERLINK(\"http://x\")|lobby|no|0|0|0|0|0|0",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("measures CSV:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
