package export

import (
	"html"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// pdfWord is one word pdftotext -bbox found, with its box in points.
type pdfWord struct {
	text                   string
	xMin, yMin, xMax, yMax float64
}

var bboxWord = regexp.MustCompile(`<word xMin="([0-9.]+)" yMin="([0-9.]+)" xMax="([0-9.]+)" yMax="([0-9.]+)">([^<]*)</word>`)

// pdfWords returns the words on page 1 with their positions. Arabic words are
// folded to plain letters (NFKC) and given in reading order: pdftotext gives
// them as drawn, right to left.
func pdfWords(t *testing.T, pdf []byte) []pdfWord {
	t.Helper()
	return pdfPageWords(t, pdf, 1, 1)
}

// pdfPageWords is pdfWords for the pages first to last.
func pdfPageWords(t *testing.T, pdf []byte, first, last int) []pdfWord {
	t.Helper()
	bin := needTool(t, "pdftotext", "poppler-utils")
	path := filepath.Join(t.TempDir(), "plan.pdf")
	if err := os.WriteFile(path, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "-bbox", "-f", strconv.Itoa(first), "-l", strconv.Itoa(last), "-enc", "UTF-8", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext -bbox: %v", err)
	}
	var words []pdfWord
	for _, m := range bboxWord.FindAllStringSubmatch(string(out), -1) {
		f := func(s string) float64 { v, _ := strconv.ParseFloat(s, 64); return v }
		text := []rune(strings.Map(func(r rune) rune {
			if unicode.Is(unicode.Mn, r) {
				return -1 // a vowel sign or hamza may come before its letter
			}
			return r
		}, norm.NFKC.String(html.UnescapeString(m[5]))))
		if slices.ContainsFunc(text, isArabic) {
			slices.Reverse(text)
		}
		words = append(words, pdfWord{string(text), f(m[1]), f(m[2]), f(m[3]), f(m[4])})
	}
	return words
}

// find returns the first word with the text that shares a line with the word
// on, or any line when on is nil.
func find(t *testing.T, words []pdfWord, text string, on *pdfWord) pdfWord {
	t.Helper()
	for _, w := range words {
		if w.text == text && (on == nil || w.yMin < on.yMax && on.yMin < w.yMax) {
			return w
		}
	}
	t.Fatalf("no word %q on page 1 (line of %v)", text, on)
	return pdfWord{}
}

// In an Arabic PDF the page reads from the right: the family label keeps its
// full stop ("Gezin J." to the left of "خطة"), labels stand right of their
// values, the table's first column (what) is the rightmost, and the worry's
// number is at the right margin. The Dutch PDF is the mirror image, so each
// check can fail.
func TestPDFRightToLeftLayout(t *testing.T) {
	for _, tc := range []struct {
		lang                Lang
		rtl                 bool
		title, what, status string
	}{
		{Arabic, true, "خطة", "ماذا", "الحالة"},
		{Farsi, true, "برنامه", "کاری", "وضعیت"},
		{Dutch, false, "Plan", "Wat", "Stand"},
	} {
		t.Run(string(tc.lang), func(t *testing.T) {
			pdf, err := WritePDF(closedPlan(t, tc.lang))
			if err != nil {
				t.Fatal(err)
			}
			words := pdfWords(t, pdf)
			rtl := tc.rtl
			// before reports whether a reads before b on the page's reading direction.
			before := func(a, b pdfWord) bool {
				if rtl {
					return a.xMin > b.xMax
				}
				return a.xMax < b.xMin
			}
			title := find(t, words, tc.title, nil)
			label := find(t, words, "J.", &title)
			if !before(title, label) {
				t.Errorf("title: %q at x %.0f-%.0f, %q at x %.0f-%.0f", title.text, title.xMin, title.xMax, label.text, label.xMin, label.xMax)
			}
			for _, w := range words {
				if w.text == ".Gezin" {
					t.Errorf("the family label's full stop is drawn on the wrong side: %q", w.text)
				}
			}
			party := find(t, words, "Moeder", nil)
			person := find(t, words, "Sanne", &party)
			if !before(party, person) {
				t.Errorf("row: label %q at x %.0f, value %q at x %.0f", party.text, party.xMin, person.text, person.xMin)
			}
			// The table header: the "what" that has "status" on its line (another is a heading).
			status := find(t, words, tc.status, nil)
			what := find(t, words, tc.what, &status)
			if !before(what, status) {
				t.Errorf("table header: %q at x %.0f, %q at x %.0f", what.text, what.xMin, status.text, status.xMin)
			}
			worry := find(t, words, "يكفي", nil)
			rank := find(t, words, "1", &worry)
			if !before(rank, worry) {
				t.Errorf("worry number at x %.0f, its text at x %.0f", rank.xMin, worry.xMin)
			}
		})
	}
}
