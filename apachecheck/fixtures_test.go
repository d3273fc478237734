package apachecheck

import (
	"bufio"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/wscheck/wscheck/repo"
	"github.com/wscheck/wscheck/report"
)

// httpd allows comments only on lines of their own, so a fixture's
// `# want "rule" ...` and `# want-error "regexp"` lines announce a finding
// or an error on the line below them.
var (
	wantRe      = regexp.MustCompile(`^\s*# want "([^"]+)"((?: "[^"]+")*)`)
	wantErrorRe = regexp.MustCompile(`^\s*# want-error "([^"]+)"`)
	quotedRe    = regexp.MustCompile(`"([^"]+)"`)
)

type expectation struct {
	file string
	line int
	what string // a rule name, or "error:" + regexp
}

func readExpectations(t *testing.T, root string) []expectation {
	t.Helper()
	var out []expectation
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
		for n := 1; sc.Scan(); n++ {
			if m := wantErrorRe.FindStringSubmatch(sc.Text()); m != nil {
				out = append(out, expectation{p, n + 1, "error:" + m[1]})
			} else if m := wantRe.FindStringSubmatch(sc.Text()); m != nil {
				out = append(out, expectation{p, n + 1, m[1]})
				for _, q := range quotedRe.FindAllStringSubmatch(m[2], -1) {
					out = append(out, expectation{p, n + 1, q[1]})
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

func checkExpectations(t *testing.T, p string) report.Result {
	t.Helper()
	want := readExpectations(t, p)
	res := Analyze(Disk([]string{p}), []string{p}, repo.WalkOptions{})
	matched := make([]bool, len(want))
	claim := func(file string, line int, ok func(string) bool) bool {
		for i, w := range want {
			if !matched[i] && w.file == file && w.line == line && ok(w.what) {
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
			t.Errorf("missing: %s:%d: %s", w.file, w.line, w.what)
		}
	}
	return res
}

func TestRuleExamples(t *testing.T) {
	for _, r := range Rules() {
		t.Run(r.Name, func(t *testing.T) {
			if r.Title == "" || r.Why == "" || r.Fix == "" || r.Bad == "" || r.Good == "" || r.Half != Half {
				t.Fatalf("rule %s is missing documentation: %+v", r.Name, r)
			}
			if strings.Contains(r.Bad, "# want") {
				t.Errorf("the documented bad example keeps its test expectation:\n%s", r.Bad)
			}
			for _, kind := range []string{"bad", "good"} {
				p := filepath.Join("testdata/rules", r.Name, kind+".conf")
				fired := slices.ContainsFunc(readExpectations(t, p), func(e expectation) bool { return e.what == r.Name })
				if fired != (kind == "bad") {
					t.Fatalf("%s: a bad example must expect %s and a good one must not", p, r.Name)
				}
				checkExpectations(t, p)
			}
		})
	}
	dirs, _ := os.ReadDir("testdata/rules")
	for _, d := range dirs {
		if _, ok := Rules().Lookup(d.Name()); !ok {
			t.Errorf("testdata/rules/%s belongs to no rule", d.Name())
		}
	}
}

// TestCases analyzes each file under testdata/cases as a path argument and
// each directory as a directory argument.
func TestCases(t *testing.T) {
	entries, err := os.ReadDir("testdata/cases")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		p := filepath.Join("testdata/cases", e.Name())
		t.Run(e.Name(), func(t *testing.T) { checkExpectations(t, p) })
	}
}

func TestSplitWords(t *testing.T) {
	for in, want := range map[string][]string{
		`ProxyPass /ws ws://a/ws`:               {"ProxyPass", "/ws", "ws://a/ws"},
		`RewriteRule ^/?(.*) "ws://a/$1" [P,L]`: {"RewriteRule", "^/?(.*)", "ws://a/$1", "[P,L]"},
		`Header set X 'a b' "c \"d\""`:          {"Header", "set", "X", "a b", `c "d"`},
		"ProxyPass\t/x\t  http://b/x  retry=0 ": {"ProxyPass", "/x", "http://b/x", "retry=0"},
	} {
		got, err := splitWords(in)
		if err != "" || !slices.Equal(got, want) {
			t.Errorf("splitWords(%q) = %q, %q; want %q", in, got, err, want)
		}
	}
}
