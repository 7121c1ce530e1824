package meeting

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// Error messages in Go are English, for developers and logs; the sentence a
// person reads lives in each surface's catalogue, in the reader's language.
// This test reads every Go file under server/ and fails on an error message
// that is Dutch, or bilingual in the old "Dutch (English)" style.

// dutchWords are common Dutch words that are not English words.
var dutchWords = regexp.MustCompile(`(?i)\b(de|het|een|niet|geen|deze|dit|dat|je|jij|jouw|u|uw|kies|kun|eerst|nog|al|gesprek|zorg|zorgen|partij|bestaat|klopt|mag|moet|wordt|zijn|bij|voor|naar|heeft|hebben|ongeldig|onbekend|onbekende|te|veel|wachtwoord|inloggen|gezin|stuur|meld|aan|ging|iets|mis|probeer|opnieuw|hoogstens|tekens|tekst|datum|versie|alleen|gebruik|verwijderd|toegelaten|onthullen|samengevoegd|één)\b`)

// bilingual is the old pattern, "Dutch sentence (english)": a capitalised
// sentence of several words, then lower-case words in brackets at the end. Plain
// English with an aside in brackets is told apart by the Dutch words above.
var bilingual = regexp.MustCompile(`^[A-Z][a-z]+ [^()]*(één|ij|oe|ui)[^()]* \([a-z][^()]*\)$`)

// errorFuncs are the calls whose first string argument is an error message.
var errorFuncs = map[string]bool{"Errorf": true, "Fail": true, "New": true, "Error": true}

func TestErrorMessagesAreEnglish(t *testing.T) {
	root := filepath.Join("..")
	checked := 0
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			name := ""
			switch fn := call.Fun.(type) {
			case *ast.SelectorExpr:
				name = fn.Sel.Name
			case *ast.Ident:
				name = fn.Name
			}
			if !errorFuncs[name] {
				return true
			}
			for _, arg := range call.Args {
				lit, ok := arg.(*ast.BasicLit)
				if !ok || lit.Kind != token.STRING {
					continue
				}
				s, err := strconv.Unquote(lit.Value)
				if err != nil || !strings.Contains(s, " ") {
					continue // codes and reasons are single words
				}
				checked++
				if w := dutchWords.FindString(s); w != "" {
					t.Errorf("%s: error message %q has the Dutch word %q", fset.Position(lit.Pos()), s, w)
				} else if bilingual.MatchString(s) {
					t.Errorf("%s: error message %q is bilingual", fset.Position(lit.Pos()), s)
				}
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if checked < 100 {
		t.Fatalf("checked only %d error messages: is the walk looking in server/?", checked)
	}
}

// The checker itself: it must catch what the test exists for.
func TestErrorLanguageChecker(t *testing.T) {
	for _, s := range []string{"Je gaf al akkoord (already recorded)", "Dit gesprek is gesloten", "Kies 1 tot 3 zorgen"} {
		if dutchWords.FindString(s) == "" && !bilingual.MatchString(s) {
			t.Errorf("%q not caught", s)
		}
	}
	for _, s := range []string{"akkoord already recorded", "score must be 0-10", "unknown worry in the previous top 3", "set the evaluation date first"} {
		if w := dutchWords.FindString(s); w != "" || bilingual.MatchString(s) {
			t.Errorf("%q caught (%q)", s, w)
		}
	}
}
