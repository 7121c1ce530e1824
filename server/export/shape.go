package export

import (
	"bytes"
	"slices"
	"sync"
	"unicode"

	"github.com/go-text/typesetting/di"
	"github.com/go-text/typesetting/font"
	"github.com/go-text/typesetting/language"
	"github.com/go-text/typesetting/shaping"
	"golang.org/x/image/math/fixed"
	"golang.org/x/text/unicode/bidi"
)

// The PDF library (go-pdf/fpdf) draws text by Unicode code point through the
// font's cmap; it cannot place a glyph by its id. So text is shaped with
// HarfBuzz (go-text/typesetting), and each shaped glyph is mapped back to the
// code point the font encodes it at: DejaVu Sans encodes every Arabic
// contextual form and the lam-alef ligatures (U+FB50-U+FEFF), which is what
// HarfBuzz picks for Arabic. A glyph without a code point (none for the scripts
// Tafel prints) keeps the characters of its cluster. Lines are then put in
// drawing order by the Unicode bidi algorithm (golang.org/x/text/unicode/bidi).

// replaced stands for a character no shipped font can draw.
const replaced = 0xFFFD

// arabicShaper shapes Arabic runs with DejaVu Sans, the font the PDF draws them in.
type arabicShaper struct {
	once    sync.Once
	face    *font.Face
	reverse map[font.GID]rune // glyph -> the code point DejaVu Sans encodes it at
	hb      shaping.HarfbuzzShaper
	mu      sync.Mutex // HarfbuzzShaper keeps buffers between calls
}

var arabic arabicShaper

func (s *arabicShaper) load() {
	s.once.Do(func() {
		face, err := font.ParseTTF(bytes.NewReader(fontRegular))
		if err != nil {
			panic("export: the embedded DejaVu Sans does not parse: " + err.Error())
		}
		s.face = face
		s.reverse = map[font.GID]rune{}
		it := face.Cmap.Iter()
		for it.Next() {
			r, g := it.Char()
			// The lowest code point wins: a base letter over its presentation form,
			// so only glyphs that exist as forms alone map to forms.
			if old, ok := s.reverse[g]; !ok || r < old {
				s.reverse[g] = r
			}
		}
	})
}

// isArabic reports whether r is shaped as Arabic script.
func isArabic(r rune) bool {
	return unicode.Is(unicode.Arabic, r) && !unicode.IsDigit(r)
}

// joinsArabic reports whether r continues an Arabic run: a mark, or a joiner
// (ZWJ, ZWNJ), which outside Arabic belongs to an emoji sequence instead.
func joinsArabic(r rune) bool {
	return isArabic(r) || unicode.Is(unicode.Mn, r) || r == 0x200C || r == 0x200D
}

// shapeArabic returns s in logical order with every Arabic run shaped: letters in
// their joined forms, lam-alef as one ligature. Other text is unchanged.
func shapeArabic(s string) string {
	rs := []rune(s)
	if !slices.ContainsFunc(rs, isArabic) {
		return s
	}
	arabic.load()
	out := make([]rune, 0, len(rs))
	for i := 0; i < len(rs); {
		if !isArabic(rs[i]) {
			out = append(out, rs[i])
			i++
			continue
		}
		j := i
		// A run is Arabic letters and the marks and spaces between them, so words
		// join within themselves and a space ends the joining as it should.
		for j < len(rs) && joinsArabic(rs[j]) {
			j++
		}
		out = append(out, arabic.shapeRun(rs, i, j)...)
		i = j
	}
	return string(out)
}

// shapeRun shapes rs[start:end] (Arabic) and returns it in logical order.
func (s *arabicShaper) shapeRun(rs []rune, start, end int) []rune {
	s.mu.Lock()
	outp := s.hb.Shape(shaping.Input{
		Text: rs, RunStart: start, RunEnd: end,
		Direction: di.DirectionRTL, Face: s.face, Size: fixed.I(12),
		Script: language.Arabic, Language: language.NewLanguage("ar"),
	})
	s.mu.Unlock()
	// HarfBuzz gives a right-to-left run in visual order: reverse it back to
	// logical order (the line is wrapped first and reordered after).
	glyphs := slices.Clone(outp.Glyphs)
	slices.Reverse(glyphs)
	out := make([]rune, 0, end-start)
	for k := 0; k < len(glyphs); k++ {
		g := glyphs[k]
		if c := rs[g.ClusterIndex]; c == 0x200C || c == 0x200D {
			// A joiner did its work in the forms around it; it draws nothing (its
			// glyph is DejaVu's space, which would draw one).
			continue
		}
		if r, ok := s.reverse[g.GlyphID]; ok && g.GlyphID != 0 {
			out = append(out, r)
			continue
		}
		// No code point for this glyph: keep its cluster's own characters, once.
		if k > 0 && glyphs[k-1].ClusterIndex == g.ClusterIndex {
			continue
		}
		out = append(out, rs[g.ClusterIndex:g.ClusterIndex+g.RuneCount]...)
	}
	return out
}

// rightToLeft says whether a paragraph reads right to left: its first strong
// character is right to left (rules P2 and P3 of the bidi algorithm).
func rightToLeft(s string) bool {
	for _, r := range s {
		p, _ := bidi.LookupRune(r)
		switch p.Class() {
		case bidi.L:
			return false
		case bidi.R, bidi.AL:
			return true
		}
	}
	return false
}

// visualOrder returns one line in the order it is drawn, left to right, for a
// paragraph whose direction is rtl. The bidi package splits the line into runs
// of one direction (rules W and N); the levels and their reordering (rule L2)
// are done here on clusters (a character and its marks), with brackets mirrored
// in right-to-left runs (rule L4).
func visualOrder(line string, rtl bool) string {
	if line == "" {
		return line
	}
	dir, base := bidi.LeftToRight, 0
	if rtl {
		dir, base = bidi.RightToLeft, 1
	}
	var p bidi.Paragraph
	if _, err := p.SetString(line, bidi.DefaultDirection(dir)); err != nil {
		return line
	}
	ord, err := p.Order()
	if err != nil {
		return line
	}
	type run struct {
		text  []rune
		level int
	}
	runs := make([]run, ord.NumRuns())
	for i := range runs {
		r := ord.Run(i)
		runs[i].text = []rune(r.String())
		switch {
		case r.Direction() == bidi.RightToLeft:
			runs[i].level = 1
		case base == 1:
			runs[i].level = 2 // left to right inside a right-to-left paragraph
		}
	}
	// Numbers between two right-to-left runs of a left-to-right line read with them (W2, N1).
	for i := 1; i+1 < len(runs); i++ {
		if base == 0 && runs[i].level == 0 && runs[i-1].level == 1 && runs[i+1].level == 1 && !slices.ContainsFunc(runs[i].text, unicode.IsLetter) {
			runs[i].level = 2
		}
	}
	type cluster struct {
		rs    []rune
		level int
	}
	var cs []cluster
	maxLevel := 0
	for _, r := range runs {
		maxLevel = max(maxLevel, r.level)
		for _, c := range r.text {
			// A mark, and an emoji sequence (joined by ZWJ, with its skin tone),
			// stay with the character they belong to.
			if n := len(cs); n > 0 && (unicode.Is(unicode.Mn, c) || joinsEmoji(c) || cs[n-1].rs[len(cs[n-1].rs)-1] == 0x200D) {
				cs[len(cs)-1].rs = append(cs[len(cs)-1].rs, c)
				continue
			}
			cs = append(cs, cluster{rs: []rune{c}, level: r.level})
		}
	}
	// L2: from the highest level down to 1, reverse every stretch at that level or higher.
	for k := maxLevel; k >= 1; k-- {
		for i := 0; i < len(cs); {
			if cs[i].level < k {
				i++
				continue
			}
			j := i
			for j < len(cs) && cs[j].level >= k {
				j++
			}
			slices.Reverse(cs[i:j])
			i = j
		}
	}
	out := make([]rune, 0, len(line))
	for _, c := range cs {
		if c.level%2 == 1 {
			if m, ok := mirrors[c.rs[0]]; ok {
				c.rs[0] = m
			}
		}
		out = append(out, c.rs...)
	}
	return string(out)
}

// mirrors are the characters drawn mirrored in a right-to-left run.
var mirrors = map[rune]rune{'(': ')', ')': '(', '[': ']', ']': '[', '{': '}', '}': '{', '<': '>', '>': '<', '«': '»', '»': '«', '‹': '›', '›': '‹'}
