package main

import (
	"github.com/spf13/pflag"

	"github.com/wscheck/wscheck/nginxcheck"
	"github.com/wscheck/wscheck/report"
)

// runRepo is the CI gate: every half over the given paths, one report and
// one exit status.
func runRepo(args []string, e *env) int {
	fs := pflag.NewFlagSet("wscheck", pflag.ContinueOnError)
	var out outputFlags
	var nf nginxFlags
	out.register(fs)
	nf.register(fs)
	if !parseFlags(fs, args, e) {
		return report.ExitBroken
	}
	if _, err := applyConfig(fs, e, &out, &nf); err != nil {
		return usageError(e, "", err)
	}
	failOn, sel, err := out.check()
	if err != nil {
		return usageError(e, "", err)
	}
	opts, err := nf.options()
	if err != nil {
		return usageError(e, "", err)
	}
	paths := fs.Args()
	if len(paths) == 0 {
		paths = []string{"."}
	}
	res := nginxcheck.Analyze(paths, opts)
	return out.emit(e, res, failOn, sel)
}
