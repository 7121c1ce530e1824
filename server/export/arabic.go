package export

import (
	"strings"
	"unicode"
)

// The PDF library draws glyphs one after another, left to right, with no text
// shaping. For Arabic that would give isolated letters in the wrong order. This
// file does the two missing steps for the common case:
//
//   - shapeArabic picks each letter's contextual form (isolated, final, initial,
//     medial) from Unicode's Arabic Presentation Forms, and joins lam + alef into
//     its ligature, so the letters connect as they should;
//   - visualOrder applies a simplified Unicode Bidirectional Algorithm to one line:
//     right-to-left runs are reversed, numbers inside them stay left to right,
//     marks stay on their letter, and brackets are mirrored.
//
// It does not do what a full shaping engine does: no optional ligatures beyond
// lam-alef, no mark positioning (harakat are drawn where the font puts them), no
// explicit bidi embeddings (CleanText refuses those controls anyway), and only the
// letters in arabicForms (Arabic plus the common Persian and Urdu letters).

// arabicForm holds the presentation forms of one letter; zero where a form does not exist.
type arabicForm struct{ isolated, final, initial, medial rune }

// arabicForms maps a letter to its presentation forms (Unicode blocks FB50 and FE70).
// A letter with initial and medial forms joins on both sides; one with only a final
// form joins to the letter before it only; hamza joins to nothing.
var arabicForms = map[rune]arabicForm{
	0x0621: {0xFE80, 0, 0, 0},                // hamza
	0x0622: {0xFE81, 0xFE82, 0, 0},           // alef with madda above
	0x0623: {0xFE83, 0xFE84, 0, 0},           // alef with hamza above
	0x0624: {0xFE85, 0xFE86, 0, 0},           // waw with hamza above
	0x0625: {0xFE87, 0xFE88, 0, 0},           // alef with hamza below
	0x0626: {0xFE89, 0xFE8A, 0xFE8B, 0xFE8C}, // yeh with hamza above
	0x0627: {0xFE8D, 0xFE8E, 0, 0},           // alef
	0x0628: {0xFE8F, 0xFE90, 0xFE91, 0xFE92}, // beh
	0x0629: {0xFE93, 0xFE94, 0, 0},           // teh marbuta
	0x062A: {0xFE95, 0xFE96, 0xFE97, 0xFE98}, // teh
	0x062B: {0xFE99, 0xFE9A, 0xFE9B, 0xFE9C}, // theh
	0x062C: {0xFE9D, 0xFE9E, 0xFE9F, 0xFEA0}, // jeem
	0x062D: {0xFEA1, 0xFEA2, 0xFEA3, 0xFEA4}, // hah
	0x062E: {0xFEA5, 0xFEA6, 0xFEA7, 0xFEA8}, // khah
	0x062F: {0xFEA9, 0xFEAA, 0, 0},           // dal
	0x0630: {0xFEAB, 0xFEAC, 0, 0},           // thal
	0x0631: {0xFEAD, 0xFEAE, 0, 0},           // reh
	0x0632: {0xFEAF, 0xFEB0, 0, 0},           // zain
	0x0633: {0xFEB1, 0xFEB2, 0xFEB3, 0xFEB4}, // seen
	0x0634: {0xFEB5, 0xFEB6, 0xFEB7, 0xFEB8}, // sheen
	0x0635: {0xFEB9, 0xFEBA, 0xFEBB, 0xFEBC}, // sad
	0x0636: {0xFEBD, 0xFEBE, 0xFEBF, 0xFEC0}, // dad
	0x0637: {0xFEC1, 0xFEC2, 0xFEC3, 0xFEC4}, // tah
	0x0638: {0xFEC5, 0xFEC6, 0xFEC7, 0xFEC8}, // zah
	0x0639: {0xFEC9, 0xFECA, 0xFECB, 0xFECC}, // ain
	0x063A: {0xFECD, 0xFECE, 0xFECF, 0xFED0}, // ghain
	0x0641: {0xFED1, 0xFED2, 0xFED3, 0xFED4}, // feh
	0x0642: {0xFED5, 0xFED6, 0xFED7, 0xFED8}, // qaf
	0x0643: {0xFED9, 0xFEDA, 0xFEDB, 0xFEDC}, // kaf
	0x0644: {0xFEDD, 0xFEDE, 0xFEDF, 0xFEE0}, // lam
	0x0645: {0xFEE1, 0xFEE2, 0xFEE3, 0xFEE4}, // meem
	0x0646: {0xFEE5, 0xFEE6, 0xFEE7, 0xFEE8}, // noon
	0x0647: {0xFEE9, 0xFEEA, 0xFEEB, 0xFEEC}, // heh
	0x0648: {0xFEED, 0xFEEE, 0, 0},           // waw
	0x0649: {0xFEEF, 0xFEF0, 0xFBE8, 0xFBE9}, // alef maksura
	0x064A: {0xFEF1, 0xFEF2, 0xFEF3, 0xFEF4}, // yeh
	0x0671: {0xFB50, 0xFB51, 0, 0},           // alef wasla
	0x067E: {0xFB56, 0xFB57, 0xFB58, 0xFB59}, // peh
	0x0686: {0xFB7A, 0xFB7B, 0xFB7C, 0xFB7D}, // tcheh
	0x0698: {0xFB8A, 0xFB8B, 0, 0},           // jeh
	0x06A9: {0xFB8E, 0xFB8F, 0xFB90, 0xFB91}, // keheh
	0x06AF: {0xFB92, 0xFB93, 0xFB94, 0xFB95}, // gaf
	0x06CC: {0xFBFC, 0xFBFD, 0xFBFE, 0xFBFF}, // farsi yeh
}

// lamAlef maps the alef after a lam to the ligature's isolated and final forms.
var lamAlef = map[rune][2]rune{
	0x0622: {0xFEF5, 0xFEF6},
	0x0623: {0xFEF7, 0xFEF8},
	0x0625: {0xFEF9, 0xFEFA},
	0x0627: {0xFEFB, 0xFEFC},
}

const (
	lam      = 0x0644
	tatweel  = 0x0640
	zwj      = 0x200D
	replaced = 0xFFFD
)

type joining int

const (
	joinNone joining = iota
	joinRight
	joinDual
	joinCausing
	joinTransparent
)

func joiningOf(r rune) joining {
	if f, ok := arabicForms[r]; ok {
		switch {
		case f.initial != 0:
			return joinDual
		case f.final != 0:
			return joinRight
		}
		return joinNone
	}
	switch {
	case r == tatweel || r == zwj:
		return joinCausing
	case unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Me, r):
		return joinTransparent
	}
	return joinNone
}

// neighbour returns the joining type of the nearest letter before (step -1) or
// after (step 1) index i, skipping marks.
func neighbour(rs []rune, i, step int) (joining, int) {
	for j := i + step; j >= 0 && j < len(rs); j += step {
		if t := joiningOf(rs[j]); t != joinTransparent {
			return t, j
		}
	}
	return joinNone, -1
}

// shapeArabic replaces Arabic letters by their contextual presentation forms.
// Text without Arabic comes back unchanged.
func shapeArabic(s string) string {
	if !strings.ContainsFunc(s, func(r rune) bool { _, ok := arabicForms[r]; return ok }) {
		return s
	}
	rs := []rune(s)
	out := make([]rune, 0, len(rs))
	for i := 0; i < len(rs); i++ {
		f, ok := arabicForms[rs[i]]
		if !ok {
			out = append(out, rs[i])
			continue
		}
		before, _ := neighbour(rs, i, -1)
		joinsBefore := before == joinDual || before == joinCausing
		if rs[i] == lam {
			if _, j := neighbour(rs, i, 1); j >= 0 {
				if lig, ok := lamAlef[rs[j]]; ok {
					if joinsBefore {
						out = append(out, lig[1])
					} else {
						out = append(out, lig[0])
					}
					out = append(out, rs[i+1:j]...) // marks on the lam
					i = j
					continue
				}
			}
		}
		after, _ := neighbour(rs, i, 1)
		joinsAfter := joiningOf(rs[i]) == joinDual && (after == joinDual || after == joinRight || after == joinCausing)
		form := f.isolated
		switch {
		case joinsBefore && joinsAfter:
			form = f.medial
		case joinsBefore && f.final != 0:
			form = f.final
		case joinsAfter:
			form = f.initial
		}
		out = append(out, form)
	}
	return string(out)
}

// bidiClass is a simplified Unicode bidi class.
type bidiClass int

const (
	bidiN   bidiClass = iota // neutral: spaces, punctuation, symbols
	bidiL                    // left to right letter
	bidiR                    // right to left letter (Hebrew, Arabic)
	bidiEN                   // European digit
	bidiAN                   // Arabic-Indic digit
	bidiNSM                  // mark: takes the class of its letter
)

func classOf(r rune) bidiClass {
	switch {
	case unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Me, r):
		return bidiNSM
	case r >= '0' && r <= '9':
		return bidiEN
	case r >= 0x0660 && r <= 0x0669, r >= 0x06F0 && r <= 0x06F9:
		return bidiAN
	case r >= 0x0590 && r <= 0x08FF, r >= 0xFB1D && r <= 0xFDFF, r >= 0xFE70 && r <= 0xFEFE:
		return bidiR
	case unicode.IsLetter(r) || unicode.Is(unicode.Mc, r):
		return bidiL
	}
	return bidiN
}

// rightToLeft says whether a paragraph reads right to left: its first letter is
// Arabic or Hebrew (rules P2 and P3 of the bidi algorithm).
func rightToLeft(s string) bool {
	for _, r := range s {
		switch classOf(r) {
		case bidiL:
			return false
		case bidiR:
			return true
		}
	}
	return false
}

// mirror swaps paired brackets drawn right to left (rule L4).
var mirror = map[rune]rune{'(': ')', ')': '(', '[': ']', ']': '[', '{': '}', '}': '{', '<': '>', '>': '<', '«': '»', '»': '«'}

// visualOrder returns one line in the order it is drawn, left to right, for a
// paragraph whose direction is rtl. Text without right-to-left letters in a
// left-to-right paragraph comes back unchanged.
func visualOrder(line string, rtl bool) string {
	rs := []rune(line)
	n := len(rs)
	if n == 0 {
		return line
	}
	cls := make([]bidiClass, n)
	anyR := false
	for i, r := range rs {
		cls[i] = classOf(r)
		anyR = anyR || cls[i] == bidiR || cls[i] == bidiAN
	}
	if !anyR && !rtl {
		return line
	}
	base := bidiL
	if rtl {
		base = bidiR
	}
	// W1: a mark takes the class of what it sits on.
	for i := range cls {
		if cls[i] == bidiNSM {
			if i == 0 {
				cls[i] = bidiN
			} else {
				cls[i] = cls[i-1]
			}
		}
	}
	// W2 and W7: a European digit after Arabic letters is an Arabic number; after
	// a left-to-right letter (or at the start of a left-to-right line) it is L.
	last := base
	for i, c := range cls {
		switch c {
		case bidiL, bidiR:
			last = c
		case bidiEN:
			if last == bidiR {
				cls[i] = bidiAN
			} else if last == bidiL {
				cls[i] = bidiL
			}
		}
	}
	// N1 and N2: neutrals between two of the same direction take it (numbers
	// count as right to left here), others take the paragraph's direction.
	dir := func(c bidiClass) bidiClass {
		if c == bidiEN || c == bidiAN {
			return bidiR
		}
		return c
	}
	for i := 0; i < n; {
		if cls[i] != bidiN {
			i++
			continue
		}
		j := i
		for j < n && cls[j] == bidiN {
			j++
		}
		before, after := base, base
		if i > 0 {
			before = dir(cls[i-1])
		}
		if j < n {
			after = dir(cls[j])
		}
		fill := base
		if before == after {
			fill = before
		}
		for k := i; k < j; k++ {
			cls[k] = fill
		}
		i = j
	}
	// I1 and I2: embedding levels.
	level := make([]int, n)
	for i, c := range cls {
		switch {
		case !rtl && c == bidiR:
			level[i] = 1
		case !rtl && (c == bidiAN || c == bidiEN):
			level[i] = 2
		case rtl && (c == bidiL || c == bidiAN || c == bidiEN):
			level[i] = 2
		case rtl:
			level[i] = 1
		}
	}
	// L2, on clusters so that a mark stays after its letter.
	type cluster struct {
		runes []rune
		level int
	}
	var cs []cluster
	for i, r := range rs {
		if i > 0 && classOf(r) == bidiNSM {
			cs[len(cs)-1].runes = append(cs[len(cs)-1].runes, r)
			continue
		}
		if level[i]%2 == 1 {
			if m, ok := mirror[r]; ok {
				r = m
			}
		}
		cs = append(cs, cluster{runes: []rune{r}, level: level[i]})
	}
	maxLevel := 0
	for _, c := range cs {
		maxLevel = max(maxLevel, c.level)
	}
	for lv := maxLevel; lv >= 1; lv-- {
		for i := 0; i < len(cs); {
			if cs[i].level < lv {
				i++
				continue
			}
			j := i
			for j < len(cs) && cs[j].level >= lv {
				j++
			}
			for a, b := i, j-1; a < b; a, b = a+1, b-1 {
				cs[a], cs[b] = cs[b], cs[a]
			}
			i = j
		}
	}
	var b strings.Builder
	for _, c := range cs {
		for _, r := range c.runes {
			b.WriteRune(r)
		}
	}
	return b.String()
}
