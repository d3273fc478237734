// Package analyzers is the one list of wscheck's go/analysis analyzers,
// shared by `wscheck go`, the wscheck-vet tool and the golangci-lint
// plugin, so the three always run the same checks.
package analyzers

import (
	"golang.org/x/tools/go/analysis"

	"github.com/wscheck/wscheck/gocheck"
)

// Suite is every analyzer wscheck runs on Go code.
var Suite = []*analysis.Analyzer{gocheck.Analyzer}
