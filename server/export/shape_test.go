package export

import (
	"testing"
)

// Shaping (HarfBuzz, through go-text/typesetting) joins Arabic letters: each
// comes back as the code point of the form DejaVu Sans draws, so fpdf, which
// places characters and not glyphs, draws the joined word. An isolated letter is
// drawn with its own glyph, so it stays itself.
func TestShapeArabic(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		want     []rune
	}{
		{"LatinUnchanged", "Zoë, François, Ağrı, Łucja", []rune("Zoë, François, Ağrı, Łucja")},
		{"Word", "المال", []rune{0x0627, 0xFEDF, 0xFEE4, 0xFE8E, 0x0644}},
		{"LamAlefIsolated", "لا", []rune{0xFEFB}},
		{"LamAlefFinal", "بلا", []rune{0xFE91, 0xFEFC}},
		{"LamAlefHamza", "لأ", []rune{0xFEF7}},
		{"DualJoining", "يكفي", []rune{0xFEF3, 0xFEDC, 0xFED4, 0xFEF2}},
		{"RightJoiningBreaks", "دار", []rune{0x062F, 0x0627, 0x0631}},
		{"HamzaJoinsNothing", "ماء", []rune{0xFEE3, 0xFE8E, 0x0621}},
		{"MarkIsTransparent", "بَب", []rune{0xFE91, 0x064E, 0xFE90}},
		{"MarkOnLamStaysWithLigature", "لَا", []rune{0xFEFB, 0x064E}},
		{"Tatweel", "بـ", []rune{0xFE91, 0x0640}},
		{"SpaceSeparates", "ب ب", []rune{0x0628, ' ', 0x0628}},
		{"Persian", "پک", []rune{0xFB58, 0xFB8F}},
		{"MixedWithLatin", "a بب b", []rune{'a', ' ', 0xFE91, 0xFE90, ' ', 'b'}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := shapeArabic(tc.in); got != string(tc.want) {
				t.Errorf("shapeArabic(%q) = %U, want %U", tc.in, []rune(got), tc.want)
			}
		})
	}
}

func TestVisualOrder(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		rtl      bool
		want     string
	}{
		{"LatinUnchanged", "Zoë en François", false, "Zoë en François"},
		{"RTLReversed", "ابت ثج", true, "جث تبا"},
		{"NumberStaysLeftToRight", "عمري 12 سنة", true, "ةنس 12 يرمع"},
		{"ArabicIndicNumber", "عمري ١٢", true, "١٢ يرمع"},
		{"ArabicInDutchLine", "Zorg: ابت ثج!", false, "Zorg: جث تبا!"},
		{"DutchInArabicLine", "ابت Tafel ثج", true, "جث Tafel تبا"},
		{"BracketsMirrored", "(ابت)", true, "(تبا)"},
		{"MarkStaysAfterLetter", "بَت", true, "تبَ"},
		{"Empty", "", true, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := visualOrder(tc.in, tc.rtl); got != tc.want {
				t.Errorf("visualOrder(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestRightToLeft(t *testing.T) {
	for in, want := range map[string]bool{arabicWorry: true, "12 " + arabicWorry: true, "Zorg: " + arabicWorry: false, "123": false, "": false} {
		if got := rightToLeft(in); got != want {
			t.Errorf("rightToLeft(%q) = %v, want %v", in, got, want)
		}
	}
}
