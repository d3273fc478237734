package haproxycheck

import (
	"strings"

	"github.com/wscheck/wscheck/report"
)

const ignorePrefix = "wscheck:ignore"

// collectIgnores reads "# wscheck:ignore RULE -- reason" comments, with the
// nginx half's contract: a trailing comment covers its line, a comment
// alone on a line the line below, and a whole section when that line opens
// one.
func collectIgnores(f *File) []*report.Ignore {
	known := Rules()
	var out []*report.Ignore
	for _, c := range f.Comments {
		if !strings.HasPrefix(c.Text, ignorePrefix) {
			continue
		}
		target := c.Line
		if !c.Trailing {
			target++
		}
		ig := &report.Ignore{File: f.Path, Line: c.Line, Col: c.Col, From: target, To: target}
		for _, s := range f.Sections {
			if s.Line == target {
				ig.To = s.End
			}
		}
		ig.Rules, ig.Invalid = report.ParseIgnore(strings.TrimPrefix(c.Text, ignorePrefix), known.Ignorable)
		out = append(out, ig)
	}
	return out
}
