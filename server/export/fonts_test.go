package export

import (
	"slices"
	"testing"
)

// A line splits into runs by the font that has each character: Latin in
// DejaVu Sans, Ge'ez in Noto Sans Ethiopic, an emoji sequence as one run of
// the emoji font whose actual text is the whole sequence, at Private Use code
// points for pictographs beyond U+FFFF.
func TestFontRuns(t *testing.T) {
	family := "👨\u200d👩\u200d👧"
	runs := fontRuns("Gezin ሰላም " + family + " 👍🏽 ☀ 中")
	var got []string
	for _, r := range runs {
		got = append(got, r.family)
	}
	want := []string{fontFamily, familyEthiopic, fontFamily, familyEmoji, fontFamily, familyEmoji, fontFamily}
	if !slices.Equal(got, want) {
		t.Fatalf("runs in %v, want %v (%+v)", got, want, runs)
	}
	if runs[0].text != "Gezin " || runs[1].text != "ሰላም" {
		t.Errorf("runs %q %q", runs[0].text, runs[1].text)
	}
	if runs[3].actual != family || len([]rune(runs[3].text)) != 3 {
		t.Errorf("family sequence: actual %q, drawn %q (want 3 pictographs)", runs[3].actual, runs[3].text)
	}
	for _, c := range runs[3].text + runs[5].text {
		if c < puaFirst || c > puaLast {
			t.Errorf("emoji drawn at %U, want a Private Use code point", c)
		}
	}
	if runs[5].actual != "👍🏽" {
		t.Errorf("skin tone sequence: actual %q", runs[5].actual)
	}
	// ☀ is in DejaVu Sans; 中 is in no font and becomes U+FFFD.
	if runs[6].text != " ☀ \uFFFD" {
		t.Errorf("last run %q", runs[6].text)
	}
	// An emoji newer than the emoji font prints as U+FFFD, with itself as the actual text.
	if runs := fontRuns("ok 🥺 x"); len(runs) != 3 || runs[1].text != "\uFFFD" || runs[1].actual != "🥺" {
		t.Errorf("newer emoji: %+v", runs)
	}
}
