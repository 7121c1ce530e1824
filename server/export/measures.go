package export

import (
	"bytes"
	"encoding/csv"
	"strconv"

	"github.com/tafel-met/tafel/server/meeting"
)

// MeasuresColumns are the columns of the pilot measures CSV, one row per meeting:
//
//	family               the family's label
//	meeting_id           the meeting's id
//	meeting_date         YYYY-MM-DD
//	meeting_title        the meeting's title
//	phase                where the meeting is (lobby … closed)
//	follow_up            "yes" for a follow-up meeting, else "no"
//	parties_invited      the parties of the meeting
//	parties_present      parties with at least one person admitted to the table
//	people_present       people admitted to the table
//	family_people        of them: of a family party
//	network_people       of them: of a network party
//	professional_people  of them: of a professional party
//	heard_answers        answers to the "were you heard?" check (closed meetings; else empty)
//	heard_yes            of them "yes" to "were you heard?"; empty unless the summary is shown
//	safe_yes             "yes" to "did you feel safe to speak?"; likewise
//	time_yes             "yes" to "was there enough time?"; likewise
//	goals_yes            "yes" to "are your own goals in the plan?"; likewise
//	heard_mean_mark      the mean mark 0-10, one decimal; likewise
//
// The check's columns hold only what the coordinator's summary of the meeting
// shows (meeting.SummariseHeardAt): nothing but the number of answers while the
// check still takes answers or below three answers, and never a sentence.
//
// Like the plan CSV it is UTF-8 with a byte order mark and CRLF line ends, and
// cells that a spreadsheet would run as a formula start with '.
var MeasuresColumns = []string{"family", "meeting_id", "meeting_date", "meeting_title", "phase", "follow_up",
	"parties_invited", "parties_present", "people_present", "family_people", "network_people", "professional_people",
	"heard_answers", "heard_yes", "safe_yes", "time_yes", "goals_yes", "heard_mean_mark"}

// WriteMeasuresCSV writes who came to each meeting of the families given, in
// their order and their meetings' order, and the summary of each closed
// meeting's check from heard (by meeting id).
func WriteMeasuresCSV(families []meeting.FamilyMeetings, heard map[string]meeting.HeardSummary) []byte {
	var buf bytes.Buffer
	buf.WriteString("\uFEFF")
	w := csv.NewWriter(&buf)
	w.UseCRLF = true
	_ = w.Write(MeasuresColumns)
	for _, f := range families {
		for _, m := range f.Meetings {
			a := m.Attendance()
			followUp := "no"
			if m.Previous != nil {
				followUp = "yes"
			}
			row := []string{f.FamilyLabel, m.ID, m.Date, m.Title, string(m.Phase), followUp,
				strconv.Itoa(a.PartiesInvited), strconv.Itoa(a.PartiesPresent), strconv.Itoa(a.People),
				strconv.Itoa(a.FamilyPeople), strconv.Itoa(a.NetworkPeople), strconv.Itoa(a.ProfessionalPeople)}
			row = append(row, heardCells(m, heard[m.ID])...)
			for i := range row {
				row[i] = csvSafe(row[i])
			}
			_ = w.Write(row) // writes to a bytes.Buffer cannot fail
		}
	}
	w.Flush()
	return buf.Bytes()
}

// MeasuresFilename is an ASCII-only download name such as
// "metingen-gezin-j-2027-03-01.csv"; without a family label, "metingen-2027-03-01.csv".
func MeasuresFilename(familyLabel, today string) string {
	name := "metingen"
	if familyLabel != "" {
		name += "-" + slug(familyLabel)
	}
	return name + "-" + slug(today) + ".csv"
}

// heardCells are the check's columns of one meeting's row.
func heardCells(m *meeting.Meeting, h meeting.HeardSummary) []string {
	cells := make([]string, 6)
	if m.Phase != meeting.PhaseClosed {
		return cells
	}
	cells[0] = strconv.Itoa(h.Answers)
	if !h.Shown || h.Open {
		return cells
	}
	for i, q := range meeting.HeardQuestions {
		cells[1+i] = strconv.Itoa(h.Scores[q].Yes)
	}
	cells[5] = strconv.FormatFloat(h.MeanMark, 'f', 1, 64)
	return cells
}
