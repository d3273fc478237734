package repo_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/wscheck/wscheck/repo"
)

// FuzzNeutralize: whatever the input, neutralization never panics, and
// either keeps the shape exactly (same lines, same characters per line)
// or fails with a TemplateError at a position inside the input. Run it
// longer with: go test -run '^$' -fuzz FuzzNeutralize ./repo
func FuzzNeutralize(f *testing.F) {
	seeds, _ := filepath.Glob("testdata/neutralize/*")
	for _, p := range seeds {
		if b, err := os.ReadFile(p); err == nil && !strings.HasSuffix(p, ".golden") {
			f.Add(b, uint8(0))
		}
	}
	f.Add([]byte("{% if a %}{{ x }}{% else %}{% endif %}"), uint8(repo.Jinja))
	f.Add([]byte("<% if a %><%= x %>\n<% end %>"), uint8(repo.ERB))
	f.Add([]byte("%{ for x in y ~}${x}%{ endfor ~}$${z}"), uint8(repo.Terraform))
	f.Fuzz(func(t *testing.T, src []byte, d uint8) {
		dialect := repo.Dialect(d % 7)
		if dialect == repo.NoTemplate {
			dialect = repo.DetectTemplate("f", src)
			if dialect == repo.NoTemplate {
				return
			}
		}
		nz, err := repo.Neutralize(dialect, src)
		if err != nil {
			var te *repo.TemplateError
			if !errors.As(err, &te) {
				t.Fatalf("error %v is not a TemplateError", err)
			}
			lines := strings.Split(string(src), "\n")
			if te.Line < 1 || te.Line > len(lines) || te.Col < 1 || te.Col > utf8.RuneCountInString(lines[te.Line-1])+1 {
				t.Fatalf("error at %d:%d outside the input (%d lines)", te.Line, te.Col, len(lines))
			}
			return
		}
		if !utf8.Valid(src) {
			return // invalid bytes count as one character each in the output; lines still match
		}
		a, b := strings.Split(string(src), "\n"), strings.Split(string(nz.Text), "\n")
		if len(a) != len(b) {
			t.Fatalf("%d lines, source has %d", len(b), len(a))
		}
		for i := range a {
			if utf8.RuneCountInString(a[i]) != utf8.RuneCountInString(b[i]) {
				t.Fatalf("line %d: %q became %q", i+1, a[i], b[i])
			}
		}
	})
}
