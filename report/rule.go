package report

import (
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"strings"
)

// Rule documents one rule. The same text serves `wscheck rules`,
// `wscheck explain`, the README table and SARIF rule descriptors.
type Rule struct {
	Name     string   // stable kebab-case ID; never renamed or reused
	Half     string   // "nginx", "haproxy", "apache", "k8s", "go", or EveryHalf
	Severity Severity // default severity
	Title    string   // one line, lowercase, no period
	Why      string   // what breaks at run time, and what was observed
	Fix      string   // how to fix it
	Bad      string   // an example that fires
	Good     string   // the same example, fixed
	Security bool     // a security weakness rather than a functional break
	// Off: not reported unless enabled by name (--enable, enable: in
	// .wscheck.yaml), for advice that not every deployment wants.
	Off bool
}

// EveryHalf is the Half of the suppression rules: every half reads
// wscheck:ignore comments with one contract (ApplyIgnores) and reports
// the ones that suppress nothing or are malformed.
const EveryHalf = "nginx,haproxy,apache,k8s,go"

// Halves lists the halves that report the rule.
func (r Rule) Halves() []string {
	if r.Half == "" {
		return nil
	}
	return strings.Split(r.Half, ",")
}

// Explain renders the full documentation of a rule as plain text.
func (r Rule) Explain() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s [%s, %s]\n\n%s\n\n%s\n", r.Name, strings.Join(r.Halves(), " and "), r.Severity, r.Title, strings.TrimSpace(r.Why))
	if r.Fix != "" {
		fmt.Fprintf(&b, "\nFix: %s\n", strings.TrimSpace(r.Fix))
	}
	if r.Bad != "" {
		fmt.Fprintf(&b, "\nBad:\n\n%s\n", indent(r.Bad))
	}
	if r.Good != "" {
		fmt.Fprintf(&b, "\nGood:\n\n%s\n", indent(r.Good))
	}
	return b.String()
}

func indent(s string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	for i, l := range lines {
		if l != "" {
			lines[i] = "    " + l
		}
	}
	return strings.Join(lines, "\n")
}

// Rules is a set of rule docs looked up by name.
type Rules []Rule

// Lookup finds a rule by name.
func (rs Rules) Lookup(name string) (Rule, bool) {
	i := slices.IndexFunc(rs, func(r Rule) bool { return r.Name == name })
	if i < 0 {
		return Rule{}, false
	}
	return rs[i], true
}

// Names lists the rule names in order.
func (rs Rules) Names() []string {
	names := make([]string, len(rs))
	for i, r := range rs {
		names[i] = r.Name
	}
	return names
}

// Selection enables and disables rules by name. Unknown names are an
// error so that a typo in --disable cannot silently keep a rule on.
type Selection struct {
	enabled  map[string]bool // nil: every rule that is on by default
	disabled map[string]bool
	off      map[string]bool // rules off by default and not named
}

// NewSelection validates the names against rules. An empty enable list
// means every rule that is on by default. A list that names only rules
// that are off by default adds them to those; a list naming any other rule
// is the exact set to run.
func NewSelection(rules Rules, enable, disable []string) (Selection, error) {
	s := Selection{disabled: map[string]bool{}, off: map[string]bool{}}
	for _, r := range rules {
		if r.Off {
			s.off[r.Name] = true
		}
	}
	check := func(flag string, names []string) error {
		for _, n := range names {
			if _, ok := rules.Lookup(n); !ok {
				return fmt.Errorf("%s: unknown rule %q (see `wscheck rules`)", flag, n)
			}
		}
		return nil
	}
	if err := check("--enable", enable); err != nil {
		return s, err
	}
	if err := check("--disable", disable); err != nil {
		return s, err
	}
	onlyOff := true
	for _, n := range enable {
		onlyOff = onlyOff && s.off[n]
	}
	switch {
	case len(enable) > 0 && onlyOff:
		for _, n := range enable {
			delete(s.off, n)
		}
	case len(enable) > 0:
		s.enabled = map[string]bool{}
		for _, n := range enable {
			s.enabled[n] = true
		}
	}
	for _, n := range disable {
		s.disabled[n] = true
	}
	return s, nil
}

// Enabled reports whether findings of the rule are kept.
func (s Selection) Enabled(rule string) bool {
	if s.disabled[rule] {
		return false
	}
	if s.enabled == nil {
		return !s.off[rule]
	}
	return s.enabled[rule]
}

// Filter keeps the findings of enabled rules.
func (s Selection) Filter(r *Result) {
	r.Findings = slices.DeleteFunc(r.Findings, func(f Finding) bool { return !s.Enabled(f.Rule) })
}

// WithExamples fills r's Bad and Good from the fixtures the tests run,
// dir/NAME/bad.EXT and good.EXT in fsys, with the tests' expectations
// (what want matches) taken out of the bad one.
func (r Rule) WithExamples(fsys fs.FS, dir, ext string, want *regexp.Regexp) Rule {
	if b, err := fs.ReadFile(fsys, path.Join(dir, r.Name, "bad"+ext)); err == nil {
		r.Bad = want.ReplaceAllString(string(b), "")
	}
	if b, err := fs.ReadFile(fsys, path.Join(dir, r.Name, "good"+ext)); err == nil {
		r.Good = string(b)
	}
	return r
}

// The inline expectations of the proxy halves' fixtures (see
// report/reporttest), taken out of the examples WithExamples documents:
// WantTrailing at the end of the line a finding points at (HAProxy,
// YAML), WantAbove alone on the line above it (httpd, which has no
// trailing comments).
var (
	WantTrailing = regexp.MustCompile(`[ \t]*# want(?:-error)? "[^"]*"(?: "[^"]*")*`)
	WantAbove    = regexp.MustCompile(`(?m)^[ \t]*# want(?:-error)? .*\n`)
)

// HalfRules documents a half's rules in list order: each rule's doc with
// the half's name and the bad and good examples of dir/NAME/{bad,good}ext
// in fsys (WithExamples, want taken out).
func HalfRules[R any](half string, rules []R, doc func(R) Rule, fsys fs.FS, dir, ext string, want *regexp.Regexp) Rules {
	out := make(Rules, 0, len(rules))
	for _, r := range rules {
		d := doc(r)
		d.Half = half
		out = append(out, d.WithExamples(fsys, dir, ext, want))
	}
	return out
}

// Ignorable reports a name a wscheck:ignore comment may name in a half
// with these rules: one of them, or the suppression rules themselves.
func (rs Rules) Ignorable(name string) bool {
	if name == UnusedIgnore || name == InvalidIgnore {
		return true
	}
	_, ok := rs.Lookup(name)
	return ok
}

// Collector gathers one rule's findings for a half's pass: one finding per
// spot (file, line, column), however many objects judged it there (a
// defaults section shared by many backends).
type Collector struct {
	Rule     Rule
	Findings *[]Finding
	seen     map[[3]string]bool
}

// Report adds a finding of the rule at a spot, unless it has one.
func (c *Collector) Report(file string, line, col int, reason, format string, args ...any) {
	k := [3]string{file, fmt.Sprint(line), fmt.Sprint(col)}
	if c.seen[k] {
		return
	}
	if c.seen == nil {
		c.seen = map[[3]string]bool{}
	}
	c.seen[k] = true
	*c.Findings = append(*c.Findings, Finding{Rule: c.Rule.Name, Severity: c.Rule.Severity, File: file,
		Line: line, Column: col, Message: fmt.Sprintf(format, args...), Reason: reason})
}
