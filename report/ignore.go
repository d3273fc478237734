package report

import (
	"fmt"
	"slices"
	"strings"
)

// The two rules every suppression comment can raise, in both halves.
const (
	UnusedIgnore  = "unused-ignore"
	InvalidIgnore = "invalid-ignore"
)

// Ignore is one "wscheck:ignore RULE[,RULE] -- reason" comment, nginx's
// "# ..." or Go's "//...". It covers the lines From..To of File.
type Ignore struct {
	File      string
	Line, Col int // of the comment
	From, To  int
	Rules     []string
	Invalid   string // why it suppresses nothing, if it is malformed
	used      bool
}

// ParseIgnore reads the text after "wscheck:ignore". A missing reason or an
// unknown rule makes the comment invalid: it then suppresses nothing.
func ParseIgnore(spec string, known func(string) bool) (rules []string, invalid string) {
	names, reason, hasReason := strings.Cut(spec, "--")
	for r := range strings.SplitSeq(names, ",") {
		if r = strings.TrimSpace(r); r != "" {
			rules = append(rules, r)
		}
	}
	switch {
	case len(rules) == 0:
		return nil, "wscheck:ignore names no rule: write \"wscheck:ignore RULE -- reason\""
	case !hasReason || strings.TrimSpace(reason) == "":
		return rules, "wscheck:ignore needs a reason after \" -- \": a suppression nobody can judge later is not accepted, so this one suppresses nothing"
	}
	for _, r := range rules {
		if !known(r) {
			return rules, fmt.Sprintf("wscheck:ignore names unknown rule %q (see wscheck rules), so it suppresses nothing", r)
		}
	}
	return rules, ""
}

// ApplyIgnores drops the findings valid ignores cover and reports every
// ignore that is invalid or suppressed nothing. It filters in place, so
// findings is not to be read afterwards.
func ApplyIgnores(findings []Finding, ignores []*Ignore) []Finding {
	kept := findings[:0] // filtered in place: every caller passes a slice of its own
	for _, f := range findings {
		covered := false
		for _, ig := range ignores {
			if ig.Invalid == "" && ig.File == f.File && f.Line >= ig.From && f.Line <= ig.To && slices.Contains(ig.Rules, f.Rule) {
				ig.used, covered = true, true
			}
		}
		if !covered {
			kept = append(kept, f)
		}
	}
	for _, ig := range ignores {
		switch {
		case ig.Invalid != "":
			kept = append(kept, Finding{Rule: InvalidIgnore, Severity: Warning, File: ig.File, Line: ig.Line, Column: ig.Col, Message: ig.Invalid})
		case !ig.used:
			kept = append(kept, Finding{Rule: UnusedIgnore, Severity: Warning, File: ig.File, Line: ig.Line, Column: ig.Col,
				Message: fmt.Sprintf("wscheck:ignore %s suppresses nothing here: delete it or correct the rule name", strings.Join(ig.Rules, ","))})
		}
	}
	return kept
}
