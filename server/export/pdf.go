package export

import (
	"bytes"
	_ "embed"
	"strings"

	"github.com/go-pdf/fpdf"
)

// DejaVu Sans is shipped in the binary, so every server draws ë, ç, ğ, ł and
// Arabic the same way whatever fonts its machine has. fpdf embeds only the glyphs
// a document uses.
var (
	//go:embed fonts/DejaVuSans.ttf
	fontRegular []byte
	//go:embed fonts/DejaVuSans-Bold.ttf
	fontBold []byte
)

const (
	fontFamily = "dejavu"
	margin     = 20.0 // mm, on every side
	bodySize   = 11.5 // pt: large enough for a family to read on paper
)

// Colours: dark text, a calm blue-green for headings, grey for small print.
var (
	ink    = [3]int{30, 30, 30}
	accent = [3]int{20, 83, 97}
	muted  = [3]int{95, 95, 95}
	rule   = [3]int{190, 200, 205}
	shade  = [3]int{232, 240, 242}
)

// pdfWriter draws a Document on A4 pages.
type pdfWriter struct {
	f     *fpdf.Fpdf
	l     Lang
	left  float64
	width float64 // text width between the margins
	pageH float64
	style string          // the current font style: "" or "B"
	size  float64         // the current font size, pt
	added map[string]bool // fallback fonts added to this document, by family and style
	rtl   bool            // the document reads right to left: columns and labels start at the right
}

// x is where a box of width w starts that lies offset from the start of the
// line: from the left margin, or in a right-to-left document mirrored from the right one.
func (p *pdfWriter) x(offset, w float64) float64 {
	if p.rtl {
		return p.left + p.width - offset - w
	}
	return p.left + offset
}

// WritePDF writes the plan as an A4 PDF for the family: Dutch at B1 level by
// default, large type, page numbers ("Pagina 1 van 2").
func WritePDF(d Document) ([]byte, error) {
	f := fpdf.New("P", "mm", "A4", "")
	f.SetMargins(margin, margin, margin)
	f.SetAutoPageBreak(true, margin)
	f.AddUTF8FontFromBytes(fontFamily, "", fontRegular)
	f.AddUTF8FontFromBytes(fontFamily, "B", fontBold)
	l := d.Lang
	title := l.t("title", withoutBidiControls(d.FamilyLabel))
	d = typedText(d, isolated)
	f.SetTitle(title, true)
	f.SetCreator("Tafel", true)
	f.SetLang(string(l))
	f.SetCreationDate(d.Stamp)
	f.SetModificationDate(d.Stamp)
	f.SetCatalogSort(true)
	// An alias of letters only: in a right-to-left line, brackets around it would be mirrored.
	f.AliasNbPages("NBPAGES")
	pw, ph := f.GetPageSize()
	p := &pdfWriter{f: f, l: l, left: margin, width: pw - 2*margin, pageH: ph, added: map[string]bool{}, rtl: l.rtl()}
	f.SetFooterFunc(func() {
		f.SetY(-margin + 6)
		p.font("", 9, muted)
		f.SetX(margin)
		p.cell(p.width, 5, p.visual(l.t("page", f.PageNo(), "NBPAGES")), "", 0, "C", false)
	})
	f.AddPage()

	p.font("B", 20, accent)
	p.text(p.t("title", d.FamilyLabel), 0, 9)
	p.font("", bodySize, muted)
	p.text(p.t("meetingOn", d.Title, l.date(d.Date)), 0, 6)
	if d.Live {
		p.font("B", bodySize, ink)
		f.SetFillColor(shade[0], shade[1], shade[2])
		y := f.GetY() + 2
		f.Rect(margin, y, p.width, 9, "F")
		f.SetY(y + 1.5)
		p.text(l.t("live"), 3, 6)
		f.SetY(y + 9)
	} else {
		p.text(p.t("version", d.Version, l.date(d.Stamp.Format("2006-01-02"))), 0, 6)
	}

	p.heading(l.t("atTable"))
	for _, pt := range d.Parties {
		people := l.t("notPresent")
		if len(pt.People) > 0 {
			people = strings.Join(pt.People, ", ")
		}
		p.row(partyLabel(l, pt), people, 55)
	}

	p.heading(l.t("strengths"))
	if len(d.Strengths) == 0 {
		p.font("", bodySize, ink)
		p.text(l.t("noStrengths"), 0, 6)
	}
	for _, s := range d.Strengths {
		p.row(s.Party, s.Text, 55)
	}

	p.safetyBefore(d)
	if d.Changes != nil {
		p.changes(d.Changes)
		p.safetyChanges(d.Changes.Safety)
	}

	p.heading(l.t("top3"))
	p.font("", bodySize, ink)
	if !d.Agreed || len(d.Top3) == 0 {
		p.text(l.t("notAgreed"), 0, 6)
	}
	if d.OverrideReason != "" {
		p.font("", 10, muted)
		p.text(p.t("override", d.OverrideReason), 0, 5.5)
	}
	for _, w := range d.Top3 {
		p.worry(d, w)
	}
	if other := d.actionsFor(0); len(other) > 0 {
		p.font("B", bodySize, accent)
		p.space(10)
		p.text(l.t("otherActions"), 0, 6)
		p.actions(other, 0)
	}
	p.safetyAfter(d)

	p.heading(l.t("regisseur"))
	if d.Regisseur == nil {
		p.font("", bodySize, ink)
		p.text(l.t("noRegisseur"), 0, 6)
	} else {
		who := d.Regisseur.Party
		if d.Regisseur.Role != "" {
			who += " (" + d.Regisseur.Role + ")"
		}
		p.font("B", bodySize, ink)
		p.text(who, 0, 6)
		p.contact(d.Contact)
		p.font("", bodySize, ink)
		p.text(l.t("regisseurHelp"), 0, 6)
	}

	p.heading(l.t("nextEvaluation"))
	if d.NextEvaluation == "" {
		p.font("", bodySize, ink)
		p.text(l.t("noDate"), 0, 6)
	} else {
		p.font("B", 13, ink)
		p.text(l.date(d.NextEvaluation), 0, 7)
	}

	p.heading(l.t("dissent"))
	if len(d.Dissent) == 0 {
		p.font("", bodySize, ink)
		p.text(l.t("noDissent"), 0, 6)
	}
	for _, x := range d.Dissent {
		p.row(x.Party, x.Text, 55)
	}

	p.heading(l.t("akkoord"))
	if len(d.Akkoord) == 0 {
		p.font("", bodySize, ink)
		p.text(l.t("noAkkoord"), 0, 6)
	} else {
		p.font("", bodySize, ink)
		p.text(l.t("akkoordBy")+":", 0, 6)
		for _, k := range d.Akkoord {
			p.row(k.Name, k.Party, 55)
		}
	}

	if f.Err() {
		return nil, f.Error()
	}
	var buf bytes.Buffer
	if err := f.Output(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func (p *pdfWriter) font(style string, size float64, c [3]int) {
	p.setFont(style, size)
	p.f.SetTextColor(c[0], c[1], c[2])
}

// setFont selects DejaVu Sans in style and size; fallback fonts follow them.
func (p *pdfWriter) setFont(style string, size float64) {
	p.style, p.size = style, size
	p.f.SetFont(fontFamily, style, size)
}

// space starts a new page when less than need is left on this one.
func (p *pdfWriter) space(need float64) {
	if p.f.GetY()+need > p.pageH-margin {
		p.f.AddPage()
	}
}

func (p *pdfWriter) heading(s string) {
	p.f.Ln(4)
	p.space(24) // never a heading alone at the foot of a page
	p.font("B", 14, accent)
	p.text(s, 0, 8)
	y := p.f.GetY()
	p.f.SetDrawColor(rule[0], rule[1], rule[2])
	p.f.SetLineWidth(0.3)
	p.f.Line(margin, y, margin+p.width, y)
	p.f.Ln(2)
}

// text writes s in the current font from the left margin plus indent, wrapped to
// the text width, each line h high.
func (p *pdfWriter) text(s string, indent, h float64) {
	w := p.width - indent
	for _, ln := range p.lines(s, w) {
		p.space(h)
		p.f.SetX(p.x(indent, w))
		p.cell(w, h, ln, "", 2, ln.align(), false)
	}
}

// row writes a bold label in a column of labelW and its value beside it, each
// wrapped in its own column.
func (p *pdfWriter) row(label, value string, labelW float64) {
	const h = 6.0
	p.setFont("B", bodySize)
	left := p.lines(label, labelW)
	p.setFont("", bodySize)
	right := p.lines(value, p.width-labelW)
	n := max(len(left), len(right))
	p.space(float64(n) * h)
	y := p.f.GetY()
	p.font("B", bodySize, ink)
	for i, ln := range left {
		p.f.SetXY(p.x(0, labelW), y+float64(i)*h)
		p.cell(labelW, h, ln, "", 0, ln.align(), false)
	}
	p.font("", bodySize, ink)
	for i, ln := range right {
		p.f.SetXY(p.x(labelW, p.width-labelW), y+float64(i)*h)
		p.cell(p.width-labelW, h, ln, "", 0, ln.align(), false)
	}
	p.f.SetXY(p.left, y+float64(n)*h+0.5)
}

// worry writes one of the top 3: its number and text, who raised it, the goal,
// the score as ten boxes, and its actions.
func (p *pdfWriter) worry(d Document, w Worry) {
	l := p.l
	const indent = 10.0
	p.f.Ln(2)
	p.space(40)
	y := p.f.GetY()
	p.font("B", 16, accent)
	p.f.SetXY(p.x(0, indent), y)
	p.cell(indent, 8, pdfLine{text: string(rune('0' + w.Rank)), right: p.rtl}, "", 0, pdfLine{right: p.rtl}.align(), false)
	p.f.SetXY(p.left, y)
	p.font("B", 13, ink)
	p.text(w.Text, indent, 7)
	if len(w.RaisedBy) > 0 {
		p.font("", 9.5, muted)
		p.text(l.t("raisedBy")+": "+strings.Join(w.RaisedBy, ", "), indent, 5)
	}
	p.f.Ln(1)
	p.font("B", bodySize, ink)
	p.text(l.t("goal"), indent, 6)
	p.font("", bodySize, ink)
	goal := w.Goal
	if goal == "" {
		goal = l.t("noGoal")
	}
	p.text(goal, indent, 6)
	p.f.Ln(1)
	p.font("B", bodySize, ink)
	p.text(l.t("score"), indent, 6)
	p.space(7)
	p.scale(indent, w.ScoreNow)
	p.statement(d, w, indent)
	p.f.Ln(1)
	p.font("B", bodySize, ink)
	p.space(12)
	p.text(l.t("actions"), indent, 6)
	p.actions(d.actionsFor(w.Rank), indent)
}

// scale draws the 0-10 score as ten boxes, the first ones filled, and the words.
func (p *pdfWriter) scale(indent float64, s *int) {
	const box, gap = 4.2, 1.0
	y := p.f.GetY() + 1
	p.f.SetDrawColor(accent[0], accent[1], accent[2])
	p.f.SetFillColor(accent[0], accent[1], accent[2])
	p.f.SetLineWidth(0.3)
	for i := 0; i < 10; i++ {
		style := "D"
		if s != nil && i < *s {
			style = "FD"
		}
		p.f.Rect(p.x(indent+float64(i)*(box+gap), box), y, box, box, style)
	}
	p.font("", bodySize, ink)
	p.f.SetXY(p.x(indent+10*(box+gap)+2, 50), y-0.9)
	ln := p.visual(score(p.l, s))
	p.cell(50, 6, ln, "", 2, ln.align(), false)
	p.f.SetY(y + box + 1.5)
}

// actions draws a table: what, who, due date, status. A row never splits over
// two pages; the header is repeated on a new page.
func (p *pdfWriter) actions(actions []Action, indent float64) {
	l := p.l
	if len(actions) == 0 {
		p.font("", bodySize, ink)
		p.text(l.t("noActions"), indent, 6)
		return
	}
	const size, h, pad = 10.0, 5.0, 1.2
	total := p.width - indent
	cols := []float64{total * 0.41, total * 0.21, total * 0.23, total * 0.15}
	header := func() {
		p.f.SetFillColor(shade[0], shade[1], shade[2])
		p.f.SetDrawColor(rule[0], rule[1], rule[2])
		p.font("B", size, ink)
		x := indent
		for i, head := range []string{l.t("what"), l.t("who"), l.t("due"), l.t("status")} {
			p.f.SetX(p.x(x, cols[i]))
			ln := p.visual(head)
			p.cell(cols[i], h+2*pad, ln, "1", 0, ln.align(), true)
			x += cols[i]
		}
		p.f.Ln(h + 2*pad)
	}
	p.space(h*3 + 4*pad)
	header()
	for _, a := range actions {
		due := l.t("noDue")
		if a.Due != "" {
			due = l.date(a.Due)
		}
		p.setFont("", size)
		cells := [][]pdfLine{p.lines(a.What, cols[0]), p.lines(a.Owner, cols[1]), p.lines(due, cols[2]), p.lines(l.status(a.Status), cols[3])}
		n := 1
		for _, c := range cells {
			n = max(n, len(c))
		}
		rowH := float64(n)*h + 2*pad
		if p.f.GetY()+rowH > p.pageH-margin {
			p.f.AddPage()
			header()
		}
		y := p.f.GetY()
		x := indent
		p.font("", size, ink)
		p.f.SetDrawColor(rule[0], rule[1], rule[2])
		for i, c := range cells {
			p.f.Rect(p.x(x, cols[i]), y, cols[i], rowH, "D")
			for j, ln := range c {
				p.f.SetXY(p.x(x, cols[i]), y+pad+float64(j)*h)
				p.cell(cols[i], h, ln, "", 0, ln.align(), false)
			}
			x += cols[i]
		}
		p.f.SetXY(p.left, y+rowH)
	}
	p.f.Ln(2)
}
