package main

import (
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
	return runConfigHalf("haproxy", analyzeHAProxy, args, e)
}

// analyzeHAProxy is the HAProxy half over paths, for its command and the gate.
func analyzeHAProxy(paths []string, nf nginxFlags, walks *repo.Walks) report.Result {
	return haproxycheck.Analyze(haproxycheck.Disk(paths), paths, repo.WalkOptions{Include: nf.include, Exclude: nf.exclude, Walks: walks})
}
