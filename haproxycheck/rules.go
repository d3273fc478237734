package haproxycheck

import (
	"cmp"
	"embed"
	"slices"

	"github.com/wscheck/wscheck/report"
)

// Half is the name findings and rule docs of this package carry.
const Half = "haproxy"

// rule is one HAProxy rule: its documentation and its check of one
// backend (or listen section) that receives WebSocket upgrades.
type rule struct {
	doc       report.Rule
	onBackend func(p *pass, b wsBackend)
}

// The rule list, in `wscheck rules` order. Never rename or reuse a name.
var rules = []*rule{tunnelTimeout, backendH2}

//go:embed testdata/rules
var examples embed.FS

// Rules documents every HAProxy rule, with the bad and good examples the
// tests run.
func Rules() report.Rules {
	return report.HalfRules(Half, rules, func(r *rule) report.Rule { return r.doc }, examples, "testdata/rules", ".cfg", report.WantTrailing)
}

// pass is one rule over one file; a spot (a defaults line shared by many
// backends) is reported once.
type pass struct {
	c *config
	report.Collector
}

func (p *pass) report(d *Directive, line, col int, reason, format string, args ...any) {
	if d != nil {
		line, col = d.Line, d.Col
	}
	p.Report(p.c.file.Path, line, col, reason, format, args...)
}

// check runs every rule over one parsed file and applies its ignores.
func check(f *File) report.Result {
	c, errs := buildConfig(f)
	if len(errs) > 0 {
		return report.Result{Errors: errs}
	}
	var findings []report.Finding
	backends := c.wsBackends()
	for _, r := range rules {
		p := &pass{c: c, Collector: report.Collector{Rule: r.doc, Findings: &findings}}
		for _, b := range backends {
			r.onBackend(p, b)
		}
	}
	slices.SortFunc(findings, func(a, b report.Finding) int { return cmp.Compare(a.Line, b.Line) })
	res := report.Result{Findings: report.ApplyIgnores(findings, collectIgnores(f))}
	res.Summary.HAProxyBackends = len(backends)
	return res
}
