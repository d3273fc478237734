package nginxcheck

import (
	"maps"
	"slices"
	"strings"

	"github.com/wscheck/wscheck/nginxcheck/load"
	"github.com/wscheck/wscheck/report"
)

var unusedIgnore = &rule{
	doc: report.Rule{
		Name:     report.UnusedIgnore,
		Half:     report.EveryHalf,
		Severity: report.Warning,
		Title:    "a wscheck:ignore comment suppresses nothing",
		Why: `An ignore that no longer matches a finding hides nothing today but would silently
hide a future, different problem on that line; it usually means the problem was fixed
or the rule name is wrong.`,
		Fix: `Delete the comment, or correct the rule name.`,
	},
}

var invalidIgnore = &rule{
	doc: report.Rule{
		Name:     report.InvalidIgnore,
		Half:     report.EveryHalf,
		Severity: report.Warning,
		Title:    "a wscheck:ignore comment without a reason or with an unknown rule",
		Why: `Suppressions must say why ("# wscheck:ignore RULE -- reason" in nginx, HAProxy,
Apache and Kubernetes YAML files, "//wscheck:ignore RULE -- reason" in Go), so that a reviewer can
judge them later; an unknown rule name suppresses nothing. Such a comment does not
suppress anything.`,
		Fix: `Write "# wscheck:ignore RULE[,RULE] -- reason" (Go: "//wscheck:ignore ...") with names from "wscheck rules".`,
	},
}

const ignorePrefix = "wscheck:ignore"

// collectIgnores parses the ignore comments of files. A trailing comment
// covers its own line, a comment line the line below; either covers a
// whole block when that line opens one.
func collectIgnores(files []*load.File, known map[string]bool, blockEnd map[*load.File]map[int]int) []*report.Ignore {
	var out []*report.Ignore
	for _, f := range files {
		for _, l := range slices.Sorted(maps.Keys(f.Comments)) {
			c := f.Comments[l]
			if !strings.HasPrefix(c.Text, ignorePrefix) {
				continue
			}
			target := l
			if !c.Trailing {
				target = l + 1
			}
			ig := &report.Ignore{File: f.Path, Line: l, Col: 1, From: target, To: target}
			if end, ok := blockEnd[f][target]; ok {
				ig.To = end
			}
			ig.Rules, ig.Invalid = report.ParseIgnore(strings.TrimPrefix(c.Text, ignorePrefix), func(r string) bool { return known[r] })
			out = append(out, ig)
		}
	}
	return out
}
