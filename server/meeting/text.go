package meeting

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	// norm is the one non-standard import of the domain: NFC is part of the rule
	// "at most 500 characters", and x/text is pure Go with no I/O.
	"golang.org/x/text/unicode/norm"
)

// Limits on user text, counted in characters after trimming and NFC normalisation.
const (
	MaxTextLen = 500
	MaxNameLen = 80
)

// CleanText trims and NFC-normalises s and checks it: valid UTF-8, no control
// characters (newlines and tabs allowed when multiline), at most max characters,
// and not empty unless allowEmpty.
func CleanText(field, s string, max int, multiline, allowEmpty bool) (string, error) {
	if !utf8.ValidString(s) {
		return "", Fail(ECodeInvalidInput, "text_invalid_utf8", field+": invalid UTF-8", "field", field)
	}
	// Windows line ends become plain newlines; a lone \r stays a control character.
	s = strings.TrimSpace(norm.NFC.String(strings.ReplaceAll(s, "\r\n", "\n")))
	for _, r := range s {
		if r == '\n' || r == '\t' {
			if multiline {
				continue
			}
		}
		if unicode.IsControl(r) || r == '\u2028' || r == '\u2029' || (r >= '\u202a' && r <= '\u202e') || (r >= '\u2066' && r <= '\u2069') {
			return "", Fail(ECodeInvalidInput, "text_control_chars", field+": control characters", "field", field)
		}
	}
	if n := utf8.RuneCountInString(s); n > max {
		return "", Fail(ECodeInvalidInput, "text_too_long", fmt.Sprintf("%s: too long, %d of at most %d characters", field, n, max), "field", field, "n", n, "max", max)
	}
	if s == "" && !allowEmpty {
		return "", Fail(ECodeInvalidInput, "text_required", field+": required", "field", field)
	}
	return s, nil
}
