package gocheck

import (
	"os/exec"
	"path/filepath"
	"sync"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/wscheck/wscheck/report"
)

// fixture is a module requiring the real websocket libraries, so the pass
// is tested against their actual types.
var fixture = func() string { p, _ := filepath.Abs("testdata"); return p }()

var download sync.Once

// needModules fills the module cache: analysistest loads with
// GOPROXY=off, and a fresh machine has not seen these modules yet.
func needModules(t *testing.T) {
	t.Helper()
	var err error
	var out []byte
	download.Do(func() {
		cmd := exec.Command("go", "mod", "download")
		cmd.Dir = fixture
		out, err = cmd.CombinedOutput()
	})
	if err != nil {
		t.Fatalf("go mod download in %s: %v\n%s", fixture, err, out)
	}
}

func TestLibraries(t *testing.T) {
	needModules(t)
	// One load for all packages: type-checking net/http from source
	// dominates the cost of each run.
	analysistest.Run(t, fixture, Analyzer, "./gorilla", "./fasthttp", "./coder", "./nhooyr", "./xnet", "./gobwas", "./gws", "./raw", "./rawverified", "./server", "./origin", "./devtools", "./testinput", "./hdr", "./helpers", "./wrappers", "./wrapdial")
}

// TestBrowserFiles loads the fixture for js/wasm: the file constrained to
// js must stay silent while its unconstrained neighbour still fires.
func TestBrowserFiles(t *testing.T) {
	needModules(t)
	t.Setenv("GOOS", "js")
	t.Setenv("GOARCH", "wasm")
	res := analysistest.Run(t, fixture, Analyzer, "./jswasm")
	if len(res) == 0 || len(res[0].Pass.Files) != 2 {
		t.Fatalf("want both jswasm files loaded for js/wasm, got %d packages", len(res))
	}
}

func TestSuggestedFixes(t *testing.T) {
	needModules(t)
	analysistest.RunWithSuggestedFixes(t, fixture, Analyzer, "./fixes")
}

// TestOriginExemptFlag proves the flag replaces the default list: with an
// empty list the DevTools dial is reported too.
func TestOriginExemptFlag(t *testing.T) {
	needModules(t)
	a := newAnalyzer()
	if err := a.Flags.Set("origin-exempt", "/json"); err != nil {
		t.Fatal(err)
	}
	res := analysistest.Run(&quiet{T: t}, fixture, a, "./devtools")
	var lines []int
	for _, r := range res {
		for _, d := range r.Diagnostics {
			lines = append(lines, r.Pass.Fset.Position(d.Pos).Line)
		}
	}
	if len(lines) != 1 || lines[0] != 9 {
		t.Errorf("with -origin-exempt=/json want only the devtools dial (line 9) reported, got lines %v", lines)
	}
}

// quiet lets a test inspect diagnostics that contradict the fixture's
// want comments (written for the default flags).
type quiet struct{ *testing.T }

func (q *quiet) Errorf(string, ...any) {}

func TestRulesMatchCategories(t *testing.T) {
	names := Rules().Names()
	want := []string{ruleNoOrigin, ruleHandKey, ruleManagedHeader, ruleOriginOff}
	if len(names) != len(want) {
		t.Fatalf("Rules() = %v, want %v", names, want)
	}
	for i, n := range want {
		if names[i] != n {
			t.Errorf("Rules()[%d] = %q, want %q", i, names[i], n)
		}
		r, _ := Rules().Lookup(n)
		if r.Half != "go" || r.Title == "" || r.Why == "" || r.Fix == "" || r.Bad == "" || r.Good == "" {
			t.Errorf("rule %s is missing documentation: %+v", n, r)
		}
	}
}

func TestSeverityOf(t *testing.T) {
	for _, tc := range []struct {
		d    analysis.Diagnostic
		want report.Severity
	}{
		{analysis.Diagnostic{Category: ruleNoOrigin, Message: "gorilla/websocket dial sends no Origin header"}, report.Warning},
		{analysis.Diagnostic{Category: ruleNoOrigin, Message: xnetEmptyOrigin + ": websocket.Dial fails"}, report.Error},
		{analysis.Diagnostic{Category: ruleHandKey}, report.Error},
		{analysis.Diagnostic{Category: ruleOriginOff}, report.Warning},
	} {
		if got := SeverityOf(tc.d); got != tc.want {
			t.Errorf("SeverityOf(%s: %q) = %v, want %v", tc.d.Category, tc.d.Message, got, tc.want)
		}
	}
}
