package export

import (
	"bytes"
	"encoding/csv"
	"strconv"
)

// CSVColumns are the columns of the CSV export, one row per action, in this order:
//
//	family           the family's label, e.g. "Gezin J."
//	meeting_date     the meeting's date, YYYY-MM-DD
//	plan_version     the plan's version number (for a live plan: the number it will get)
//	plan_state       "closed" for a closed version, "live" while the plan is being written
//	worry_rank       1, 2 or 3; empty for an action whose worry left the top 3
//	worry            the worry, in its author's words
//	goal             what the table wants to see for that worry
//	score_now        0-10, or empty
//	action_id        the action's stable id
//	action           what will be done
//	owner            the name of the party that does it
//	due_date         YYYY-MM-DD, or empty
//	status           open, doing or done
//	regisseur        the name of the regisseur's party (the same on every row)
//	next_evaluation  YYYY-MM-DD, or empty (the same on every row)
//
// The values do not depend on the language: codes and ISO dates, and people's own
// words. docs/export-json.md documents the columns for readers outside the code.
var CSVColumns = []string{"family", "meeting_date", "plan_version", "plan_state", "worry_rank", "worry", "goal",
	"score_now", "action_id", "action", "owner", "due_date", "status", "regisseur", "next_evaluation"}

// WriteCSV writes one row per action, with a header row. It is UTF-8 with a byte
// order mark and CRLF line ends, so Excel opens it with ë and ğ intact; every
// cell that a spreadsheet would read as a formula gets a leading apostrophe.
func WriteCSV(d Document) []byte {
	var buf bytes.Buffer
	buf.WriteString("\uFEFF")
	w := csv.NewWriter(&buf)
	w.UseCRLF = true
	header := CSVColumns
	if d.Safety != nil {
		header = append(append([]string{}, CSVColumns...), CSVSafetyColumns...)
	}
	_ = w.Write(header)
	state := "closed"
	if d.Live {
		state = "live"
	}
	regisseur := ""
	if d.Regisseur != nil {
		regisseur = d.Regisseur.Party
	}
	worries := map[string]Worry{}
	for _, wr := range d.Top3 {
		worries[wr.ID] = wr
	}
	for _, a := range d.Actions {
		wr := worries[a.WorryID]
		rank, scoreNow := "", ""
		if a.WorryRank > 0 {
			rank = strconv.Itoa(a.WorryRank)
		}
		if wr.ScoreNow != nil {
			scoreNow = strconv.Itoa(*wr.ScoreNow)
		}
		row := []string{d.FamilyLabel, d.Date, strconv.Itoa(d.Version), state, rank, wr.Text, wr.Goal,
			scoreNow, a.ID, a.What, a.Owner, a.Due, string(a.Status), regisseur, d.NextEvaluation}
		if d.Safety != nil {
			row = append(row, "action", d.Safety.Statements[a.WorryID].SafetyGoal, "", "", "")
		}
		for i := range row {
			row[i] = csvSafe(row[i])
		}
		_ = w.Write(row) // writes to a bytes.Buffer cannot fail
	}
	if d.Safety != nil {
		for _, row := range csvSafetyRows(d, state, regisseur) {
			for i := range row {
				row[i] = csvSafe(row[i])
			}
			_ = w.Write(row)
		}
	}
	w.Flush()
	return buf.Bytes()
}

// csvSafe defuses spreadsheet formula injection (OWASP): a cell that starts with
// =, +, -, @, a tab or a carriage return is read as text when it starts with '.
func csvSafe(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + s
	}
	return s
}
