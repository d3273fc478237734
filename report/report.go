// Package report holds the one finding model that both halves of wscheck
// produce, the rule documentation that describes them, and the printers.
//
// It lives at the top level, below nginxcheck and gocheck, because both
// halves describe their rules with it; placing it in either half or in
// analyzers would make a dependency point outward.
package report

import (
	"cmp"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
)

// Severity orders findings; a higher value is more serious.
type Severity int

const (
	Info Severity = iota + 1
	Warning
	Error
)

func (s Severity) String() string {
	switch s {
	case Info:
		return "info"
	case Warning:
		return "warning"
	case Error:
		return "error"
	}
	return fmt.Sprintf("severity(%d)", int(s))
}

// ParseSeverity accepts the names String returns.
func ParseSeverity(s string) (Severity, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "info":
		return Info, nil
	case "warning":
		return Warning, nil
	case "error":
		return Error, nil
	}
	return 0, fmt.Errorf("unknown severity %q (want error, warning or info)", s)
}

// MarshalText makes severities print as words in JSON.
func (s Severity) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText is the inverse of MarshalText.
func (s *Severity) UnmarshalText(b []byte) error {
	v, err := ParseSeverity(string(b))
	if err != nil {
		return err
	}
	*s = v
	return nil
}

// Finding is one occurrence of a rule, at the place a user must edit.
type Finding struct {
	Rule     string   `json:"rule"`
	Severity Severity `json:"severity"`
	File     string   `json:"file"`
	Line     int      `json:"line"`
	Column   int      `json:"column"`
	Message  string   `json:"message"`
	// Reason says why the rule applies here, such as why a location was
	// judged a WebSocket location. Text prints it on a continuation line,
	// so the message line stays short.
	Reason string `json:"reason,omitempty"`
	// Fix is the repair --diff prints and --fix makes, when the rule has
	// one for this occurrence (see fix.go); NoFix says why a rule that
	// repairs gave this occurrence none, since a repair would be a guess.
	// Neither is printed in the findings' formats.
	Fix   *Fix   `json:"-"`
	NoFix string `json:"-"`
}

// FileError is input wscheck could not analyze: it is never a finding,
// and it always makes the run fail (exit 2).
type FileError struct {
	File    string `json:"file"`
	Line    int    `json:"line,omitempty"`
	Column  int    `json:"column,omitempty"`
	Message string `json:"message"`
}

func (e FileError) Error() string {
	return Position(e.File, e.Line, e.Column) + ": " + e.Message
}

// Position formats file:line:col, leaving out the parts that are unknown.
func Position(file string, line, col int) string {
	switch {
	case line <= 0:
		return file
	case col <= 0:
		return fmt.Sprintf("%s:%d", file, line)
	}
	return fmt.Sprintf("%s:%d:%d", file, line, col)
}

// Result is everything one run produced.
type Result struct {
	Findings []Finding   `json:"findings"`
	Errors   []FileError `json:"errors"`
	// Summary says what was judged, so that a clean run is told apart
	// from one that looked at nothing.
	Summary Summary `json:"summary"`
}

// Merge appends other's findings, errors and summary.
func (r *Result) Merge(other Result) {
	r.Findings = append(r.Findings, other.Findings...)
	r.Errors = append(r.Errors, other.Errors...)
	r.Summary.Merge(other.Summary)
}

// Normalize sorts by position and rule, drops exact duplicates (a file
// reached through two roots is reported once) and makes paths below
// base relative to it.
func (r *Result) Normalize(base string) {
	for i := range r.Findings {
		f := &r.Findings[i]
		f.File = relativeTo(base, f.File)
		if f.Fix != nil {
			fix := *f.Fix
			fix.Edits = slices.Clone(fix.Edits)
			for j := range fix.Edits {
				fix.Edits[j].File = relativeTo(base, fix.Edits[j].File)
			}
			f.Fix = &fix
		}
	}
	for i := range r.Errors {
		r.Errors[i].File = relativeTo(base, r.Errors[i].File)
	}
	slices.SortFunc(r.Findings, func(a, b Finding) int {
		return cmp.Or(cmp.Compare(a.File, b.File), cmp.Compare(a.Line, b.Line),
			cmp.Compare(a.Column, b.Column), cmp.Compare(a.Rule, b.Rule), cmp.Compare(a.Message, b.Message), cmp.Compare(a.Reason, b.Reason))
	})
	r.Findings = CompactFindings(r.Findings)
	slices.SortFunc(r.Errors, func(a, b FileError) int {
		return cmp.Or(cmp.Compare(a.File, b.File), cmp.Compare(a.Line, b.Line),
			cmp.Compare(a.Column, b.Column), cmp.Compare(a.Message, b.Message))
	})
	r.Errors = slices.Compact(r.Errors)
	r.Summary.normalize(base)
	if r.Findings == nil {
		r.Findings = []Finding{}
	}
	if r.Errors == nil {
		r.Errors = []FileError{}
	}
}

func relativeTo(base, file string) string {
	if base == "" || file == "" || file == "-" || !filepath.IsAbs(file) {
		return file
	}
	rel, err := filepath.Rel(base, file)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return file
	}
	return rel
}

// Exit statuses shared by every entry point.
const (
	ExitClean    = 0 // nothing at or above --fail-on
	ExitFindings = 1 // findings at or above --fail-on
	ExitBroken   = 2 // some input could not be analyzed, or bad usage
)

// ExitCode maps a result to the process exit status. Errors win over
// findings: a run that could not read all its input must not look clean.
func (r Result) ExitCode(failOn Severity) int {
	if len(r.Errors) > 0 {
		return ExitBroken
	}
	for _, f := range r.Findings {
		if f.Severity >= failOn {
			return ExitFindings
		}
	}
	return ExitClean
}
