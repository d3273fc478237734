// Package analyzers is the one list of wscheck's go/analysis analyzers,
// shared by `wscheck go`, the wscheck-vet tool and the golangci-lint
// plugin, so the three always run the same checks.
package analyzers

import (
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/wscheck/wscheck/gocheck"
)

// Suite is every analyzer wscheck runs on Go code.
var Suite = []*analysis.Analyzer{gocheck.Analyzer}

// SetOriginExempt sets the origin-exempt option of every analyzer in Suite
// that has one, as its flag would: nil restores the default, an empty list
// exempts nothing. It reports whether any analyzer has the option. Every
// driver calls it, so the CLI, the vet tool and the plugin agree.
func SetOriginExempt(exempt []string) (bool, error) {
	found := false
	for _, a := range Suite {
		f := a.Flags.Lookup("origin-exempt")
		if f == nil {
			continue
		}
		v := f.DefValue
		if exempt != nil {
			v = strings.Join(exempt, ",")
		}
		if err := f.Value.Set(v); err != nil {
			return found, err
		}
		found = true
	}
	return found, nil
}
