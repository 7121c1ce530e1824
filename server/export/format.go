package export

import (
	"errors"
	"fmt"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Format is a kind of export, named by its file extension.
type Format string

// The formats a plan can leave the room in.
const (
	PDF      Format = "pdf"
	Markdown Format = "md"
	CSV      Format = "csv"
	JSON     Format = "json"
	ICS      Format = "ics"
)

// Formats lists every format.
var Formats = []Format{PDF, Markdown, CSV, JSON, ICS}

// ParseFormat reads a file extension.
func ParseFormat(ext string) (Format, bool) {
	for _, f := range Formats {
		if string(f) == ext {
			return f, true
		}
	}
	return "", false
}

// ContentType is the media type to serve the format with.
func (f Format) ContentType() string {
	switch f {
	case PDF:
		return "application/pdf"
	case Markdown:
		return "text/markdown; charset=utf-8"
	case CSV:
		return "text/csv; charset=utf-8"
	case JSON:
		return "application/json; charset=utf-8"
	case ICS:
		return "text/calendar; charset=utf-8"
	}
	return "application/octet-stream"
}

// ErrNoEvaluation is returned for a calendar file of a plan without an evaluation date.
var ErrNoEvaluation = errors.New("export: the plan has no evaluation date")

// Render writes d in format f.
func Render(d Document, f Format) ([]byte, error) {
	switch f {
	case PDF:
		return WritePDF(d)
	case Markdown:
		return WriteMarkdown(d), nil
	case CSV:
		return WriteCSV(d), nil
	case JSON:
		return WriteJSON(d)
	case ICS:
		return WriteICS(d)
	}
	return nil, fmt.Errorf("export: unknown format %q", f)
}

// Filename is an ASCII-only download name such as "plan-gezin-j-2026-12-01.pdf",
// with "-v2" added for a closed version.
func Filename(d Document, f Format) string {
	name := "plan-" + slug(d.FamilyLabel)
	if d.Date != "" {
		name += "-" + slug(d.Date)
	}
	if !d.Live && d.Version > 0 {
		name += fmt.Sprintf("-v%d", d.Version)
	}
	return name + "." + string(f)
}

// asciiFold spells letters that NFKD does not split into a base letter and an accent.
var asciiFold = map[rune]string{'ł': "l", 'đ': "d", 'ø': "o", 'ß': "ss", 'æ': "ae", 'œ': "oe", 'ı': "i", 'þ': "th"}

// slug keeps ASCII letters and digits, drops accents (é becomes e), and joins the
// rest with single hyphens: safe in any header and any file system.
func slug(s string) string {
	var b strings.Builder
	hyphen := false
	for _, r := range norm.NFKD.String(strings.ToLower(s)) {
		if a, ok := asciiFold[r]; ok {
			if hyphen && b.Len() > 0 {
				b.WriteByte('-')
			}
			hyphen = false
			b.WriteString(a)
			continue
		}
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			if hyphen && b.Len() > 0 {
				b.WriteByte('-')
			}
			hyphen = false
			b.WriteRune(r)
		case unicode.Is(unicode.Mn, r):
			// an accent split off by NFKD
		default:
			hyphen = true
		}
	}
	out := b.String()
	if len(out) > 60 {
		out = strings.TrimRight(out[:60], "-")
	}
	if out == "" {
		return "gezin"
	}
	return out
}
