package main

import (
	"github.com/wscheck/wscheck/apachecheck"
	"github.com/wscheck/wscheck/repo"
	"github.com/wscheck/wscheck/report"
)

// apacheCommand is a function for the reason haproxyCommand is.
func apacheCommand() command {
	return command{
		name: "apache", usage: "wscheck apache [flags] PATH...",
		summary: "analyze Apache httpd configs that proxy (files or directories)",
		about: "Analyze Apache httpd configs as httpd reads them: sections, Include and IncludeOptional,\n" +
			"ProxyPass order, <Location> mappings, balancers and RewriteRule [P].\n" +
			"Every mapping that carries WebSockets, or a WebSocket path, is checked by every enabled rule.",
		args: []argDoc{{"PATH", "an httpd config or vhost file (read whatever its name, with what it includes), or a\n" +
			"directory to search for configs holding ProxyPass or RewriteRule [P]"}},
		examples: []string{
			"wscheck apache /etc/apache2/sites-available/app.conf",
			"wscheck apache --format json deploy/httpd/",
		},
		run: runApache,
	}
}

func runApache(args []string, e *env) int {
	return runConfigHalf("apache", analyzeApache, args, e)
}

// analyzeApache is the Apache half over paths, for its command and the gate.
func analyzeApache(paths []string, nf nginxFlags, walks *repo.Walks) report.Result {
	return apachecheck.Analyze(apachecheck.Disk(paths), paths, repo.WalkOptions{Include: nf.include, Exclude: nf.exclude, Walks: walks})
}
