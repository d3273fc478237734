package nginxcheck

import (
	"fmt"
	"slices"
	"strings"

	"github.com/wscheck/wscheck/nginxcheck/load"
	"github.com/wscheck/wscheck/report"
)

var unusedIgnore = &rule{
	doc: report.Rule{
		Name:     "unused-ignore",
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
		Name:     "invalid-ignore",
		Severity: report.Warning,
		Title:    "a wscheck:ignore comment without a reason or with an unknown rule",
		Why: `Suppressions must say why ("# wscheck:ignore RULE -- reason"), so that a reviewer can
judge them later; an unknown rule name suppresses nothing. Such a comment does not
suppress anything.`,
		Fix: `Write "# wscheck:ignore RULE[,RULE] -- reason" with names from "wscheck rules".`,
	},
}

const ignorePrefix = "wscheck:ignore"

// ignore is one parsed wscheck:ignore comment.
type ignore struct {
	file       *load.File
	line, col  int
	rules      []string
	from, to   int // the lines it covers
	used       bool
	invalidMsg string
}

// collectIgnores parses the ignore comments of files. A trailing comment
// covers its own line, a comment line the line below; either covers a
// whole block when that line opens one.
func collectIgnores(files []*load.File, known map[string]bool, blockEnd map[*load.File]map[int]int) []*ignore {
	var out []*ignore
	for _, f := range files {
		lines := make([]int, 0, len(f.Comments))
		for l := range f.Comments {
			lines = append(lines, l)
		}
		slices.Sort(lines)
		for _, l := range lines {
			c := f.Comments[l]
			if !strings.HasPrefix(c.Text, ignorePrefix) {
				continue
			}
			ig := &ignore{file: f, line: l, col: 1}
			spec, reason, hasReason := strings.Cut(strings.TrimSpace(strings.TrimPrefix(c.Text, ignorePrefix)), "--")
			for _, r := range strings.Split(strings.TrimSpace(spec), ",") {
				if r = strings.TrimSpace(r); r != "" {
					ig.rules = append(ig.rules, r)
				}
			}
			switch {
			case len(ig.rules) == 0:
				ig.invalidMsg = "wscheck:ignore names no rule: write \"# wscheck:ignore RULE -- reason\""
			case !hasReason || strings.TrimSpace(reason) == "":
				ig.invalidMsg = "wscheck:ignore needs a reason after \" -- \": a suppression nobody can judge later is not accepted, so this one suppresses nothing"
			default:
				for _, r := range ig.rules {
					if !known[r] {
						ig.invalidMsg = fmt.Sprintf("wscheck:ignore names unknown rule %q (see wscheck rules), so it suppresses nothing", r)
					}
				}
			}
			target := l
			if !c.Trailing {
				target = l + 1
			}
			ig.from, ig.to = target, target
			if end, ok := blockEnd[f][target]; ok {
				ig.to = end
			}
			out = append(out, ig)
		}
	}
	return out
}

// suppress drops findings covered by valid ignores and reports the ignores
// that are invalid or unused.
func suppress(findings []report.Finding, ignores []*ignore) []report.Finding {
	byFile := map[string][]*ignore{}
	for _, ig := range ignores {
		if ig.invalidMsg == "" {
			byFile[ig.file.Path] = append(byFile[ig.file.Path], ig)
		}
	}
	kept := findings[:0]
	for _, f := range findings {
		covered := false
		for _, ig := range byFile[f.File] {
			if f.Line >= ig.from && f.Line <= ig.to && slices.Contains(ig.rules, f.Rule) {
				ig.used = true
				covered = true
			}
		}
		if !covered {
			kept = append(kept, f)
		}
	}
	for _, ig := range ignores {
		switch {
		case ig.invalidMsg != "":
			kept = append(kept, ruleFinding(invalidIgnore, ig.file.Path, ig.line, ig.col, ig.invalidMsg))
		case !ig.used:
			kept = append(kept, ruleFinding(unusedIgnore, ig.file.Path, ig.line, ig.col,
				fmt.Sprintf("wscheck:ignore %s suppresses nothing here: delete it or correct the rule name", strings.Join(ig.rules, ","))))
		}
	}
	return kept
}

func ruleFinding(r *rule, file string, line, col int, msg string) report.Finding {
	return report.Finding{Rule: r.doc.Name, Severity: r.doc.Severity, File: file, Line: line, Column: col, Message: msg}
}
