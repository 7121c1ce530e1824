package export

import (
	"bytes"
	"strings"
	"testing"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/renderer/html"
)

// renderMarkdown renders CommonMark to HTML as GitHub does before it
// sanitises: raw HTML blocks are kept.
func renderMarkdown(t *testing.T, md []byte) string {
	t.Helper()
	var out bytes.Buffer
	if err := goldmark.New(goldmark.WithRendererOptions(html.WithUnsafe())).Convert(md, &out); err != nil {
		t.Fatal(err)
	}
	return out.String()
}

// An Arabic or Farsi Markdown renders right to left: the whole plan is inside
// one <div dir="rtl" lang="..."> and the Markdown inside it still renders
// (headings, lists, bold), and each typed text is a bidi isolate, so "Gezin J."
// keeps its full stop. A Dutch one has no wrapper and no isolates.
func TestMarkdownRightToLeft(t *testing.T) {
	for _, tc := range []struct {
		lang Lang
		div  string
	}{
		{Arabic, `<div dir="rtl" lang="ar">`},
		{Farsi, `<div dir="rtl" lang="fa">`},
		{Dutch, ""},
		{English, ""},
	} {
		t.Run(string(tc.lang), func(t *testing.T) {
			d := closedPlan(t, tc.lang)
			// Typed Markdown and HTML stay text inside the isolates too.
			d.Top3[0].Goal = "# Kop <b>vet</b>\n- lijst"
			md := WriteMarkdown(d)
			html := renderMarkdown(t, md)
			if strings.Contains(html, "Kop</h1>") || strings.Contains(html, "<b>vet") || strings.Contains(html, "<li>lijst") || strings.Contains(html, "<li>"+fsi+"lijst") {
				t.Errorf("typed Markdown or HTML rendered as such:\n%s", html)
			}
			if tc.div == "" {
				if strings.Contains(html, "<div") || strings.ContainsAny(string(md), fsi+pdi) {
					t.Fatalf("a left-to-right Markdown has a direction wrapper or isolates:\n%s", md)
				}
				return
			}
			if !strings.HasPrefix(html, tc.div+"\n") || !strings.HasSuffix(html, "</div>\n") || strings.Count(html, "<div") != 1 {
				t.Fatalf("the plan is not one right-to-left block:\n%s", html)
			}
			for _, tag := range []string{"<h1>", "<h2>", "<h3>", "<ul>", "<li><strong>"} {
				if !strings.Contains(html, tag) {
					t.Errorf("the Markdown inside the block did not render: no %s in\n%s", tag, html)
				}
			}
			if strings.Contains(html, "&lt;div") || strings.Contains(html, "<p>&lt;") {
				t.Errorf("the wrapper was escaped, not rendered:\n%s", html)
			}
			if !strings.Contains(html, fsi+"Gezin J."+pdi) || !strings.Contains(html, fsi+"Moeder"+pdi) {
				t.Errorf("the family label and party names are not isolates:\n%s", html)
			}
		})
	}
}

// An old row's stray bidi control does not reach the Markdown, in either direction.
func TestMarkdownDropsBidiControls(t *testing.T) {
	for _, l := range []Lang{Dutch, Arabic} {
		d := closedPlan(t, l)
		d.Top3[0].Text = "Het geld \u202eis op"
		d.Parties[0].People = []string{"San\u2067ne"}
		md := string(WriteMarkdown(d))
		if strings.ContainsAny(md, "\u202e\u2067") || !strings.Contains(md, "Het geld is op") || !strings.Contains(md, "Sanne") {
			t.Errorf("%s: the stray controls are in the Markdown, or the text around them is gone:\n%s", l, md)
		}
	}
}
