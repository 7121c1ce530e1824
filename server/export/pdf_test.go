package export

import (
	"bytes"
	"compress/zlib"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"unicode"
	"unicode/utf16"

	"golang.org/x/text/unicode/norm"
)

// needTool returns the path of a command line tool; without it the test fails
// under CI=true and is skipped elsewhere.
func needTool(t *testing.T, name, pkg string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is required in CI (apt-get install %s)", name, pkg)
		}
		t.Skipf("%s not installed (apt-get install %s)", name, pkg)
	}
	return path
}

// resultsDir is <repo>/test-results/export, where a person can look at the output.
func resultsDir(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the test")
		}
		dir = parent
	}
	out := filepath.Join(dir, "test-results", "export")
	if err := os.MkdirAll(out, 0o755); err != nil {
		t.Fatal(err)
	}
	return out
}

// pdfText runs pdftotext on a PDF and returns its text, and the text with
// Arabic presentation forms folded back to plain letters (NFKC).
func pdfText(t *testing.T, pdf []byte) (raw, folded string) {
	t.Helper()
	bin := needTool(t, "pdftotext", "poppler-utils")
	path := filepath.Join(t.TempDir(), "plan.pdf")
	if err := os.WriteFile(path, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "-enc", "UTF-8", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(out), norm.NFKC.String(string(out))
}

// farsiGoal has the letters Farsi adds to the Arabic script (پ چ ژ گ ک ی) and Persian digits.
const farsiGoal = "پدر و مادر هر روز با بچه‌ها گپ می‌زنند؛ ژاکت و کیف برای ۱۴ روز"

func TestPDF(t *testing.T) {
	for _, tc := range []struct {
		lang Lang
		want []string
	}{
		{Dutch, []string{"Plan van Gezin J.", "Top-3-gesprek op 1 december 2026", "Versie 1. Afgesproken op 1 december 2026.",
			"Wie waren erbij", "Wat gaat goed", "We eten elke avond samen.", "Onze top 3 zorgen",
			"Wat willen we zien", "Elke maand rond komen", "3 van de 10", "nog geen cijfer",
			"Budgetcoach aanvragen", "15 januari 2027", "nog te doen", "-Aanmelden bij schuldhulp", "bezig",
			"=Schulden lopen op", "@Sanne belt de woningcorporatie", "Regisseur", "Gezinscoach", "1 maart 2027",
			"+Wij vinden de rust thuis belangrijker.", "Akkoord gegeven door", "Pagina 1 van 2", "Pagina 2 van 2"}},
		{English, []string{"Plan of Gezin J.", "Who was at the table", "What we want to see", "3 out of 10",
			"15 January 2027", "in progress", "Page 1 of 2"}},
		{Turkish, []string{"Gezin J. için plan", "Kimler vardı", "Ne görmek istiyoruz", "10 üzerinden 3",
			"15 Ocak 2027", "yapılıyor", "Sayfa 1 / 2"}},
		{Polish, []string{"Plan: Gezin J.", "Kto był obecny", "Co chcemy zobaczyć", "3 na 10",
			"15 stycznia 2027", "w trakcie", "Strona 1 z 2"}},
		{Ukrainian, []string{"План: Gezin J.", "Хто був присутній", "Що ми хочемо побачити", "3 з 10",
			"15 січня 2027", "робиться", "Сторінка 1 з 2"}},
		{Tigrinya, []string{"መደብ Gezin J.", "መን ነይሩ", "እንታይ ክንርኢ ንደሊ", "3 ካብ 10", "15 ጥሪ 2027", "ይግበር ኣሎ",
			"ገጽ 1 ካብ 2", "ገጽ 2 ካብ 2"}},
		{Somali, []string{"Qorshaha Gezin J.", "Yaa joogay", "Maxaan rabnaa inaan aragno", "3 ka mid ah 10",
			"15 Janaayo 2027", "waa socdaa", "Bogga 1 ee 2"}},
		{Arabic, nil},
		{Farsi, nil},
	} {
		t.Run(string(tc.lang), func(t *testing.T) {
			d := closedPlan(t, tc.lang)
			if tc.lang == Farsi {
				// A goal a family member typed in Farsi: the Persian letters and digits.
				d.Top3[1].Goal = farsiGoal
			}
			pdf, err := WritePDF(d)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.HasPrefix(pdf, []byte("%PDF-")) {
				t.Fatalf("not a PDF: %q", pdf[:min(len(pdf), 20)])
			}
			if len(pdf) > 200<<10 {
				t.Errorf("PDF is %d bytes; the fonts should be subset to the glyphs used", len(pdf))
			}
			dir := resultsDir(t)
			path := filepath.Join(dir, "plan."+string(tc.lang)+".pdf")
			if err := os.WriteFile(path, pdf, 0o644); err != nil {
				t.Fatal(err)
			}
			raw, folded := pdfText(t, pdf)
			// Names and words in Latin scripts with diacritics come out as typed.
			for _, s := range append(tc.want, "Zoë", "François", "Ağrı", "Łucja", "Kinderbescherming") {
				if !strings.Contains(raw, s) {
					t.Errorf("PDF text lacks %q", s)
				}
			}
			// Arabic is drawn shaped (presentation forms) in visual order, right to
			// left. pdftotext recognises the right-to-left run and gives it back in
			// logical order, as presentation forms; folded to plain letters (NFKC)
			// it is the text as typed.
			// The Arabic PDF's own words, read back (shaped, right to left) as written.
			if tc.lang == Arabic {
				// pdftotext marks embedded runs with directional controls; they are not text.
				folded := strings.Map(func(r rune) rune {
					if r >= 0x202A && r <= 0x202E || r >= 0x2066 && r <= 0x2069 {
						return -1
					}
					return r
				}, folded)
				for _, s := range []string{"من كان", "ماذا نريد أن نرى", "ماذا سنفعل", "قيد التنفيذ", "موافقة العائلة", "يناير", "صفحة"} {
					if !strings.Contains(folded, s) {
						t.Errorf("Arabic PDF text lacks %q (text: %q)", s, folded)
					}
				}
				// Table headers and scores are drawn in order too, never reversed ("اذام" is "ماذا" backwards).
				for _, s := range []string{"اذام", "ةلاحلا", "ةحفص"} {
					if strings.Contains(folded, s) {
						t.Errorf("Arabic PDF text has %q: a cell drawn in logical order", s)
					}
				}
			}
			if tc.lang == Farsi {
				// Without the zero width non-joiner, which draws nothing and pdftotext
				// does not give back, and the marks, which it may give before their letter.
				plain := func(s string) string {
					return strings.Map(func(r rune) rune {
						if r >= 0x202A && r <= 0x202E || r >= 0x2066 && r <= 0x2069 || r == 0x200C || unicode.Is(unicode.Mn, r) {
							return -1
						}
						return r
					}, norm.NFKC.String(s))
				}
				text := plain(folded)
				for _, s := range []string{"چه کسانی حاضر بودند", "چه چیزی می‌خواهیم ببینیم", "چه کار خواهیم کرد", "در حال انجام",
					"موافقت خانواده", "ژانویه", "صفحه", "پدر و مادر هر روز با بچه‌ها گپ می‌زنند؛ ژاکت و کیف برای", "۱۴"} {
					if !strings.Contains(text, plain(s)) {
						t.Errorf("Farsi PDF text lacks %q (text: %q)", s, text)
					}
				}
			}
			if !strings.Contains(folded, arabicWorry) {
				t.Errorf("PDF text lacks %q after NFKC (text: %q)", arabicWorry, raw)
			}
			if strings.Contains(raw, "\u0627\u0644\u0645\u0627\u0644") {
				t.Error("Arabic came out unshaped: the PDF should carry presentation forms")
			}
			for _, s := range []string{"Kees", "Piet", "Ik heb nog een draft"} {
				if strings.Contains(raw, s) {
					t.Errorf("PDF shows %q, who or what never reached the table", s)
				}
			}
			t.Logf("%s: %d bytes", path, len(pdf))
			// Page 1 as a picture, for a person to look at.
			ppm := needTool(t, "pdftoppm", "poppler-utils")
			cmd := exec.Command(ppm, "-png", "-r", "60", "-f", "1", "-l", "1", path, filepath.Join(dir, "plan."+string(tc.lang)+"-page"))
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Errorf("pdftoppm: %v: %s", err, out)
			}
		})
	}
}

// A long plan with every awkward input still makes a PDF: many pages with the
// table header repeated, long Arabic that wraps over lines, an emoji (beyond
// the BMP, drawn from the emoji font), a word longer than a line.
func TestPDFLongPlan(t *testing.T) {
	d := closedPlan(t, Dutch)
	long := strings.Repeat(arabicWorry+" ", 12) + "في 2027."
	d.Top3[0].Text = long
	d.Top3[1].Goal = "Zorg: " + arabicWorry + " 👍 " + strings.Repeat("x", 150)
	d.Actions = nil
	for i := range 60 {
		d.Actions = append(d.Actions, Action{ID: "a", What: strings.Repeat("Ağrı belt François ", 1+i%5), Owner: "Wijkteam",
			Due: "2027-01-15", Status: "open", WorryRank: 1 + i%3, WorryID: d.Top3[i%3].ID})
	}
	pdf, err := WritePDF(d)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(resultsDir(t), "plan-long.nl.pdf")
	if err := os.WriteFile(path, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	raw, folded := pdfText(t, pdf)
	pages := strings.Count(raw, "\f")
	if pages < 4 {
		t.Fatalf("%d pages, want a long plan", pages)
	}
	if !strings.Contains(raw, "Pagina 1 van "+strconv.Itoa(pages)) || !strings.Contains(raw, "Pagina "+strconv.Itoa(pages)+" van "+strconv.Itoa(pages)) {
		t.Errorf("page numbers do not count %d pages", pages)
	}
	if got := strings.Count(raw, "Klaar op"); got < pages {
		t.Errorf("table header %d times on %d pages: not repeated after a page break", got, pages)
	}
	if !strings.Contains(folded, arabicWorry) {
		t.Errorf("wrapped Arabic is missing")
	}
	if !strings.Contains(raw, "👍") || strings.Contains(raw, "\uFFFD") {
		t.Errorf("the emoji is not drawn as itself (text: %q)", raw)
	}
}

// The embedded fonts are shared by every export; writing PDFs at the same time
// must not race on them (run with -race).
func TestPDFConcurrent(t *testing.T) {
	d := closedPlan(t, Dutch)
	want, err := WritePDF(d)
	if err != nil {
		t.Fatal(err)
	}
	errs := make(chan error, 4)
	for range 4 {
		go func() {
			got, err := WritePDF(d)
			if err == nil && !bytes.Equal(got, want) {
				err = errors.New("the same document gave a different PDF")
			}
			errs <- err
		}()
	}
	for range 4 {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}

// Emoji a parent typed print as themselves: drawn from the emoji font (beyond
// U+FFFF too), read back by pdftotext through the run's ActualText, never as
// U+FFFD. A sequence joined by ZWJ, with a skin tone or a variation selector
// copies back whole.
func TestPDFEmoji(t *testing.T) {
	d := closedPlan(t, Dutch)
	family := "👨\u200d👩\u200d👧"
	newer := "🥺 🥰 🫶 🧑\u200d🍼 🇳🇱" // Unicode 11 to 14, a ZWJ sequence of 13, a flag: none in Symbola
	d.Top3[0].Text = "Ik ben moe 😢 en blij 👍🏽 met ons gezin " + family + " ❤️ ☀"
	d.Top3[1].Goal = "Rust 🙏"
	d.Top3[2].Goal = "Samen " + newer
	pdf, err := WritePDF(d)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(resultsDir(t), "plan-emoji.nl.pdf")
	if err := os.WriteFile(path, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	raw, _ := pdfText(t, pdf)
	for _, s := range []string{"Ik ben moe 😢 en blij 👍🏽 met ons gezin " + family, "Rust 🙏", "☀", "Samen " + newer} {
		if !strings.Contains(raw, s) {
			t.Errorf("PDF text lacks %q (text: %q)", s, raw)
		}
	}
	if strings.ContainsRune(raw, replaced) {
		t.Errorf("PDF text has U+FFFD")
	}
	// The copied text is the ActualText; what is drawn is in the page's own
	// strings: no U+FFFD there either, and each emoji of the goal, the ZWJ
	// sequence and the flag too, is one glyph at a Private Use code point.
	drawn := pdfDrawn(t, pdf)
	if strings.ContainsRune(strings.Join(drawn, ""), replaced) {
		t.Errorf("the PDF draws U+FFFD: %q", drawn)
	}
	pua := 0
	for _, s := range drawn {
		for _, r := range s {
			if r >= puaFirst && r <= puaLast {
				pua++
			}
		}
	}
	// 😢 👍🏽 family 🙏 and the five of the goal; ❤️ is drawn by its own code point, ☀ in DejaVu Sans.
	if pua != 9 {
		t.Errorf("%d glyphs drawn at Private Use code points, want 9: %q", pua, drawn)
	}
	fonts := needTool(t, "pdffonts", "poppler-utils")
	out, err := exec.Command(fonts, path).Output()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(out), "utf8emoji") {
		t.Errorf("the emoji font is not in the PDF:\n%s", out)
	}
	ppm := needTool(t, "pdftoppm", "poppler-utils")
	if out, err := exec.Command(ppm, "-png", "-r", "80", "-f", "1", "-l", "1", path, filepath.Join(resultsDir(t), "plan-emoji.nl-page")).CombinedOutput(); err != nil {
		t.Errorf("pdftoppm: %v: %s", err, out)
	}
}

// pdfDrawn returns the strings a PDF's pages draw (the operands of Tj), decoded
// from the UTF-16 that go-pdf/fpdf writes for its Unicode fonts.
func pdfDrawn(t *testing.T, pdf []byte) []string {
	t.Helper()
	var out []string
	for rest := pdf; ; {
		i := bytes.Index(rest, []byte("stream\n"))
		if i < 0 {
			break
		}
		rest = rest[i+len("stream\n"):]
		j := bytes.Index(rest, []byte("\nendstream"))
		if j < 0 {
			t.Fatal("a stream without its end")
		}
		data, err := io.ReadAll(flate(rest[:j]))
		rest = rest[j+len("\nendstream"):]
		if err != nil || !bytes.Contains(data, []byte(")Tj")) {
			continue // a font, an image, or not a page
		}
		for _, m := range bytes.Split(data, []byte(")Tj")) {
			k := bytes.LastIndex(m, []byte("Td ("))
			if k < 0 {
				continue
			}
			var raw []byte
			for s := m[k+4:]; len(s) > 0; s = s[1:] {
				if s[0] == '\\' && len(s) > 1 {
					s = s[1:]
					if s[0] == 'r' {
						raw = append(raw, '\r')
						continue
					}
				}
				raw = append(raw, s[0])
			}
			u := make([]uint16, len(raw)/2)
			for n := range u {
				u[n] = uint16(raw[2*n])<<8 | uint16(raw[2*n+1])
			}
			out = append(out, string(utf16.Decode(u)))
		}
	}
	if len(out) == 0 {
		t.Fatal("no text drawn in the PDF")
	}
	return out
}

func flate(b []byte) io.Reader {
	r, err := zlib.NewReader(bytes.NewReader(b))
	if err != nil {
		return bytes.NewReader(nil)
	}
	return r
}

// A character no embedded font has (here Chinese) still prints as U+FFFD,
// and the text around it is kept; so does a Private Use character, which
// would otherwise reach the emoji font's own use of that area.
func TestPDFNoFont(t *testing.T) {
	d := closedPlan(t, Dutch)
	d.Top3[1].Goal = "Rust 中 thuis \uE000 stil"
	pdf, err := WritePDF(d)
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := pdfText(t, pdf)
	if !strings.Contains(raw, "Rust \uFFFD thuis \uFFFD stil") {
		t.Errorf("PDF text lacks the replaced characters (text: %q)", raw)
	}
	// What TestPDFEmoji asserts is never drawn is seen when it is.
	if n := strings.Count(strings.Join(pdfDrawn(t, pdf), ""), "\uFFFD"); n != 2 {
		t.Errorf("%d U+FFFD drawn, want 2", n)
	}
}
