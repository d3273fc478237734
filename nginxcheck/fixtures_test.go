package nginxcheck

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/wscheck/wscheck/report"
	"github.com/wscheck/wscheck/report/reporttest"
)

// Fixtures carry their expectations inline, as analysistest does for Go:
// `# want "rule" ...` on the line a finding must point at, and
// `# want-error "regexp"` on the line a load error must point at. A first
// line `# wscheck-args: --nginx-version 1.30.0 --strict-includes` sets options.
type expectation = reporttest.Expectation

// readExpectations collects the expectations of every file below root
// (report/reporttest) and the options a first line sets.
func readExpectations(t *testing.T, root string) ([]expectation, Options) {
	t.Helper()
	var opts Options
	err := filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		first, _, _ := strings.Cut(string(b), "\n")
		if args, ok := strings.CutPrefix(first, "# wscheck-args:"); ok {
			opts = parseArgs(t, strings.Fields(args))
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return reporttest.Read(t, root, reporttest.Trailing), opts
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
	exp := make([]reporttest.Expectation, len(want))
	for i, w := range want {
		exp[i] = reporttest.Expectation{File: filepath.Clean(w.File), Line: w.Line, What: w.What}
	}
	cleaned := res
	cleaned.Findings = slices.Clone(res.Findings)
	for i := range cleaned.Findings {
		cleaned.Findings[i].File = filepath.Clean(cleaned.Findings[i].File)
	}
	cleaned.Errors = slices.Clone(res.Errors)
	for i := range cleaned.Errors {
		cleaned.Errors[i].File = filepath.Clean(cleaned.Errors[i].File)
	}
	reporttest.Check(t, exp, cleaned)
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
				fired := slices.ContainsFunc(want, func(e expectation) bool { return e.What == r.Name })
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
