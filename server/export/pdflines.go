package export

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf16"

	"golang.org/x/text/unicode/bidi"
)

// pdfLine is one wrapped line, in drawing order, and the side it starts from:
// the right in a right-to-left document or paragraph.
type pdfLine struct {
	text  string
	right bool
}

func (ln pdfLine) align() string {
	if ln.right {
		return "R"
	}
	return "L"
}

// direction says whether a paragraph reads right to left: in a right-to-left
// document, when it has any right-to-left letter (a Latin name inside an
// Arabic sentence keeps the sentence right to left); elsewhere when its first
// strong letter is right to left (an Arabic worry in a Dutch plan).
func (p *pdfWriter) direction(s string) bool {
	if p.rtl {
		for _, r := range s {
			if c, _ := bidi.LookupRune(r); c.Class() == bidi.R || c.Class() == bidi.AL {
				return true
			}
		}
	}
	return rightToLeft(s)
}

// t is the catalogue text for key, with each text argument (a family label, a
// date, a party's words) as a bidi isolate (FSI ... PDI), so its own direction
// and punctuation stay with it: "Gezin J." keeps its full stop in an Arabic title.
func (p *pdfWriter) t(key string, args ...any) string {
	for i, a := range args {
		if s, ok := a.(string); ok && s != "" && !isIsolated(s) {
			args[i] = fsi + withoutBidiControls(s) + pdi
		}
	}
	return p.l.t(key, args...)
}

// lines wraps s to width w in the current font. Each paragraph is shaped (Arabic
// letters joined) before wrapping, since shaping changes widths, and each line is
// put in drawing order after it, since the order depends on where a line ends.
func (p *pdfWriter) lines(s string, w float64) []pdfLine {
	var out []pdfLine
	for _, para := range strings.Split(pdfSafe(s), "\n") {
		para = strings.TrimSpace(para)
		if para == "" {
			continue
		}
		shaped := shapeArabic(para)
		rtl := p.direction(shaped)
		for _, ln := range balanceIsolates(p.split(shaped, w)) {
			out = append(out, pdfLine{text: visualOrder(ln, rtl), right: rtl || p.rtl})
		}
	}
	if len(out) == 0 {
		out = append(out, pdfLine{})
	}
	return out
}

// balanceIsolates closes, at the end of each wrapped line, the isolates still
// open there and opens them again at the start of the next: each line is put
// in drawing order on its own, and a typed text wrapped over two lines stays
// an isolate on both.
func balanceIsolates(lines []string) []string {
	open := 0
	for i, ln := range lines {
		ln = strings.Repeat(fsi, open) + ln
		open = 0
		for _, r := range ln {
			switch {
			case r == 0x2066 || r == 0x2067 || r == 0x2068:
				open++
			case r == 0x2069 && open > 0:
				open--
			}
		}
		lines[i] = ln + strings.Repeat(pdi, open)
	}
	return lines
}

// split wraps s at spaces to lines no wider than w. Widths are measured per
// font run, since a line may mix DejaVu Sans, Ethiopic and emoji.
func (p *pdfWriter) split(s string, w float64) []string {
	avail := w - 2*p.f.GetCellMargin()
	var lines []string
	cur := ""
	for _, word := range strings.Split(s, " ") {
		if p.textWidth(word) > avail {
			// A word longer than a line is cut where it must be.
			if cur != "" {
				lines = append(lines, cur)
				cur = ""
			}
			for _, c := range word {
				if cur != "" && p.textWidth(cur+string(c)) > avail {
					lines = append(lines, cur)
					cur = ""
				}
				cur += string(c)
			}
			continue
		}
		if cur == "" {
			cur = word
		} else if p.textWidth(cur+" "+word) > avail {
			lines = append(lines, cur)
			cur = word
		} else {
			cur += " " + word
		}
	}
	if cur != "" {
		lines = append(lines, cur)
	}
	return lines
}

// textWidth is the width of s in the current style and size, each run in its
// own font. Combining marks (Arabic vowel signs) take no room; fpdf would
// count them as wide characters.
func (p *pdfWriter) textWidth(s string) float64 {
	var w float64
	for _, r := range fontRuns(s) {
		p.runFont(r.family)
		w += p.f.GetStringWidth(strings.Map(func(c rune) rune {
			if unicode.Is(unicode.Mn, c) {
				return -1
			}
			return c
		}, r.text))
	}
	p.runFont(fontFamily)
	return w
}

// runFont selects family in the current style and size, adding a fallback
// font to the document the first time a line needs it (a PDF embeds only the
// fonts it uses). The emoji font has no bold.
func (p *pdfWriter) runFont(family string) {
	style := p.style
	if family == familyEmoji {
		style = ""
	}
	if !p.added[family+style] {
		p.added[family+style] = true
		switch {
		case family == familyEthiopic && style == "B":
			p.f.AddUTF8FontFromBytes(family, style, fontEthiopicBold)
		case family == familyEthiopic:
			p.f.AddUTF8FontFromBytes(family, style, fontEthiopic)
		case family == familyEmoji:
			p.f.AddUTF8FontFromBytes(family, style, fontEmoji)
		}
	}
	p.f.SetFont(family, style, p.size)
}

// cell draws a cell of w by h at the current position, like fpdf's CellFormat
// (border, fill, where the position goes after), with ln drawn in it run by
// run, each in the font that has its characters.
func (p *pdfWriter) cell(w, h float64, ln pdfLine, border string, after int, align string, fill bool) {
	x, y := p.f.GetXY()
	p.f.CellFormat(w, h, "", border, after, "", fill, 0, "")
	nextX, nextY := p.f.GetXY()
	if ln.text != "" {
		runs := fontRuns(ln.text)
		widths := make([]float64, len(runs))
		total := 0.0
		for i, r := range runs {
			p.runFont(r.family)
			widths[i] = p.f.GetStringWidth(r.text)
			total += widths[i]
		}
		cm := p.f.GetCellMargin()
		cx := x + cm
		switch align {
		case "R":
			cx = x + w - cm - total
		case "C":
			cx = x + (w-total)/2
		}
		p.f.SetCellMargin(0)
		for i, r := range runs {
			p.runFont(r.family)
			p.f.SetXY(cx, y)
			if r.actual != "" {
				p.f.RawWriteStr("/Span <</ActualText " + pdfTextString(r.actual) + ">> BDC")
			}
			p.f.CellFormat(widths[i], h, r.text, "", 0, "L", false, 0, "")
			if r.actual != "" {
				p.f.RawWriteStr("EMC")
			}
			cx += widths[i]
		}
		p.f.SetCellMargin(cm)
		p.runFont(fontFamily)
	}
	p.f.SetXY(nextX, nextY)
}

// pdfTextString writes s as a PDF text string: UTF-16BE with its byte order
// mark, in hex, so characters beyond U+FFFF are surrogate pairs.
func pdfTextString(s string) string {
	var b strings.Builder
	b.WriteString("<FEFF")
	for _, u := range utf16.Encode([]rune(s)) {
		fmt.Fprintf(&b, "%04X", u)
	}
	b.WriteString(">")
	return b.String()
}

// visual returns a one-line text shaped and in drawing order, for cells that never wrap.
func (p *pdfWriter) visual(s string) pdfLine {
	s = pdfSafe(s)
	rtl := p.direction(s)
	return pdfLine{text: visualOrder(shapeArabic(s), rtl), right: rtl || p.rtl}
}

// pdfSafe makes s drawable: tabs become spaces, other control characters go.
// Characters no font has are replaced when drawn (fontRuns).
func pdfSafe(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\n':
			return r
		case r == '\t':
			return ' '
		case r < 0x20 || r == 0x7F:
			return -1
		}
		return r
	}, s)
}
