package analyzers

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/golangci/plugin-module-register/register"
	"golang.org/x/tools/go/analysis"

	"github.com/wscheck/wscheck/gocheck"
)

// The golangci-lint module plugin: a custom golangci-lint built with
// `golangci-lint custom` from a .custom-gcl.yml that imports this package
// runs Suite as the linter "wscheck" (see the README).
func init() {
	register.Plugin("wscheck", New)
}

// Settings are the plugin's settings, read from
// linters.settings.custom.wscheck.settings in .golangci.yml. Unknown keys
// are an error.
type Settings struct {
	// OriginExempt lists substrings of a constant dial URL whose dial needs
	// no Origin header, like `wscheck go -origin-exempt`. Absent, the
	// analyzer's default applies ("/devtools/"); [] exempts nothing.
	OriginExempt []string `json:"origin-exempt"`
	// Tests reports findings in _test.go files too. golangci-lint loads
	// tests by default (run.tests); like `wscheck go`, the plugin reports
	// nothing in them unless this is true.
	Tests bool `json:"tests"`
	// Disable lists rules (diagnostic categories, such as
	// dial-without-origin) not to report.
	Disable []string `json:"disable"`
}

// plugin is what golangci-lint asks for the analyzers.
type plugin struct {
	settings Settings
}

// New is the plugin's constructor; conf is the raw settings map from
// .golangci.yml (nil when there is none).
func New(conf any) (register.LinterPlugin, error) {
	s, err := register.DecodeSettings[Settings](conf)
	if err != nil {
		return nil, fmt.Errorf("wscheck settings: %w", err)
	}
	known := map[string]bool{}
	for _, r := range gocheck.Rules() {
		known[r.Name] = true
	}
	for _, name := range s.Disable {
		if !known[name] {
			return nil, fmt.Errorf("wscheck settings: disable: unknown rule %q", name)
		}
	}
	return &plugin{settings: s}, nil
}

// GetLoadMode asks golangci-lint for syntax and type information: the
// rules match calls by their callee's type.
func (p *plugin) GetLoadMode() string { return register.LoadModeTypesInfo }

// BuildAnalyzers returns Suite, each analyzer wrapped to apply the
// settings.
func (p *plugin) BuildAnalyzers() ([]*analysis.Analyzer, error) {
	// golangci-lint builds the analyzers once per process, so setting the
	// analyzer's own flag is the same as passing it on the command line.
	exemptSet, err := SetOriginExempt(p.settings.OriginExempt)
	if err != nil {
		return nil, fmt.Errorf("wscheck settings: origin-exempt: %w", err)
	}
	if p.settings.OriginExempt != nil && !exemptSet {
		return nil, errors.New("wscheck settings: origin-exempt: no analyzer has this option")
	}
	out := make([]*analysis.Analyzer, 0, len(Suite))
	for _, a := range Suite {
		out = append(out, p.wrap(a))
	}
	return out, nil
}

// wrap returns an analyzer like a whose diagnostics are filtered by the
// settings and carry their rule in the message, where golangci-lint, which
// drops a diagnostic's Category, shows it and exclusion rules can match it.
func (p *plugin) wrap(a *analysis.Analyzer) *analysis.Analyzer {
	w := *a
	w.Run = func(pass *analysis.Pass) (any, error) {
		inner := *pass
		inner.Report = func(d analysis.Diagnostic) {
			if slices.Contains(p.settings.Disable, d.Category) {
				return
			}
			if !p.settings.Tests && strings.HasSuffix(pass.Fset.Position(d.Pos).Filename, "_test.go") {
				return
			}
			if d.Category != "" {
				d.Message = d.Category + ": " + d.Message
			}
			pass.Report(d)
		}
		return a.Run(&inner)
	}
	return &w
}
