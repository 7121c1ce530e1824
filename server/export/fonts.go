package export

import (
	"bytes"
	_ "embed"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/go-text/typesetting/font"
)

// The fallback fonts, after DejaVu Sans: Noto Sans Ethiopic for Tigrinya, and
// the emoji of Symbola (monochrome). fonts/make-fonts.py cuts them from
// Debian's packages; fonts/LICENSE says where each comes from and its licence.
var (
	//go:embed fonts/NotoSansEthiopic-Regular.ttf
	fontEthiopic []byte
	//go:embed fonts/NotoSansEthiopic-Bold.ttf
	fontEthiopicBold []byte
	//go:embed fonts/TafelEmoji.ttf
	fontEmoji []byte
)

// The fpdf families of the fonts, in the order a character looks for a font
// that draws it.
const (
	familyEthiopic = "ethiopic"
	familyEmoji    = "emoji"
)

// puaFirst is where TafelEmoji.ttf maps its glyphs beyond U+FFFF again:
// go-pdf/fpdf reads only a font's format 4 cmap and writes each character as a
// 16-bit CID equal to its code point (its CIDToGIDMap has 65536 entries and its
// ToUnicode map is the identity on 0000-FFFF), so a character beyond the Basic
// Multilingual Plane cannot be drawn by its own code point.
const puaFirst, puaLast = 0xE000, 0xF8FF

// coverage knows which embedded font draws which character.
type coverage struct {
	once     sync.Once
	dejavu   *font.Face
	ethiopic *font.Face
	emoji    *font.Face
	pua      map[rune]rune // emoji beyond U+FFFF -> the Private Use code point of its glyph
}

var fonts coverage

func (c *coverage) load() {
	c.once.Do(func() {
		parse := func(name string, b []byte) *font.Face {
			f, err := font.ParseTTF(bytes.NewReader(b))
			if err != nil {
				panic("export: the embedded " + name + " does not parse: " + err.Error())
			}
			return f
		}
		c.dejavu = parse("DejaVu Sans", fontRegular)
		c.ethiopic = parse("Noto Sans Ethiopic", fontEthiopic)
		c.emoji = parse("emoji font", fontEmoji)
		byGlyph := map[font.GID]rune{}
		it := c.emoji.Cmap.Iter()
		for it.Next() {
			r, g := it.Char()
			if r >= puaFirst && r <= puaLast {
				byGlyph[g] = r
			}
		}
		c.pua = map[rune]rune{}
		it = c.emoji.Cmap.Iter()
		for it.Next() {
			r, g := it.Char()
			if r > 0xFFFF {
				if p, ok := byGlyph[g]; ok {
					c.pua[r] = p
				}
			}
		}
	})
}

func has(f *font.Face, r rune) bool {
	g, ok := f.Cmap.Lookup(r)
	return ok && g != 0
}

// textRun is a stretch of one line drawn in one font. When the glyphs drawn
// are not the characters themselves (an emoji at its Private Use code point),
// actual holds the characters, for copying and for screen readers.
type textRun struct {
	family string
	text   string
	actual string
}

// joinsEmoji reports whether r belongs to the emoji before it: a variation
// selector, a skin tone, a zero width joiner, a tag or the keycap mark.
func joinsEmoji(r rune) bool {
	return r == 0x200D || r == 0xFE0E || r == 0xFE0F || r == 0x20E3 ||
		r >= 0x1F3FB && r <= 0x1F3FF || r >= 0xE0020 && r <= 0xE007F
}

// fontRuns splits a line, in drawing order, into runs of one font each: DejaVu
// Sans first (in the BMP: fpdf reaches no further, though DejaVu has some
// emoticons beyond it), then Noto Sans Ethiopic, then the emoji font. An emoji sequence
// (joined by ZWJ, with variation selectors or skin tones) is one run whose
// actual text is the whole sequence; its base pictographs are drawn. A
// character no font has becomes U+FFFD in DejaVu Sans.
func fontRuns(line string) []textRun {
	fonts.load()
	var runs []textRun
	add := func(family, text, actual string) {
		if n := len(runs); n > 0 && runs[n-1].family == family && runs[n-1].actual == "" && actual == "" {
			runs[n-1].text += text
			return
		}
		runs = append(runs, textRun{family: family, text: text, actual: actual})
	}
	for i := 0; i < len(line); {
		r, size := utf8.DecodeRuneInString(line[i:])
		switch {
		case r == 0x200E || r == 0x200F || r >= 0x202A && r <= 0x202E || r >= 0x2066 && r <= 0x2069:
			// Direction marks and isolates did their work in visualOrder; they draw nothing.
		case r >= puaFirst && r <= puaLast:
			// Private Use characters mean nothing shared; the emoji font uses them itself.
			add(fontFamily, string(rune(replaced)), "")
		case r <= 0xFFFF && has(fonts.dejavu, r):
			add(fontFamily, string(r), "")
		case has(fonts.ethiopic, r):
			add(familyEthiopic, string(r), "")
		case has(fonts.emoji, r):
			j := sequenceEnd(line, i+size)
			var drawn []rune
			for _, c := range line[i:j] {
				if joinsEmoji(c) {
					continue
				}
				if p, ok := fonts.pua[c]; ok {
					drawn = append(drawn, p)
				} else if has(fonts.emoji, c) && c <= 0xFFFF {
					drawn = append(drawn, c)
				}
			}
			add(familyEmoji, string(drawn), line[i:j])
			size = j - i
		case unicode.Is(unicode.Mn, r) || r == 0x200C || r == 0x200D || r == 0xFE0E || r == 0xFE0F:
			// A mark or joiner no font draws on its own takes no room; leave it out.
		case r > 0xFFFF && unicode.Is(unicode.So, r):
			// An emoji newer than the emoji font (Symbola has Unicode 9's): it
			// prints as U+FFFD, but its actual text is the emoji with what joins
			// it, so copying the text and a screen reader still give it.
			j := sequenceEnd(line, i+size)
			add(fontFamily, string(rune(replaced)), line[i:j])
			size = j - i
		default:
			add(fontFamily, string(rune(replaced)), "")
		}
		i += size
	}
	return runs
}

// sequenceEnd returns where the emoji sequence whose first pictograph ends at
// j ends: after what joins it, and after each pictograph a ZWJ joins on.
func sequenceEnd(line string, j int) int {
	for j < len(line) {
		n, ns := utf8.DecodeRuneInString(line[j:])
		if !joinsEmoji(n) {
			break
		}
		j += ns
		if n == 0x200D && j < len(line) {
			_, ps := utf8.DecodeRuneInString(line[j:])
			j += ps
		}
	}
	return j
}
