package nginxcheck

import (
	"io"

	"github.com/wscheck/wscheck/report"
)

// Analyze loads every path (a file or a directory to search) and runs
// every rule. Errors for one file never hide findings of another.
func Analyze(paths []string, opts Options) report.Result {
	panic("TODO(loader): replaced in this session")
}

// AnalyzeDump analyzes the output of `nginx -T`.
func AnalyzeDump(r io.Reader, opts Options) report.Result {
	panic("TODO(loader): replaced in this session")
}

// Rules documents every nginx rule.
func Rules() report.Rules { return nil }
