package main

import (
	"fmt"
	"io"
	"regexp"
	"strconv"

	"github.com/spf13/pflag"

	"github.com/wscheck/wscheck/nginxcheck"
	"github.com/wscheck/wscheck/report"
)

// A location position is FILE:LINE; rule names never hold a colon.
var positionArg = regexp.MustCompile(`^(.+):([0-9]+)$`)

// runExplainLocation is `wscheck explain FILE:LINE`: the effective
// configuration of the location at that line, with its findings.
func runExplainLocation(fs *pflag.FlagSet, out *outputFlags, nf *nginxFlags, e *env, arg string) int {
	m := positionArg.FindStringSubmatch(arg)
	line, err := strconv.Atoi(m[2])
	if err != nil || line < 1 {
		return usageError(e, "explain", fmt.Errorf("%s: want FILE:LINE with a line number from 1", arg))
	}
	vo, failOn, sel, code, ok := viewOptions(fs, out, nf, e, "explain")
	if !ok {
		return code
	}
	v := nginxcheck.ExplainAt(m[1], line, vo)
	return emitView(e, out, v, failOn, sel, nginxcheck.WriteExplainText)
}

// runLocations is `wscheck nginx --locations PATH...`.
func runLocations(fs *pflag.FlagSet, out *outputFlags, nf *nginxFlags, e *env) int {
	vo, failOn, sel, code, ok := viewOptions(fs, out, nf, e, "nginx")
	if !ok {
		return code
	}
	for _, p := range fs.Args() {
		if p == "-" {
			return usageError(e, "nginx", fmt.Errorf("--locations reads files and directories, not - (write the nginx -T dump to a file)"))
		}
	}
	v := nginxcheck.Inventory(fs.Args(), vo)
	return emitView(e, out, v, failOn, sel, nginxcheck.WriteInventoryText)
}

// viewOptions checks the flags the views share with `wscheck nginx`, after
// .wscheck.yaml has filled what the command line left out.
func viewOptions(fs *pflag.FlagSet, out *outputFlags, nf *nginxFlags, e *env, cmd string) (vo nginxcheck.ViewOptions, failOn report.Severity, sel report.Selection, code int, ok bool) {
	if _, err := applyConfig(fs, e, out, nf); err != nil {
		return vo, 0, sel, usageError(e, cmd, err), false
	}
	if out.format != "text" && out.format != "json" {
		return vo, 0, sel, usageError(e, cmd, fmt.Errorf("--format: the effective configuration is written as text or json, not %q", out.format)), false
	}
	failOn, sel, err := out.check()
	if err != nil {
		return vo, 0, sel, usageError(e, cmd, err), false
	}
	opts, err := nf.options(e.cwd)
	if err != nil {
		return vo, 0, sel, usageError(e, cmd, err), false
	}
	opts.Enable = out.enable
	// Paths resolve against the process's directory, as in `wscheck nginx`.
	return nginxcheck.ViewOptions{Options: opts, Tree: nf.tree, Base: e.cwd}, failOn, sel, 0, true
}

// emitView filters each location's findings as `wscheck nginx` filters a
// report, prints the view and returns the exit status of those findings.
func emitView(e *env, out *outputFlags, v nginxcheck.View, failOn report.Severity, sel report.Selection, text func(w io.Writer, v nginxcheck.View) error) int {
	all := report.Result{Errors: v.Errors}
	for _, l := range v.Locations {
		r := report.Result{Findings: l.Findings}
		sel.Filter(&r)
		report.OverrideSeverity(&r, out.severity)
		report.ExcludePaths(&r, e.cwd, out.exclusions)
		if r.Findings == nil {
			r.Findings = []report.Finding{}
		}
		l.Findings = r.Findings
		all.Findings = append(all.Findings, r.Findings...)
	}
	var err error
	if out.format == "json" {
		err = nginxcheck.WriteExplainJSON(e.stdout, v)
	} else {
		if len(v.Errors) > 0 {
			err = report.WriteText(e.stderr, report.Result{Errors: v.Errors}, report.TextOptions{Color: out.useColor(e, e.stderr)})
		}
		if err == nil {
			err = text(e.stdout, v)
		}
	}
	if err != nil {
		fmt.Fprintf(e.stderr, "wscheck: writing the view: %v\n", err)
		return report.ExitBroken
	}
	return all.ExitCode(failOn)
}
