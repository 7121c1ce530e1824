package export

import (
	"slices"
	"testing"
)

// A line splits into runs by the font that has each character: Latin in
// DejaVu Sans, Ge'ez in Noto Sans Ethiopic, an emoji sequence as one run of
// the emoji font whose actual text is the whole sequence, drawn as the one
// glyph Noto Emoji makes of it, at a Private Use code point.
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
	if runs[3].actual != family || len([]rune(runs[3].text)) != 1 {
		t.Errorf("family sequence: actual %q, drawn %q (want the one family glyph)", runs[3].actual, runs[3].text)
	}
	// A monochrome font has no skin tones: the thumbs up is drawn plain, and
	// the actual text keeps the tone.
	if runs[5].text != string(fonts.pua['👍']) {
		t.Errorf("skin tone sequence drawn %q, want the thumbs up", runs[5].text)
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
	// Emoji newer than Unicode 9 (Symbola's) are in Noto Emoji, one glyph each.
	for _, e := range []string{"🥺", "🥰", "🫶", "🫩", "🇳🇱"} {
		if runs := fontRuns("ok " + e + " x"); len(runs) != 3 || runs[1].family != familyEmoji || len([]rune(runs[1].text)) != 1 || runs[1].actual != e {
			t.Errorf("%s: %+v, want one glyph of the emoji font", e, runs)
		}
	}
	// A character DejaVu Sans has is text, unless an emoji variation selector or
	// a ZWJ asks for its emoji: then the emoji font draws it, joined when it can.
	if runs := fontRuns("❤"); len(runs) != 1 || runs[0].family != fontFamily {
		t.Errorf("❤ alone: %+v, want DejaVu Sans", runs)
	}
	for _, e := range []string{"❤\ufe0f", "❤\ufe0f\u200d🔥"} {
		if runs := fontRuns(e); len(runs) != 1 || runs[0].family != familyEmoji || len([]rune(runs[0].text)) != 1 || runs[0].actual != e {
			t.Errorf("%q: %+v, want one glyph of the emoji font", e, runs)
		}
	}
	// A symbol beyond U+FFFF that no font has prints as U+FFFD, with itself as
	// the actual text, so copying the text still gives it.
	if runs := fontRuns("ok \U0001F10D x"); len(runs) != 3 || runs[1].text != "\uFFFD" || runs[1].actual != "\U0001F10D" {
		t.Errorf("a symbol in no font: %+v", runs)
	}
}
