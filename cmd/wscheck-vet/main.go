// Command wscheck-vet runs wscheck's Go analyzers under go vet:
//
//	go vet -vettool=$(which wscheck-vet) ./...
//
// Analyzer flags are passed through go vet, e.g.
// -wscheck.origin-exempt=/devtools/,/cdp/. go vet analyzes _test.go files
// as part of each package; findings cannot be suppressed with
// //wscheck:ignore here (that is the standalone tool's contract).
package main

import (
	"golang.org/x/tools/go/analysis/unitchecker"

	"github.com/wscheck/wscheck/analyzers"
)

func main() { unitchecker.Main(analyzers.Suite...) }
