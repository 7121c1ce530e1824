package export

import (
	"bytes"
	_ "embed"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/go-text/typesetting/di"
	"github.com/go-text/typesetting/font"
	"github.com/go-text/typesetting/language"
	"github.com/go-text/typesetting/shaping"
	"golang.org/x/image/math/fixed"
)

// The fallback fonts, after DejaVu Sans: Noto Sans Ethiopic for Tigrinya, and
// Noto Emoji (monochrome). fonts/make-fonts.py cuts them; fonts/LICENSE says
// where each comes from and its licence.
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

// puaFirst is where TafelEmoji.ttf maps its glyphs beyond U+FFFF again, and
// the glyphs it makes of sequences (ZWJ, skin tones, flags):
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
	pua      map[rune]rune     // emoji beyond U+FFFF -> the Private Use code point of its glyph
	drawAt   map[font.GID]rune // emoji glyph -> the code point in the BMP fpdf draws it by
	hb       shaping.HarfbuzzShaper
	mu       sync.Mutex // HarfbuzzShaper keeps buffers between calls
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
		c.drawAt = map[font.GID]rune{}
		it = c.emoji.Cmap.Iter()
		for it.Next() {
			r, g := it.Char()
			if r > 0xFFFF {
				if p, ok := byGlyph[g]; ok {
					c.pua[r] = p
				}
				continue
			}
			// The lowest code point wins: a pictograph's own over a Private Use one.
			if old, ok := c.drawAt[g]; !ok || r < old {
				c.drawAt[g] = r
			}
		}
	})
}

// shapeEmoji returns the code points that draw the emoji sequence seq in the
// emoji font: its ccmp feature (HarfBuzz) makes one glyph of a ZWJ sequence,
// a skin tone or a flag that it knows, and each glyph is drawn by the code
// point it is mapped at. What joins a pictograph but did not join into a glyph
// (a ZWJ, a variation selector, a lone skin tone) draws nothing. ok is false
// when a glyph has no code point to be drawn by.
func (c *coverage) shapeEmoji(seq []rune) (drawn []rune, ok bool) {
	c.mu.Lock()
	out := c.hb.Shape(shaping.Input{
		Text: seq, RunStart: 0, RunEnd: len(seq),
		Direction: di.DirectionLTR, Face: c.emoji, Size: fixed.I(12),
		Script: language.Common, Language: language.NewLanguage("und"),
	})
	c.mu.Unlock()
	for _, g := range out.Glyphs {
		if joinsEmoji(seq[g.ClusterIndex]) {
			continue
		}
		r, found := c.drawAt[g.GlyphID]
		if !found || g.GlyphID == 0 {
			return nil, false
		}
		drawn = append(drawn, r)
	}
	return drawn, len(drawn) > 0
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
// (joined by ZWJ, with variation selectors or skin tones, or a flag) is one
// run whose actual text is the whole sequence, drawn as the one glyph the
// emoji font makes of it, or as its pictographs when it makes none. A
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
		case r <= 0xFFFF && has(fonts.dejavu, r) && !(has(fonts.emoji, r) && emojiFollows(line[i+size:])):
			add(fontFamily, string(r), "")
		case has(fonts.ethiopic, r):
			add(familyEthiopic, string(r), "")
		case has(fonts.emoji, r):
			j := sequenceEnd(line, i+size)
			if isRegionalIndicator(r) && j == i+size && j < len(line) {
				// Two regional indicators are a flag.
				if n, ns := utf8.DecodeRuneInString(line[j:]); isRegionalIndicator(n) {
					j += ns
				}
			}
			drawn, ok := fonts.shapeEmoji([]rune(line[i:j]))
			if !ok {
				// Each pictograph on its own, as a font without the sequence draws it.
				drawn = nil
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
			}
			add(familyEmoji, string(drawn), line[i:j])
			size = j - i
		case unicode.Is(unicode.Mn, r) || r == 0x200C || r == 0x200D || r == 0xFE0E || r == 0xFE0F:
			// A mark or joiner no font draws on its own takes no room; leave it out.
		case r > 0xFFFF && unicode.Is(unicode.So, r):
			// An emoji newer than the emoji font (Noto Emoji 3.006 has Unicode 17's): it
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

// emojiFollows reports whether rest starts with what asks for the emoji of the
// character before it: the emoji variation selector, or a ZWJ that joins it to
// another ("❤️", "❤️‍🔥"). Without it a character DejaVu Sans has is drawn as text.
func emojiFollows(rest string) bool {
	r, _ := utf8.DecodeRuneInString(rest)
	return r == 0xFE0F || r == 0x200D
}

// isRegionalIndicator reports whether r is one of the letters two of which make a flag.
func isRegionalIndicator(r rune) bool { return r >= 0x1F1E6 && r <= 0x1F1FF }

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
