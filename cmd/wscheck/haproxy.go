package main

import (
	"errors"

	"github.com/wscheck/wscheck/haproxycheck"
	"github.com/wscheck/wscheck/repo"
	"github.com/wscheck/wscheck/report"
)

// haproxyCommand is a function: a variable would refer to itself through
// runHAProxy's help.
func haproxyCommand() command {
	return command{
		name: "haproxy", usage: "wscheck haproxy [flags] PATH...",
		summary: "analyze HAProxy configs (files or directories)",
		about: "Analyze HAProxy configs as HAProxy reads them: defaults sections and \"from\",\n" +
			"frontend to backend routing, server lines with their default-server options.\n" +
			"Every mode http backend that receives WebSocket upgrades is checked by every enabled rule.",
		args: []argDoc{{"PATH", "an HAProxy config (read whatever its name), or a directory to search for\n" +
			"haproxy.cfg and other *.cfg files holding proxy sections"}},
		examples: []string{
			"wscheck haproxy /etc/haproxy/haproxy.cfg",
			"wscheck haproxy --format json deploy/",
		},
		run: runHAProxy,
	}
}

func runHAProxy(args []string, e *env) int {
	fs := newFlagSet("haproxy")
	var out outputFlags
	var nf nginxFlags // only its include/exclude, from .wscheck.yaml
	out.register(fs)
	if code, ok := parseFlags(fs, args, e); !ok {
		return code
	}
	if _, err := applyConfig(fs, e, &out, &nf); err != nil {
		return usageError(e, "haproxy", err)
	}
	failOn, sel, err := out.check()
	if err != nil {
		return usageError(e, "haproxy", err)
	}
	if fs.NArg() == 0 {
		return usageError(e, "haproxy", errors.New("want at least one PATH (a file or a directory)"))
	}
	return out.emit(e, analyzeHAProxy(fs.Args(), nf), failOn, sel)
}

// analyzeHAProxy is the HAProxy half over paths, for its command and the gate.
func analyzeHAProxy(paths []string, nf nginxFlags) report.Result {
	return haproxycheck.Analyze(haproxycheck.Disk(paths), paths, repo.WalkOptions{Include: nf.include, Exclude: nf.exclude})
}
