package nginxcheck

import (
	"embed"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/wscheck/wscheck/nginxcheck/load"
	"github.com/wscheck/wscheck/report"
)

// rule is one nginx rule: its documentation and its check. A rule either
// judges WebSocket locations one at a time or looks at the whole tree.
type rule struct {
	doc        report.Rule
	onLocation func(p *pass, ws *wsLocation)
	onTree     func(p *pass)
}

// The rule list; order is the order of `wscheck rules`. Never rename or
// reuse a name: users write them in ignore comments and configs.
var rules = []*rule{
	missingHTTPVersion,
	missingUpgradeHeader,
	missingConnectionHeader,
	droppedInheritedHeaders,
	brokenUpgradeMap,
	closeMapDisablesKeepalive,
	undefinedVariable,
	connectionFromClient,
	connectionUpgradeOnPlainRequests,
	upgradeNotRestricted,
	hostNotForwarded,
	hostDropsPort,
	forwardedHostPort,
	emptyHostOnHTTP3,
	shortReadTimeout,
	unresolvedInclude,
	unusedIgnore,
	invalidIgnore,
}

//go:embed testdata/rules
var examples embed.FS

// Rules documents every nginx rule, with its bad and good example read
// from the fixtures the tests run.
func Rules() report.Rules {
	out := make(report.Rules, 0, len(rules))
	for _, r := range rules {
		d := r.doc
		if d.Half == "" { // the suppression rules name both halves
			d.Half = "nginx"
		}
		out = append(out, d.WithExamples(examples, "testdata/rules", ".conf", wantComment))
	}
	return out
}

// pass is one rule run over one model.
type pass struct {
	m        *model
	opts     Options
	complete bool // a whole nginx.conf with every include read
	findings *[]report.Finding
	rule     *rule
	srcs     *sources
	// snippetFixes: the included files each repair edits (see repair).
	snippetFixes map[*report.Fix][]string
	messages     map[string]string // see analysis.messages
}

func (p *pass) report(n *load.Node, format string, args ...any) {
	msg, reason, _ := strings.Cut(load.ShowPlaceholders(fmt.Sprintf(format, args...)), reasonMark)
	// The message is kept once per distinct text and the reason (it names
	// a line, so it rarely repeats) on its own: neither holds the other.
	if kept, ok := p.messages[msg]; ok {
		msg, reason = kept, strings.Clone(reason)
	} else if p.messages != nil { // nil for explain, which keeps few
		msg, reason = strings.Clone(msg), strings.Clone(reason)
		p.messages[msg] = msg
	}
	*p.findings = append(*p.findings, report.Finding{
		Rule:     p.rule.doc.Name,
		Severity: p.rule.doc.Severity,
		File:     n.File.Path,
		Line:     n.Line,
		Column:   int(n.Col),
		Message:  msg,
		Reason:   reason,
	})
}

// reasonMark separates a message from its reason inside a rule's format
// string, so a rule keeps writing its finding as one Sprintf ending in
// because(ws) and report moves the reason into Finding.Reason.
const reasonMark = "\x00reason:"

// because is the reason every WebSocket finding carries; it must end the
// message given to report.
func because(ws *wsLocation) string {
	return reasonMark + "judged a WebSocket location because " + ws.reason
}

// runRules applies every rule to a model, appending to out, and calls judged with each
// location it judged as WebSocket, for the summary. Tree rules run first,
// then every location rule on one location after the other, so that a
// location's judgement is let go once its rules ran (a large config has
// tens of thousands). For each rule the findings keep their order.
func runRules(out []report.Finding, m *model, opts Options, complete bool, a *analysis, judged func(*wsLocation)) []report.Finding {
	var onLocation []*pass
	for _, r := range rules {
		if r.doc.Off && !slices.Contains(opts.Enable, r.doc.Name) {
			continue
		}
		p := &pass{m: m, opts: opts, complete: complete, findings: &out, rule: r, srcs: a.srcs, snippetFixes: a.snippetFixes, messages: a.messages}
		if r.onTree != nil {
			r.onTree(p)
		}
		if r.onLocation != nil {
			onLocation = append(onLocation, p)
		}
	}
	m.eachWebSocketLocation(func(w *wsLocation) {
		for _, p := range onLocation {
			p.rule.onLocation(p, w)
		}
		if judged != nil {
			judged(w)
		}
	})
	return out
}

var wantComment = regexp.MustCompile(` *# want(-error)? "[^\n]*`)
