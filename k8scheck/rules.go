package k8scheck

import (
	"cmp"
	"embed"
	"slices"

	"github.com/wscheck/wscheck/report"
)

// Half is the name findings and rule docs of this package carry.
const Half = "k8s"

// rule is one Kubernetes rule: its documentation and its check of one
// Ingress or HTTPRoute object.
type rule struct {
	doc   report.Rule
	check func(p *pass, o *object)
}

// The rule list, in `wscheck rules` order. Never rename or reuse a name.
var rules = []*rule{annotationController, websocketTimeout, gatewayRouteTimeout}

//go:embed testdata/rules
var examples embed.FS

// Rules documents every Kubernetes rule, with the bad and good examples
// the tests run.
func Rules() report.Rules {
	return report.HalfRules(Half, rules, func(r *rule) report.Rule { return r.doc }, examples, "testdata/rules", ".yaml", report.WantTrailing)
}

// pass is one rule over one file.
type pass struct {
	file string
	report.Collector
}

func (p *pass) report(line, col int, reason, format string, args ...any) {
	p.Report(p.file, line, col, reason, format, args...)
}

// check runs every rule over the objects of one file.
func check(file string, objs []*object) []report.Finding {
	var findings []report.Finding
	for _, r := range rules {
		p := &pass{file: file, Collector: report.Collector{Rule: r.doc, Findings: &findings}}
		for _, o := range objs {
			r.check(p, o)
		}
	}
	slices.SortFunc(findings, func(a, b report.Finding) int {
		return cmp.Or(cmp.Compare(a.Line, b.Line), cmp.Compare(a.Column, b.Column), cmp.Compare(a.Rule, b.Rule))
	})
	return findings
}
