package export

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/tafel-met/tafel/server/meeting"
)

func TestCSVFormulaInjection(t *testing.T) {
	d := closedPlan(t, Dutch)
	d.Actions = nil
	for _, what := range []string{"=HYPERLINK(\"http://x\")", "+31 6 1234", "-2+3", "@SUM(A1)", "\tTab", "\rCR", "Gewoon", "Zoë = blij"} {
		d.Actions = append(d.Actions, Action{ID: "a", What: what, Owner: "=Eigenaar", Status: meeting.ActionOpen, WorryRank: 1, WorryID: d.Top3[0].ID})
	}
	out := WriteCSV(d)
	if !bytes.HasPrefix(out, []byte("\xEF\xBB\xBF")) {
		t.Fatal("CSV has no UTF-8 byte order mark")
	}
	if !bytes.Contains(out, []byte("\r\n")) {
		t.Error("CSV lines do not end in CRLF")
	}
	rows, err := csv.NewReader(bytes.NewReader(out[3:])).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(rows[0], ",") != strings.Join(CSVColumns, ",") {
		t.Fatalf("header = %v", rows[0])
	}
	col := map[string]int{}
	for i, c := range rows[0] {
		col[c] = i
	}
	want := []string{"'=HYPERLINK(\"http://x\")", "'+31 6 1234", "'-2+3", "'@SUM(A1)", "'\tTab", "'CR", "Gewoon", "Zoë = blij"}
	// encoding/csv with CRLF line ends drops a lone carriage return inside a cell;
	// the domain refuses one anyway. What matters is the apostrophe in front.
	for i, row := range rows[1:] {
		if got := row[col["action"]]; got != want[i] {
			t.Errorf("action cell = %q, want %q", got, want[i])
		}
		if got := row[col["owner"]]; got != "'=Eigenaar" {
			t.Errorf("owner cell = %q", got)
		}
		if got := row[col["worry"]]; got != arabicWorry {
			t.Errorf("worry cell = %q, want the Arabic text as typed", got)
		}
	}
}

func TestICS(t *testing.T) {
	d := closedPlan(t, Dutch)
	d.FamilyLabel = "Familie Öztürk-Kowalczyk, Ağrı; Łucja\\Zoë عائلة en nog veel meer tekst"
	out, err := WriteICS(d)
	if err != nil {
		t.Fatal(err)
	}
	s := string(out)
	if !strings.HasSuffix(s, "END:VCALENDAR\r\n") || strings.Contains(strings.ReplaceAll(s, "\r\n", ""), "\n") {
		t.Fatal("every line must end in CRLF")
	}
	for _, line := range strings.Split(strings.TrimSuffix(s, "\r\n"), "\r\n") {
		if len(line) > 75 {
			t.Errorf("line of %d octets (max 75): %q", len(line), line)
		}
		if !utf8.ValidString(line) {
			t.Errorf("a fold split a character: %q", line)
		}
	}
	unfolded := strings.ReplaceAll(s, "\r\n ", "")
	for _, want := range []string{
		`SUMMARY:Evaluatie plan Familie Öztürk-Kowalczyk\, Ağrı\; Łucja\\Zoë عائلة en nog veel meer tekst` + "\r\n",
		"UID:plan-m-0001-v1@tafel\r\n", "DTSTAMP:20261201T153000Z\r\n",
		"DTSTART;VALUE=DATE:20270301\r\n", "DTEND;VALUE=DATE:20270302\r\n",
	} {
		if !strings.Contains(unfolded, want) {
			t.Errorf("calendar lacks %q:\n%s", want, s)
		}
	}
	// The worries stay out of calendars.
	for _, w := range d.Top3 {
		if strings.Contains(unfolded, w.Text) {
			t.Errorf("calendar shows the worry %q", w.Text)
		}
	}

	t.Run("LiveSharesUIDWithItsVersion", func(t *testing.T) {
		live := FromMeeting(fixtureMeeting(t, false), nil, Dutch, closedAt)
		out, err := WriteICS(live)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(out), "UID:plan-m-0001-v1@tafel\r\n") {
			t.Errorf("live plan UID differs from version 1's:\n%s", out)
		}
	})
	t.Run("ErrNoEvaluation", func(t *testing.T) {
		d.NextEvaluation = ""
		if _, err := WriteICS(d); !errors.Is(err, ErrNoEvaluation) {
			t.Fatalf("err = %v", err)
		}
	})
}

func TestFilename(t *testing.T) {
	for _, tc := range []struct {
		label string
		live  bool
		f     Format
		want  string
	}{
		{"Gezin J.", true, PDF, "plan-gezin-j-2026-12-01.pdf"},
		{"Gezin J.", false, CSV, "plan-gezin-j-2026-12-01-v1.csv"},
		{"Familie Öztürk-Łukasz", true, Markdown, "plan-familie-ozturk-lukasz-2026-12-01.md"},
		{"../../etc/passwd\"; x", true, JSON, "plan-etc-passwd-x-2026-12-01.json"},
		{arabicWorry, true, ICS, "plan-gezin-2026-12-01.ics"},
	} {
		d := Document{FamilyLabel: tc.label, Date: "2026-12-01", Version: 1, Live: tc.live}
		if got := Filename(d, tc.f); got != tc.want {
			t.Errorf("Filename(%q) = %q, want %q", tc.label, got, tc.want)
		}
	}
}

func TestFromMeeting(t *testing.T) {
	t.Run("Live", func(t *testing.T) {
		m := fixtureMeeting(t, false)
		d := FromMeeting(m, nil, Dutch, time.Date(2026, 12, 1, 14, 0, 0, 123, time.UTC))
		if !d.Live || d.Version != 1 || !d.Stamp.Equal(time.Date(2026, 12, 1, 14, 0, 0, 0, time.UTC)) {
			t.Errorf("live: version %d live %v stamp %v", d.Version, d.Live, d.Stamp)
		}
		var names []string
		for _, p := range d.Parties {
			names = append(names, p.Name+":"+strings.Join(p.People, "+"))
		}
		want := "Moeder:Sanne Vader:Ahmed Kind:Ağrı Buurvrouw:Zoë Veilig Thuis:François Wijkteam:Łucja Raad voor de Kinderbescherming:"
		if got := strings.Join(names, " "); got != want {
			t.Errorf("at the table:\n got %s\nwant %s", got, want)
		}
		if len(d.Strengths) != 2 {
			t.Errorf("strengths = %+v, want the two revealed ones", d.Strengths)
		}
		if got := []string{d.Top3[0].Text, d.Top3[1].Text, d.Top3[2].Text}; got[0] != arabicWorry || got[1] != "=Schulden lopen op" {
			t.Errorf("top 3 = %q, want the agreed order", got)
		}
		if got := d.Top3[0].RaisedBy; strings.Join(got, ",") != "Moeder,Vader" {
			t.Errorf("merged worry raised by %v", got)
		}
		if got := [3]int{d.Actions[0].WorryRank, d.Actions[1].WorryRank, d.Actions[2].WorryRank}; got != [3]int{1, 1, 2} {
			t.Errorf("actions not grouped by rank: %v", got)
		}
	})
	t.Run("ClosedWithoutVersionUsesLatest", func(t *testing.T) {
		m := fixtureMeeting(t, true)
		d := FromMeeting(m, nil, Dutch, time.Now())
		if d.Live || d.Version != 1 || !d.Stamp.Equal(closedAt) {
			t.Errorf("closed: version %d live %v stamp %v", d.Version, d.Live, d.Stamp)
		}
	})
	t.Run("VersionIsFrozen", func(t *testing.T) {
		m := fixtureMeeting(t, true)
		v := m.Versions[0]
		v.Plan.Actions = v.Plan.Actions[:1]
		d := FromMeeting(m, &v, Dutch, time.Now())
		if len(d.Actions) != 1 {
			t.Errorf("document of a version shows %d actions, want the version's 1", len(d.Actions))
		}
	})
}

func TestJSONSchema(t *testing.T) {
	out, err := WriteJSON(closedPlan(t, English))
	if err != nil {
		t.Fatal(err)
	}
	var v struct {
		Schema string `json:"schema"`
	}
	if err := json.Unmarshal(out, &v); err != nil || v.Schema != "tafel.plan/v1" {
		t.Fatalf("schema = %q, %v", v.Schema, err)
	}
	nl, _ := WriteJSON(closedPlan(t, Dutch))
	if !bytes.Equal(out, nl) {
		t.Error("JSON depends on the language; it should carry only data")
	}
}

func TestParse(t *testing.T) {
	for in, want := range map[string]Lang{"": Dutch, "nl": Dutch, "en": English} {
		if got, ok := ParseLang(in); !ok || got != want {
			t.Errorf("ParseLang(%q) = %q, %v", in, got, ok)
		}
	}
	if _, ok := ParseLang("de"); ok {
		t.Error("ParseLang accepts a language without a catalogue")
	}
	for _, f := range Formats {
		if got, ok := ParseFormat(string(f)); !ok || got != f {
			t.Errorf("ParseFormat(%q) = %q", f, got)
		}
	}
	if _, ok := ParseFormat("exe"); ok {
		t.Error("ParseFormat accepts exe")
	}
	// Every export language has every word, of the plan and of the Signs of
	// Safety shape: a missing one would show in Dutch.
	for l := range catalogue {
		for key := range catalogue[Dutch] {
			if _, ok := catalogue[l][key]; !ok {
				t.Errorf("catalogue %s lacks %q", l, key)
			}
		}
		for key := range safetyCatalogue[Dutch] {
			if _, ok := safetyCatalogue[l][key]; !ok {
				t.Errorf("safety catalogue %s lacks %q", l, key)
			}
		}
	}
}

// An action whose worry left the top 3 (the table went back and agreed another
// top 3) is not lost: it is listed on its own.
func TestOtherActions(t *testing.T) {
	d := closedPlan(t, Dutch)
	d.Actions = append(d.Actions, Action{ID: "a99", WorryID: "w-gone", What: "Huiswerkbegeleiding", Owner: "Kind", Status: meeting.ActionOpen})
	md := string(WriteMarkdown(d))
	if i, j := strings.Index(md, "### Andere afspraken"), strings.Index(md, "- Huiswerkbegeleiding"); i < 0 || j < i {
		t.Errorf("action outside the top 3 not listed under its own heading:\n%s", md)
	}
	if _, err := WritePDF(d); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(bytes.NewReader(WriteCSV(d)[3:])).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if last := rows[len(rows)-1]; last[4] != "" || last[9] != "Huiswerkbegeleiding" {
		t.Errorf("last CSV row = %q, want the action with an empty worry_rank", last)
	}
}
