package export

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// golden compares got with testdata/name, or rewrites it under -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file (go test ./server/export -update rewrites it)\n--- got ---\n%s", name, got)
	}
}

// closedPlan is the fixture's plan version 1, as the family takes it home.
func closedPlan(t *testing.T, lang Lang) Document {
	t.Helper()
	m := fixtureMeeting(t, true)
	return FromMeeting(m, &m.Versions[0], lang, time.Time{})
}

func TestGolden(t *testing.T) {
	live := FromMeeting(fixtureMeeting(t, false), nil, Dutch, time.Date(2026, 12, 1, 14, 0, 0, 0, time.UTC))
	for _, tc := range []struct {
		name string
		doc  Document
		f    Format
	}{
		{"plan.nl.md", closedPlan(t, Dutch), Markdown},
		{"plan.en.md", closedPlan(t, English), Markdown},
		{"plan.ar.md", closedPlan(t, Arabic), Markdown},
		{"plan.fa.md", closedPlan(t, Farsi), Markdown},
		{"plan-live.nl.md", live, Markdown},
		{"plan.csv", closedPlan(t, Dutch), CSV},
		{"plan.json", closedPlan(t, Dutch), JSON},
		{"plan-live.json", live, JSON},
		{"plan.nl.ics", closedPlan(t, Dutch), ICS},
		{"plan.en.ics", closedPlan(t, English), ICS},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Render(tc.doc, tc.f)
			if err != nil {
				t.Fatal(err)
			}
			golden(t, tc.name, got)
		})
	}
}
