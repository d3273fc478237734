package main

import (
	"errors"

	"github.com/wscheck/wscheck/repo"
	"github.com/wscheck/wscheck/report"
)

// runConfigHalf is a proxy half's command (haproxy, apache, k8s): the shared
// output flags and .wscheck.yaml, then analyze over the PATH arguments.
func runConfigHalf(name string, analyze func(paths []string, nf nginxFlags, walks *repo.Walks) report.Result, args []string, e *env) int {
	fs := newFlagSet(name)
	var out outputFlags
	var nf nginxFlags // only its include/exclude, from .wscheck.yaml
	out.register(fs)
	if code, ok := parseFlags(fs, args, e); !ok {
		return code
	}
	if _, err := applyConfig(fs, e, &out, &nf); err != nil {
		return usageError(e, name, err)
	}
	failOn, sel, err := out.check()
	if err != nil {
		return usageError(e, name, err)
	}
	if fs.NArg() == 0 {
		return usageError(e, name, errors.New("want at least one PATH (a file or a directory)"))
	}
	return out.emit(e, analyze(fs.Args(), nf, nil), failOn, sel)
}
