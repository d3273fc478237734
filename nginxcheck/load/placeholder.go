package load

import (
	"regexp"
	"strings"

	"github.com/wscheck/wscheck/repo"
)

// Templated configs reach the loader neutralized (package repo): template
// expressions are words of PlaceholderRune, and template conditions between
// statements are marker directives.
const (
	PlaceholderRune = repo.PlaceholderRune
	MarkOpen        = repo.MarkOpen
	MarkElse        = repo.MarkElse
	MarkEnd         = repo.MarkEnd
)

// IsPlaceholder reports whether a directive name or argument holds template
// text whose rendered value is unknown.
func IsPlaceholder(s string) bool { return strings.ContainsRune(s, PlaceholderRune) }

var placeholderRun = regexp.MustCompile(string(PlaceholderRune) + "+")

// ShowPlaceholders writes each placeholder as <template> for messages, so a
// location such as "/{{ path }}/" reads "/<template>/".
func ShowPlaceholders(s string) string {
	if !IsPlaceholder(s) {
		return s
	}
	return placeholderRun.ReplaceAllString(s, "<template>")
}
