package httpapi

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"
)

// Only internal is "try again later" (503 with Retry-After). Every other error
// code is an answer about the request, and retrying it unchanged would get the
// same refusal; so no code but internal may fall through to 503. The codes are
// read from the source (every constant named ECode...), so a new code that is
// not mapped fails here.
func TestEveryErrorCodeHasItsOwnStatus(t *testing.T) {
	codes := map[string]string{}
	root := filepath.Join("..")
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return err
		}
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, 0)
		if err != nil {
			return err
		}
		ast.Inspect(f, func(n ast.Node) bool {
			vs, ok := n.(*ast.ValueSpec)
			if !ok {
				return true
			}
			for i, name := range vs.Names {
				if !strings.HasPrefix(name.Name, "ECode") || i >= len(vs.Values) {
					continue
				}
				if lit, ok := vs.Values[i].(*ast.BasicLit); ok && lit.Kind == token.STRING {
					v, _ := strconv.Unquote(lit.Value)
					codes[v] = name.Name
				}
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(codes) < 15 {
		t.Fatalf("found only %d error codes: the scan is broken", len(codes))
	}
	for code, name := range codes {
		got := status(code)
		if code == "internal" {
			if got != fiber.StatusServiceUnavailable {
				t.Errorf("internal answers %d, want 503", got)
			}
			continue
		}
		if got == fiber.StatusServiceUnavailable || got < 400 || got >= 500 {
			t.Errorf("%s (%q) answers %d: only internal may say \"try again later\"", name, code, got)
		}
	}
}
