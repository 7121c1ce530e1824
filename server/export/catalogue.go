package export

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"
	"time"

	"github.com/tafel-met/tafel/server/meeting"
)

// Lang is the language of the words an export adds around the family's own text.
type Lang string

// The languages exports are written in: Dutch at B1 level first, English as
// well, and the family's own languages for the PDF. Each has its words in
// words/<lang>.json.
const (
	Dutch     Lang = "nl"
	English   Lang = "en"
	Arabic    Lang = "ar"
	Turkish   Lang = "tr"
	Polish    Lang = "pl"
	Ukrainian Lang = "uk"
	// Tigrinya is drawn in Noto Sans Ethiopic.
	Tigrinya Lang = "ti"
	// Somali is in Latin script, in DejaVu Sans.
	Somali Lang = "so"
	// Farsi reads right to left, in DejaVu Sans's Arabic script, which has the
	// Persian letters and digits.
	Farsi Lang = "fa"
)

// rtl says whether the language reads right to left.
func (l Lang) rtl() bool { return l == Arabic || l == Farsi }

// ParseLang reads a lang query value; empty means Dutch.
func ParseLang(s string) (Lang, bool) {
	if s == "" {
		return Dutch, true
	}
	if _, ok := catalogue[Lang(s)]; ok {
		return Lang(s), true
	}
	return "", false
}

// LangList names the languages exports are written in, e.g. "ar, en, nl".
func LangList() string {
	langs := make([]string, 0, len(catalogue))
	for l := range catalogue {
		langs = append(langs, string(l))
	}
	sort.Strings(langs)
	return strings.Join(langs, ", ")
}

// catalogue holds every word an export adds, per language, and safetyCatalogue
// the words of the Signs of Safety shape. Dutch is written at B1 level: short
// sentences, common words.
var catalogue, safetyCatalogue = readWords(wordFiles)

// wordFiles holds the words an export adds, one file per language
// (words/<lang>.json): the words of the plan, and those of the Signs of
// Safety shape beside them. A new language is one more file.
//
//go:embed words/*.json
var wordFiles embed.FS

// wordFile is the shape every language's file has.
type wordFile struct {
	Meta struct {
		Written string `json:"written"` // who wrote the words, and who checked them
	} `json:"_meta"`
	Plan   map[string]string `json:"plan"`
	Safety map[string]string `json:"safety"`
}

// readWords reads every language's words from fsys. The files are built into
// the binary, so a file that does not read is a defect of the build, not of
// a request: it panics, and every test of the package shows it.
func readWords(fsys fs.FS) (plan, safety map[Lang]map[string]string) {
	names, err := fs.Glob(fsys, "words/*.json")
	if err != nil || len(names) == 0 {
		panic("export: no words/*.json")
	}
	plan, safety = map[Lang]map[string]string{}, map[Lang]map[string]string{}
	for _, name := range names {
		b, err := fs.ReadFile(fsys, name)
		if err != nil {
			panic("export: " + err.Error())
		}
		var f wordFile
		dec := json.NewDecoder(bytes.NewReader(b))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&f); err != nil {
			panic("export: " + name + ": " + err.Error())
		}
		l := Lang(strings.TrimSuffix(path.Base(name), ".json"))
		plan[l], safety[l] = f.Plan, f.Safety
	}
	return plan, safety
}

// t returns the catalogue text for key, formatted with args. A missing key shows
// itself, so a gap is visible in a golden file rather than silently empty.
func (l Lang) t(key string, args ...any) string {
	s, ok := catalogue[l][key]
	if !ok {
		s, ok = safetyCatalogue[l][key]
	}
	if !ok {
		s, ok = catalogue[Dutch][key]
	}
	if !ok {
		return key
	}
	if len(args) == 0 {
		return s
	}
	return fmt.Sprintf(s, args...)
}

// date writes a YYYY-MM-DD date the way people read it: "1 december 2026".
// Anything else is returned as it is.
func (l Lang) date(iso string) string {
	d, err := time.Parse("2006-01-02", iso)
	if err != nil {
		return iso
	}
	months := strings.Fields(l.t("months"))
	if len(months) != 12 {
		return iso
	}
	return fmt.Sprintf("%d %s %d", d.Day(), months[d.Month()-1], d.Year())
}

// outcome returns the words for what became of a previous action.
func (l Lang) outcome(o meeting.Outcome) string {
	return l.t("outcome:" + string(o))
}

// status returns the words for an action's status.
func (l Lang) status(s meeting.ActionStatus) string {
	return l.t("status:" + string(s))
}
