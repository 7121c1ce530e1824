package export

import (
	"bytes"
	"encoding/json"
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"
)

// A Go map literal refuses a key written twice; a JSON file quietly keeps the
// last. Each language's file names every word once, in each of its parts.
func TestWordFilesNameEachWordOnce(t *testing.T) {
	names, err := fs.Glob(wordFiles, "words/*.json")
	if err != nil || len(names) < 9 {
		t.Fatalf("word files = %v, %v", names, err)
	}
	for _, name := range names {
		b, err := wordFiles.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		if dup := twice(t, b); len(dup) > 0 {
			t.Errorf("%s names %s twice", name, strings.Join(dup, ", "))
		}
	}
	if dup := twice(t, []byte(`{"plan": {"title": "a", "title": "b"}, "safety": {}}`)); len(dup) != 1 || dup[0] != "plan.title" {
		t.Errorf("a doubled key is not found: %v", dup)
	}
}

// twice returns the keys written more than once in one object of the JSON b, as "part.key".
func twice(t *testing.T, b []byte) []string {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(b))
	var dup []string
	var path []string           // the keys of the objects we are in
	seen := []map[string]bool{} // per open object, its keys so far
	key := true                 // the next string in an object is a key
	for {
		tok, err := dec.Token()
		if err != nil {
			break
		}
		switch v := tok.(type) {
		case json.Delim:
			switch v {
			case '{':
				seen = append(seen, map[string]bool{})
				key = true
			case '}':
				seen = seen[:len(seen)-1]
				if len(path) > 0 {
					path = path[:len(path)-1]
				}
				key = true
			}
		case string:
			if key {
				s := seen[len(seen)-1]
				if s[v] {
					dup = append(dup, strings.Join(append(append([]string{}, path...), v), "."))
				}
				s[v] = true
				path = append(path, v)
				key = false
				continue
			}
			path = path[:len(path)-1]
			key = true
		default:
			path = path[:len(path)-1]
			key = true
		}
	}
	return dup
}

// A word file in another shape (a misspelt part, a number for a word) stops
// the package from starting rather than losing words.
func TestReadWordsRefusesAnotherShape(t *testing.T) {
	for name, body := range map[string]string{
		"unknown part": `{"_meta": {"written": "x"}, "plan": {}, "safty": {}}`,
		"not a word":   `{"plan": {"title": 3}, "safety": {}}`,
		"not JSON":     `{"plan": `,
	} {
		t.Run(name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Error("readWords accepted it")
				}
			}()
			readWords(fstest.MapFS{"words/xx.json": {Data: []byte(body)}})
		})
	}
	plan, safety := readWords(fstest.MapFS{"words/xx.json": {Data: []byte(`{"plan": {"title": "T %s"}, "safety": {"dash": "-"}}`)}})
	if plan["xx"]["title"] != "T %s" || safety["xx"]["dash"] != "-" || len(plan) != 1 {
		t.Errorf("readWords = %v, %v", plan, safety)
	}
}
