package apachecheck

import (
	"cmp"
	"embed"
	"fmt"
	"slices"
	"strings"

	"github.com/wscheck/wscheck/report"
)

// Half is the name findings and rule docs of this package carry.
const Half = "apache"

type rule struct {
	doc   report.Rule
	check func(p *pass, c *context)
}

// The rule list, in `wscheck rules` order. Never rename or reuse a name.
var rules = []*rule{proxyPassOrder, noWebSocketUpgrade, hostNotPreserved}

//go:embed testdata/rules
var examples embed.FS

// Rules documents every Apache rule, with the bad and good examples the
// tests run.
func Rules() report.Rules {
	return report.HalfRules(Half, rules, func(r *rule) report.Rule { return r.doc }, examples, "testdata/rules", ".conf", report.WantAbove)
}

type pass struct {
	c *config
	report.Collector
}

func (p *pass) report(n *Node, reason, format string, args ...any) {
	p.Report(n.File, n.Line, n.Col, reason, format, args...)
}

// check runs every rule over one loaded tree and applies its ignores; it
// also counts the mappings judged as WebSocket, for the summary.
func check(t *Tree, balancers map[string][]string) ([]report.Finding, int) {
	c := buildConfig(t, balancers)
	judged := 0
	for _, ctx := range c.contexts {
		for _, m := range ctx.maps {
			if m.wsWhy != "" || wsPath(m.path) {
				judged++
			}
		}
	}
	var findings []report.Finding
	for _, r := range rules {
		p := &pass{c: c, Collector: report.Collector{Rule: r.doc, Findings: &findings}}
		for _, ctx := range c.contexts {
			r.check(p, ctx)
		}
	}
	slices.SortFunc(findings, func(a, b report.Finding) int { return cmp.Or(cmp.Compare(a.File, b.File), cmp.Compare(a.Line, b.Line)) })
	return report.ApplyIgnores(findings, collectIgnores(t)), judged
}

// collectIgnores reads "# wscheck:ignore RULE -- reason" lines (httpd
// allows comments only on lines of their own): each covers the next line,
// or the whole section that line opens.
func collectIgnores(t *Tree) []*report.Ignore {
	known := Rules()
	ends := map[string]int{}
	var walk func([]*Node)
	walk = func(ns []*Node) {
		for _, n := range ns {
			if n.Section {
				ends[fmt.Sprintf("%s:%d", n.File, n.Line)] = n.End
				walk(n.Children)
			}
		}
	}
	walk(t.Root)
	commentAt := map[string]bool{}
	for _, c := range t.Comments {
		commentAt[fmt.Sprintf("%s:%d", c.File, c.Line)] = true
	}
	var out []*report.Ignore
	for _, c := range t.Comments {
		spec, ok := strings.CutPrefix(c.Text, "wscheck:ignore")
		if !ok {
			continue
		}
		target := c.Line + 1 // the next line that is not a comment
		for commentAt[fmt.Sprintf("%s:%d", c.File, target)] {
			target++
		}
		ig := &report.Ignore{File: c.File, Line: c.Line, Col: 1, From: target, To: target}
		if end, ok := ends[fmt.Sprintf("%s:%d", c.File, target)]; ok {
			ig.To = end
		}
		ig.Rules, ig.Invalid = report.ParseIgnore(spec, known.Ignorable)
		out = append(out, ig)
	}
	return out
}
