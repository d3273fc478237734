package haproxycheck

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

// Fixtures carry their expectations inline: `# want "rule" ...` on the
// line a finding must point at, `# want-error "regexp"` on the line a
// load error must point at.
var (
	wantRe      = regexp.MustCompile(`# want "([^"]+)"((?: "[^"]+")*)`)
	wantErrorRe = regexp.MustCompile(`# want-error "([^"]+)"`)
	quotedRe    = regexp.MustCompile(`"([^"]+)"`)
)

type expectation struct {
	line int
	what string // a rule name, or "error:" + regexp
}

func readExpectations(t *testing.T, p string) []expectation {
	t.Helper()
	f, err := os.Open(p)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []expectation
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		if m := wantErrorRe.FindStringSubmatch(sc.Text()); m != nil {
			out = append(out, expectation{n, "error:" + m[1]})
		} else if m := wantRe.FindStringSubmatch(sc.Text()); m != nil {
			out = append(out, expectation{n, m[1]})
			for _, q := range quotedRe.FindAllStringSubmatch(m[2], -1) {
				out = append(out, expectation{n, q[1]})
			}
		}
	}
	return out
}

// checkExpectations compares every finding and error of the file with
// its expectations: nothing missing, nothing extra.
func checkExpectations(t *testing.T, p string) report.Result {
	t.Helper()
	want := readExpectations(t, p)
	res := Analyze(Disk([]string{p}), []string{p}, repo.WalkOptions{})
	matched := make([]bool, len(want))
	claim := func(line int, ok func(string) bool) bool {
		for i, w := range want {
			if !matched[i] && w.line == line && ok(w.what) {
				matched[i] = true
				return true
			}
		}
		return false
	}
	for _, f := range res.Findings {
		if f.File != p || !claim(f.Line, func(w string) bool { return w == f.Rule }) {
			t.Errorf("unexpected finding %s:%d:%d: %s (%s)", f.File, f.Line, f.Column, f.Message, f.Rule)
		}
	}
	for _, e := range res.Errors {
		if !claim(e.Line, func(w string) bool {
			re, ok := strings.CutPrefix(w, "error:")
			return ok && regexp.MustCompile(re).MatchString(e.Message)
		}) {
			t.Errorf("unexpected error %s", e.Error())
		}
	}
	for i, w := range want {
		if !matched[i] {
			t.Errorf("missing: %s:%d: %s", p, w.line, w.what)
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
				p := filepath.Join("testdata/rules", r.Name, kind+".cfg")
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

func TestCases(t *testing.T) {
	files, err := filepath.Glob("testdata/cases/*.cfg")
	if err != nil || len(files) == 0 {
		t.Fatalf("no cases: %v", err)
	}
	for _, p := range files {
		t.Run(filepath.Base(p), func(t *testing.T) { checkExpectations(t, p) })
	}
}

func TestClassified(t *testing.T) {
	for _, c := range []struct {
		name, src string
		want      bool
	}{
		{"haproxy.cfg", "defaults\n  mode http\nfrontend f\n  use_backend b if { path_beg /ws }\n", true},
		{"lb/haproxy", "global\nlisten stats\n  bind :8404\n", true},
		{"app.cfg", "[section]\nkey = value\n", false},
		{"nginx.cfg", "server {\n  listen 80;\n}\nbackend x\n", false},
		{"hocon.cfg", "backend {\n  url = x\n}\n", false},
	} {
		if k, _ := repo.Classify(c.name, []byte(c.src)); (k == repo.HAProxy) != c.want {
			t.Errorf("Classify(%q) = %v, want HAProxy: %v", c.name, k, c.want)
		}
	}
}

// A directory is searched: the findings are those of the files one by one.
func TestAnalyzeDirectory(t *testing.T) {
	dir := Analyze(Disk([]string{"testdata/cases"}), []string{"testdata/cases"}, repo.WalkOptions{})
	files, _ := filepath.Glob("testdata/cases/*.cfg")
	var one report.Result
	for _, f := range files {
		one.Merge(Analyze(Disk([]string{f}), []string{f}, repo.WalkOptions{}))
	}
	dir.Normalize("")
	one.Normalize("")
	if len(dir.Findings) != len(one.Findings) || len(dir.Errors) != len(one.Errors) || len(dir.Findings) == 0 {
		t.Errorf("directory: %d findings %d errors; files one by one: %d findings %d errors", len(dir.Findings), len(dir.Errors), len(one.Findings), len(one.Errors))
	}
	if res := Analyze(Disk([]string{"testdata"}), []string{"testdata/nonexistent.cfg"}, repo.WalkOptions{}); len(res.Errors) != 1 || res.Errors[0].Message != "no such file or directory" {
		t.Errorf("a missing path: %+v", res)
	}
}
