// Package reporttest checks the proxy halves' fixtures against the
// expectations they carry inline: `# want "rule" ...` for findings and
// `# want-error "regexp"` for input errors, either at the end of the line
// they point at (Trailing: HAProxy, YAML) or alone on the line above it
// (Above: httpd, which has no trailing comments). One reader and one
// comparison for every half, so a fixture means the same everywhere.
package reporttest

import (
	"bufio"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/wscheck/wscheck/report"
)

// Style is where a fixture's expectations sit.
type Style int

const (
	Trailing Style = iota // at the end of the line they point at
	Above                 // alone on the line above it
)

var (
	wantRe      = regexp.MustCompile(`# want "([^"]+)"((?: "[^"]+")*)`)
	wantErrorRe = regexp.MustCompile(`# want-error "([^"]+)"`)
	quotedRe    = regexp.MustCompile(`"([^"]+)"`)
)

// Expectation is one finding or error a fixture announces.
type Expectation struct {
	File string
	Line int
	What string // a rule name, or "error:" + regexp
}

// Read collects the expectations of a file, or of every file below a
// directory.
func Read(t testing.TB, root string, style Style) []Expectation {
	t.Helper()
	var out []Expectation
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		f, err := os.Open(p)
		if err != nil {
			return err
		}
		defer f.Close()
		sc := bufio.NewScanner(f)
		for n := 1; sc.Scan(); n++ {
			line := n
			if style == Above {
				if !strings.HasPrefix(strings.TrimSpace(sc.Text()), "# want") {
					continue
				}
				line = n + 1
			}
			if m := wantErrorRe.FindStringSubmatch(sc.Text()); m != nil {
				out = append(out, Expectation{p, line, "error:" + m[1]})
			} else if m := wantRe.FindStringSubmatch(sc.Text()); m != nil {
				out = append(out, Expectation{p, line, m[1]})
				for _, q := range quotedRe.FindAllStringSubmatch(m[2], -1) {
					out = append(out, Expectation{p, line, q[1]})
				}
			}
		}
		return sc.Err()
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// Check compares every finding and error of res with want: nothing
// missing, nothing extra.
func Check(t testing.TB, want []Expectation, res report.Result) {
	t.Helper()
	matched := make([]bool, len(want))
	claim := func(file string, line int, ok func(string) bool) bool {
		for i, w := range want {
			if !matched[i] && w.File == file && w.Line == line && ok(w.What) {
				matched[i] = true
				return true
			}
		}
		return false
	}
	for _, f := range res.Findings {
		if !claim(f.File, f.Line, func(w string) bool { return w == f.Rule }) {
			t.Errorf("unexpected finding %s:%d:%d: %s (%s)", f.File, f.Line, f.Column, f.Message, f.Rule)
		}
	}
	for _, e := range res.Errors {
		if !claim(e.File, e.Line, func(w string) bool {
			re, ok := strings.CutPrefix(w, "error:")
			return ok && regexp.MustCompile(re).MatchString(e.Message)
		}) {
			t.Errorf("unexpected error %s", e.Error())
		}
	}
	for i, w := range want {
		if !matched[i] {
			t.Errorf("missing: %s:%d: %s", w.File, w.Line, w.What)
		}
	}
}

// Half is what the fixture tests need of a proxy half.
type Half struct {
	Name    string // report.Rule.Half of its rules
	Rules   report.Rules
	Ext     string // of its fixtures: ".cfg", ".conf", ".yaml"
	Style   Style
	Analyze func(path string) report.Result
}

// CheckPath analyzes a file or directory and compares it with the
// expectations below it.
func (h Half) CheckPath(t testing.TB, p string) report.Result {
	t.Helper()
	res := h.Analyze(p)
	Check(t, Read(t, p, h.Style), res)
	return res
}

// RuleExamples holds every rule to its documentation and its fixtures
// testdata/rules/RULE/{bad,good}EXT: the bad one expects the rule, the
// good one does not, both exactly as analyzed; every fixture directory
// belongs to a rule.
func (h Half) RuleExamples(t *testing.T) {
	for _, r := range h.Rules {
		t.Run(r.Name, func(t *testing.T) {
			if r.Title == "" || r.Why == "" || r.Fix == "" || r.Bad == "" || r.Good == "" || r.Half != h.Name {
				t.Fatalf("rule %s is missing documentation: %+v", r.Name, r)
			}
			if strings.Contains(r.Bad, "# want") {
				t.Errorf("the documented bad example keeps its test expectation:\n%s", r.Bad)
			}
			for _, kind := range []string{"bad", "good"} {
				p := filepath.Join("testdata/rules", r.Name, kind+h.Ext)
				fired := slices.ContainsFunc(Read(t, p, h.Style), func(e Expectation) bool { return e.What == r.Name })
				if fired != (kind == "bad") {
					t.Fatalf("%s: a bad example must expect %s and a good one must not", p, r.Name)
				}
				h.CheckPath(t, p)
			}
		})
	}
	dirs, err := os.ReadDir("testdata/rules")
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range dirs {
		if _, ok := h.Rules.Lookup(d.Name()); !ok {
			t.Errorf("testdata/rules/%s belongs to no rule", d.Name())
		}
	}
}

// Cases checks each entry of testdata/cases (a file, or a directory
// analyzed as one argument) against its expectations.
func (h Half) Cases(t *testing.T) {
	entries, err := os.ReadDir("testdata/cases")
	if err != nil || len(entries) == 0 {
		t.Fatalf("no cases: %v", err)
	}
	for _, e := range entries {
		p := filepath.Join("testdata/cases", e.Name())
		t.Run(e.Name(), func(t *testing.T) { h.CheckPath(t, p) })
	}
}
