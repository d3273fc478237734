package nginxcheck

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/wscheck/wscheck/report"
)

// Fixtures carry their expectations inline, as analysistest does for Go:
// `# want "rule" ...` on the line a finding must point at, and
// `# want-error "regexp"` on the line a load error must point at. A first
// line `# wscheck-args: --nginx-version 1.30.0 --strict-includes` sets options.
var (
	wantRe      = regexp.MustCompile(`want "([^"]+)"((?: "[^"]+")*)`)
	wantErrorRe = regexp.MustCompile(`want-error "([^"]+)"`)
	quotedRe    = regexp.MustCompile(`"([^"]+)"`)
)

type expectation struct {
	file string
	line int
	what string // a rule name, or "error:" + regexp
}

func (e expectation) String() string { return fmt.Sprintf("%s:%d: %s", e.file, e.line, e.what) }

// readExpectations collects the expectations of every file below root.
func readExpectations(t *testing.T, root string) ([]expectation, Options) {
	t.Helper()
	var out []expectation
	var opts Options
	err := filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		f, err := os.Open(p)
		if err != nil {
			return err
		}
		defer f.Close()
		sc := bufio.NewScanner(f)
		for line := 1; sc.Scan(); line++ {
			text := sc.Text()
			if line == 1 && strings.HasPrefix(text, "# wscheck-args:") {
				opts = parseArgs(t, strings.Fields(strings.TrimPrefix(text, "# wscheck-args:")))
			}
			if m := wantErrorRe.FindStringSubmatch(text); m != nil {
				out = append(out, expectation{p, line, "error:" + m[1]})
				continue
			}
			if m := wantRe.FindStringSubmatch(text); m != nil {
				out = append(out, expectation{p, line, m[1]})
				for _, q := range quotedRe.FindAllStringSubmatch(m[2], -1) {
					out = append(out, expectation{p, line, q[1]})
				}
			}
		}
		return sc.Err()
	})
	if err != nil {
		t.Fatal(err)
	}
	return out, opts
}

func parseArgs(t *testing.T, args []string) Options {
	var o Options
	for i := 0; i < len(args); i++ {
		switch args[i] {
		case "--nginx-version":
			i++
			v, err := ParseVersion(args[i])
			if err != nil {
				t.Fatal(err)
			}
			o.NginxVersion = v
		case "--strict-includes":
			o.StrictIncludes = true
		case "--enable":
			i++
			o.Enable = append(o.Enable, args[i])
		case "--prefix":
			i++
			o.Prefix = args[i]
		case "--path-map":
			i++
			from, to, _ := strings.Cut(args[i], "=")
			o.PathMap = append(o.PathMap, PathMapping{from, to})
		default:
			t.Fatalf("unknown fixture option %q", args[i])
		}
	}
	return o
}

// checkExpectations runs wscheck on path and compares every finding and
// error with the expectations: nothing missing, nothing extra.
func checkExpectations(t *testing.T, path string, want []expectation, opts Options) report.Result {
	t.Helper()
	res := Analyze([]string{path}, opts)
	matched := make([]bool, len(want))
	claim := func(file string, line int, ok func(string) bool) bool {
		for i, w := range want {
			if !matched[i] && filepath.Clean(w.file) == filepath.Clean(file) && w.line == line && ok(w.what) {
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
			t.Errorf("missing: %s", w)
		}
	}
	return res
}

// TestRuleExamples runs every rule's documented bad and good example: the
// bad one must fire the rule, the good one must not, and each must yield
// exactly the findings its comments announce.
func TestRuleExamples(t *testing.T) {
	dirs, err := os.ReadDir("testdata/rules")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, d := range dirs {
		names = append(names, d.Name())
	}
	for _, r := range Rules() {
		t.Run(r.Name, func(t *testing.T) {
			if !slices.Contains(names, r.Name) {
				t.Fatalf("rule %s has no testdata/rules/%s/{bad,good}.conf", r.Name, r.Name)
			}
			if r.Title == "" || r.Why == "" || r.Fix == "" || r.Bad == "" || r.Good == "" {
				t.Fatalf("rule %s is missing documentation: %+v", r.Name, r)
			}
			for _, kind := range []string{"bad", "good"} {
				p := filepath.Join("testdata/rules", r.Name, kind+".conf")
				want, opts := readExpectations(t, p)
				fired := slices.ContainsFunc(want, func(e expectation) bool { return e.what == r.Name })
				if fired != (kind == "bad") {
					t.Fatalf("%s: a bad example must expect %s and a good one must not", p, r.Name)
				}
				checkExpectations(t, p, want, opts)
			}
		})
	}
	for _, n := range names {
		if _, ok := Rules().Lookup(n); !ok {
			t.Errorf("testdata/rules/%s belongs to no rule", n)
		}
	}
}

// TestCases runs the scenario fixtures under ../testdata/nginx: each file is
// analyzed as a path argument, each directory as a directory argument.
func TestCases(t *testing.T) {
	entries, err := os.ReadDir("../testdata/nginx")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		p := filepath.Join("../testdata/nginx", e.Name())
		t.Run(e.Name(), func(t *testing.T) {
			want, opts := readExpectations(t, p)
			checkExpectations(t, p, want, opts)
		})
	}
}
