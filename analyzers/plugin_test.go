package analyzers

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/golangci/plugin-module-register/register"
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/analysistest"
	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/packages"
	"gopkg.in/yaml.v3"
)

// golangciDir holds the files the README shows for golangci-lint and the
// fixture module they are tested on.
const golangciDir = "../testdata/integrations/golangci"

// readmeSettings returns linters.settings.custom.wscheck.settings of the
// README's .golangci.yml, as golangci-lint hands it to New.
func readmeSettings(t *testing.T) any {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(golangciDir, ".golangci.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var cfg struct {
		Version string
		Linters struct {
			Default  string
			Enable   []string
			Settings struct {
				Custom map[string]struct {
					Type     string
					Settings any
				}
			}
		}
	}
	if err := yaml.Unmarshal(data, &cfg); err != nil {
		t.Fatal(err)
	}
	custom, ok := cfg.Linters.Settings.Custom["wscheck"]
	if cfg.Version != "2" || !ok || custom.Type != "module" || !slices.Contains(cfg.Linters.Enable, "wscheck") {
		t.Fatalf(".golangci.yml: want version \"2\", linters.enable with wscheck and linters.settings.custom.wscheck.type module; got %+v", cfg)
	}
	return custom.Settings
}

// build returns the analyzers the plugin builds from conf, and restores
// the analyzers' flags when the test ends.
func build(t *testing.T, conf any) []*analysis.Analyzer {
	t.Helper()
	t.Cleanup(func() {
		for _, a := range Suite {
			if f := a.Flags.Lookup("origin-exempt"); f != nil {
				_ = f.Value.Set(f.DefValue)
			}
		}
	})
	newPlugin, err := register.GetPlugin("wscheck")
	if err != nil {
		t.Fatal(err)
	}
	p, err := newPlugin(conf)
	if err != nil {
		t.Fatal(err)
	}
	if got := p.GetLoadMode(); got != register.LoadModeTypesInfo {
		t.Errorf("GetLoadMode() = %q, want %q", got, register.LoadModeTypesInfo)
	}
	as, err := p.BuildAnalyzers()
	if err != nil {
		t.Fatal(err)
	}
	if len(as) != len(Suite) {
		t.Fatalf("BuildAnalyzers() gave %d analyzers, Suite has %d", len(as), len(Suite))
	}
	if err := analysis.Validate(as); err != nil {
		t.Fatal(err)
	}
	return as
}

// TestREADMEConfig runs the analyzers built from the README's settings on
// the fixture that the golangci-lint integration test lints: every line
// with a `// want` comment is reported, no other (the //nolint:wscheck line
// too, since only golangci-lint reads nolint comments).
func TestREADMEConfig(t *testing.T) {
	for _, a := range build(t, readmeSettings(t)) {
		analysistest.Run(t, filepath.Join(golangciDir, "fixture"), a, "./...")
	}
}

// fixturePackages loads the fixture once, tests included as golangci-lint
// loads them.
var fixturePackages = sync.OnceValues(func() ([]*packages.Package, error) {
	cfg := &packages.Config{
		Mode:  packages.LoadAllSyntax,
		Dir:   filepath.Join(golangciDir, "fixture"),
		Tests: true,
	}
	pkgs, err := packages.Load(cfg, "./...")
	if err == nil && packages.PrintErrors(pkgs) > 0 {
		err = errors.New("the fixture does not load")
	}
	return pkgs, err
})

// findings runs the analyzers on the fixture and returns
// "file:line: message" per finding.
func findings(t *testing.T, as []*analysis.Analyzer) []string {
	t.Helper()
	pkgs, err := fixturePackages()
	if err != nil {
		t.Fatal(err)
	}
	graph, err := checker.Analyze(as, pkgs, nil)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	var out []string
	for act := range graph.All() {
		// Dependencies are analyzed for their facts; golangci-lint
		// reports only the packages it was asked about.
		if !slices.Contains(as, act.Analyzer) || !act.IsRoot {
			continue
		}
		if act.Err != nil {
			t.Fatal(act.Err)
		}
		for _, d := range act.Diagnostics {
			pos := act.Package.Fset.Position(d.Pos)
			s := fmt.Sprintf("%s:%d: %s", filepath.Base(pos.Filename), pos.Line, d.Message)
			if !seen[s] { // the test variant of a package repeats its findings
				seen[s] = true
				out = append(out, s)
			}
		}
	}
	slices.Sort(out)
	return out
}

// lineOf returns "file:line" of the only line of the fixture's file that
// contains text.
func lineOf(t *testing.T, file, text string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(golangciDir, "fixture", file))
	if err != nil {
		t.Fatal(err)
	}
	var found []string
	for i, l := range strings.Split(string(data), "\n") {
		if strings.Contains(l, text) {
			found = append(found, fmt.Sprintf("%s:%d", file, i+1))
		}
	}
	if len(found) != 1 {
		t.Fatalf("%s: %d lines contain %q, want 1", file, len(found), text)
	}
	return found[0]
}

// lines returns "file:line" of each finding.
func lines(fs []string) []string {
	var out []string
	for _, f := range fs {
		file, rest, _ := strings.Cut(f, ":")
		line, _, _ := strings.Cut(rest, ":")
		out = append(out, file+":"+line)
	}
	return out
}

// TestSettings shows each setting changing what is reported, against the
// same fixture.
func TestSettings(t *testing.T) {
	var (
		noOrigin   = lineOf(t, "dial.go", "Dial(url, nil)")
		suppressed = lineOf(t, "dial.go", "Dial(url, http.Header{})")
		inspector  = lineOf(t, "dial.go", "9229/inspector")
		inTest     = lineOf(t, "dial_test.go", ".Dial(")
	)
	tests := []struct {
		name string
		conf any
		want []string
	}{
		{"no settings", nil, []string{noOrigin, suppressed, inspector}},
		{"README settings", readmeSettings(t), []string{noOrigin, suppressed}},
		{"empty origin-exempt", map[string]any{"origin-exempt": []any{}}, []string{noOrigin, suppressed, inspector}},
		{"tests", map[string]any{"tests": true}, []string{noOrigin, suppressed, inspector, inTest}},
		{"disable", map[string]any{"disable": []any{"dial-without-origin"}}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := findings(t, build(t, tt.conf))
			if !slices.Equal(lines(got), tt.want) {
				t.Errorf("findings:\n%s\nwant lines %v", strings.Join(got, "\n"), tt.want)
			}
			for _, f := range got {
				if !strings.Contains(f, ": dial-without-origin: ") {
					t.Errorf("finding does not start with its rule: %s", f)
				}
			}
		})
	}
}

func TestSettingsErrors(t *testing.T) {
	tests := []struct {
		conf any
		want string
	}{
		{map[string]any{"origin-exmept": []any{"/x/"}}, `unknown field "origin-exmept"`},
		{map[string]any{"tests": "yes"}, "cannot unmarshal string"},
		{map[string]any{"origin-exempt": "/devtools/"}, "cannot unmarshal string"},
		{map[string]any{"disable": []any{"dial-without-referer"}}, `unknown rule "dial-without-referer"`},
	}
	for _, tt := range tests {
		_, err := New(tt.conf)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("New(%v) error = %v, want one containing %q", tt.conf, err, tt.want)
		}
	}
}

// TestREADMESnippets keeps the README's golangci-lint snippets identical
// to the files the tests use: each file is shown in a fenced block right
// after a "<!-- file: PATH -->" line.
func TestREADMESnippets(t *testing.T) {
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{
		"testdata/integrations/golangci/.custom-gcl.yml",
		"testdata/integrations/golangci/.golangci.yml",
	} {
		want, err := os.ReadFile(filepath.Join("..", path))
		if err != nil {
			t.Fatal(err)
		}
		got, ok := snippet(string(readme), path)
		if !ok {
			t.Errorf("README.md: no <!-- file: %s --> followed by a fenced block", path)
			continue
		}
		if got != string(want) {
			t.Errorf("README.md's block for %s differs from the file:\n--- README\n%s--- file\n%s", path, got, want)
		}
	}
}

// snippet returns the body of the fenced block that follows the marker of
// path in readme.
func snippet(readme, path string) (string, bool) {
	_, after, ok := strings.Cut(readme, "<!-- file: "+path+" -->\n")
	if !ok {
		return "", false
	}
	fence, body, ok := strings.Cut(after, "\n")
	if !ok || !strings.HasPrefix(fence, "```") {
		return "", false
	}
	body, _, ok = strings.Cut(body, "\n```\n")
	if !ok {
		return "", false
	}
	return body + "\n", true
}
