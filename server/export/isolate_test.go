package export

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/tafel-met/tafel/server/meeting"
)

// notTyped are the string fields of a Document that no person types: ids,
// dates, and the words of fixed lists the PDF looks up in its catalogue.
var notTyped = map[string]bool{"Date": true, "Due": true, "NextEvaluation": true, "PreviousDate": true,
	"Domain": true, "Held": true, "Status": true, "CarriedAs": true}

// poison puts an explicit bidi control after the first character of every
// typed text in v (a pointer), as a row stored before CleanText refused them
// might hold: an override, an embedding or an isolate that is never closed,
// each of which would turn the rest of its line around. It returns how many
// texts it changed.
func poison(v reflect.Value, field string) int {
	controls := []string{"\u202e", "\u202b", "\u2067"}
	n := 0
	var walk func(v reflect.Value, field string) reflect.Value
	walk = func(v reflect.Value, field string) reflect.Value {
		switch v.Kind() {
		case reflect.Pointer:
			if !v.IsNil() {
				walk(v.Elem(), field)
			}
		case reflect.Struct:
			for i := 0; i < v.NumField(); i++ {
				if f := v.Type().Field(i); f.IsExported() {
					walk(v.Field(i), f.Name)
				}
			}
		case reflect.Slice:
			for i := 0; i < v.Len(); i++ {
				walk(v.Index(i), field)
			}
		case reflect.Map:
			for _, k := range v.MapKeys() {
				e := reflect.New(v.Type().Elem()).Elem()
				e.Set(v.MapIndex(k))
				v.SetMapIndex(k, walk(e, field))
			}
		case reflect.String:
			typed := v.Type() == reflect.TypeOf("") && !notTyped[field] && !strings.HasSuffix(field, "ID") && !strings.HasSuffix(field, "IDs")
			if s := v.String(); typed && len([]rune(s)) > 1 {
				first := string([]rune(s)[0])
				v.SetString(first + controls[n%len(controls)] + strings.TrimPrefix(s, first))
				n++
			}
		}
		return v
	}
	walk(v, field)
	return n
}

// TestPDFOldRowsWithBidiControls draws plans whose every typed text holds a
// stray override, embedding or open isolate, as an old row might: each PDF
// reads exactly as the same plan without them, labels and all. Without the
// isolates and the dropping of the controls, every such line reads backwards
// from the control on.
func TestPDFOldRowsWithBidiControls(t *testing.T) {
	safety := func(l Lang) func() Document {
		return func() Document {
			m, c := fixtureSafety(t, true)
			return FromView(m.ViewFor(m.ViewerFor(meeting.RoleParticipant, c.sanne.ParticipantID)), nil, l, time.Time{})
		}
	}
	for _, tc := range []struct {
		name string
		doc  func() Document
	}{
		{"plan.nl", func() Document { return closedPlan(t, Dutch) }},
		{"plan.ar", func() Document { return closedPlan(t, Arabic) }},
		{"followup.nl", func() Document {
			return FromMeeting(fixtureFollowUp(t, true), nil, Dutch, time.Date(2027, 3, 1, 14, 0, 0, 0, time.UTC))
		}},
		{"safety.nl", safety(Dutch)},
		{"safety.fa", safety(Farsi)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			clean, dirty := tc.doc(), tc.doc()
			if n := poison(reflect.ValueOf(&dirty), ""); n < 20 {
				t.Fatalf("only %d texts to put a control in: the fixture or the walk is wrong", n)
			}
			pdf, err := WritePDF(clean)
			if err != nil {
				t.Fatal(err)
			}
			want, _ := pdfText(t, pdf)
			pdf, err = WritePDF(dirty)
			if err != nil {
				t.Fatal(err)
			}
			got, _ := pdfText(t, pdf)
			if got != want {
				t.Errorf("the plan with stray bidi controls reads differently:\n%s", lineDiff(want, got))
			}
		})
	}
}

// lineDiff lists the lines of got that differ from want.
func lineDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	var b strings.Builder
	for i := 0; i < max(len(w), len(g)); i++ {
		var a, c string
		if i < len(w) {
			a = w[i]
		}
		if i < len(g) {
			c = g[i]
		}
		if a != c {
			b.WriteString("want " + a + "\ngot  " + c + "\n")
		}
	}
	return b.String()
}

// TestPDFTypedTextIsolated: in an Arabic PDF a Latin name that ends in a full
// stop keeps it, inside a line that a catalogue label starts ("raised by:
// Moeder, Buurt B.V.") and in the regisseur's line ("Wijkteam (Buurt B.V.)").
// Without isolates the right-to-left line carries the stop to its far left end.
func TestPDFTypedTextIsolated(t *testing.T) {
	d := closedPlan(t, Arabic)
	d.Top3[0].RaisedBy = append(d.Top3[0].RaisedBy, "Buurt B.V.")
	d.Regisseur.Role = "Buurt B.V."
	pdf, err := WritePDF(d)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, w := range pdfPageWords(t, pdf, 1, 2) {
		switch {
		case w.text == "B.V." || w.text == "B.V.)":
			n++
		case strings.Contains(w.text, "B.V") || w.text == ".Moeder," || w.text == ".Wijkteam":
			t.Errorf("a full stop left its name: word %q", w.text)
		}
	}
	if n != 2 {
		t.Errorf("%d words \"B.V.\" on pages 1 and 2, want 2 (raised by, regisseur)", n)
	}
}
