package load

import (
	"strings"

	"github.com/wscheck/wscheck/repo"
)

// Template neutralization (package repo) turns a templated config into
// nginx text of the same shape. It leaves two things the rules must not
// take at face value:
//
//   - a placeholder: every character of a template expression ({{ x }},
//     ${VAR}, %%var%%, <%= x %>) replaced by PlaceholderRune, so that it stays
//     one opaque word (or part of one) at the template's own line and column;
//   - a condition marker: a directive named MarkOpen, MarkElse or MarkEnd
//     where a template condition or loop opens, branches or closes at
//     statement level. Directives between MarkOpen and its MarkEnd exist
//     only when the template says so.
const (
	PlaceholderRune = repo.PlaceholderRune
	MarkOpen        = repo.MarkOpen
	MarkElse        = repo.MarkElse
	MarkEnd         = repo.MarkEnd
)

// IsPlaceholder reports whether a directive name or argument holds template
// text whose rendered value is unknown.
func IsPlaceholder(s string) bool { return strings.ContainsRune(s, PlaceholderRune) }

// IsMarker reports a condition marker directive.
func IsMarker(name string) bool { return name == MarkOpen || name == MarkElse || name == MarkEnd }
