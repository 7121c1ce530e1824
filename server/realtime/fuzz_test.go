package realtime

import (
	"encoding/json"
	"testing"
	"unicode/utf8"

	"github.com/tafel-met/tafel/server/meeting"
)

// FuzzParseFrame feeds any bytes to the frame decoder: it never panics, refuses
// with one of the protocol's codes, and what it accepts is small, valid UTF-8
// JSON with a well-formed id (and one on every command).
func FuzzParseFrame(f *testing.F) {
	for _, s := range []string{
		`{"type":"hello","view":"screen","lastSeq":0}`,
		`{"type":"command","id":"c-1","name":"worry.add","data":{"text":"Te weinig geld"}}`,
		`{"type":"command","name":"worry.add"}`,
		`{"type":"command","id":"c 1"}`,
		`{"type":"command","id":"c1","id":"c2"}`,
		`{"type":"command","id":"c1","name":"worry.add","data":{"text":"\ud800"}}`,
		`[1,2,3]`, `null`, `"hello"`, "\xff\xfe", ``,
	} {
		f.Add([]byte(s))
	}
	codes := map[string]bool{meeting.ECodeTooLarge: true, meeting.ECodeInvalidUTF8: true, meeting.ECodeInvalidJSON: true}
	f.Fuzz(func(t *testing.T, msg []byte) {
		fr, err := parseFrame(msg)
		if err != nil {
			if !codes[meeting.ErrorCode(err)] {
				t.Fatalf("refused with %q", meeting.ErrorCode(err))
			}
			return
		}
		if len(msg) > MaxMessageBytes || !utf8.Valid(msg) || !json.Valid(msg) {
			t.Fatalf("accepted a frame that is too large, not UTF-8 or not JSON: %q", msg)
		}
		if fr.ID != "" && !commandIDPattern.MatchString(fr.ID) {
			t.Fatalf("accepted id %q", fr.ID)
		}
		if fr.Type == "command" && fr.ID == "" {
			t.Fatal("accepted a command without id")
		}
		// Whatever is accepted can be answered: the error frame encodes.
		_ = errorBytes(fr.ID, meeting.Errorf(meeting.ECodeInvalidInput, "x"))
	})
}
