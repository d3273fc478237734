package main

import (
	"fmt"

	"github.com/spf13/pflag"

	"github.com/wscheck/wscheck/report"
)

// outputFlags are the flags every analyzing subcommand shares, so that
// nginx, go and the repository gate filter and print the same way.
type outputFlags struct {
	format  string
	failOn  string
	enable  []string
	disable []string
}

func (o *outputFlags) register(fs *pflag.FlagSet) {
	fs.StringVar(&o.format, "format", "text", "output format: text or json")
	fs.StringVar(&o.failOn, "fail-on", "warning", "lowest severity that makes the exit status 1: error, warning or info")
	fs.StringSliceVar(&o.enable, "enable", nil, "run only these rules (comma-separated)")
	fs.StringSliceVar(&o.disable, "disable", nil, "do not report these rules (comma-separated)")
}

// check validates the flags before any work is done, so bad usage exits
// 2 without analyzing anything.
func (o *outputFlags) check() (report.Severity, report.Selection, error) {
	failOn, err := report.ParseSeverity(o.failOn)
	if err != nil {
		return 0, report.Selection{}, fmt.Errorf("--fail-on: %w", err)
	}
	switch o.format {
	case "text", "json":
	default:
		return 0, report.Selection{}, fmt.Errorf("--format: unknown format %q (want text or json)", o.format)
	}
	sel, err := report.NewSelection(allRules(), o.enable, o.disable)
	return failOn, sel, err
}

// emit filters, sorts and prints a result and returns the exit status.
func (o *outputFlags) emit(e *env, res report.Result, failOn report.Severity, sel report.Selection) int {
	sel.Filter(&res)
	res.Normalize(e.cwd)
	var err error
	switch o.format {
	case "json":
		err = report.WriteJSON(e.stdout, res)
	default:
		err = report.WriteText(e.stdout, res)
	}
	if err != nil {
		fmt.Fprintf(e.stderr, "wscheck: writing report: %v\n", err)
		return report.ExitBroken
	}
	return res.ExitCode(failOn)
}

// parseFlags parses args and reports usage errors the same way everywhere.
func parseFlags(fs *pflag.FlagSet, args []string, e *env) bool {
	fs.SetOutput(e.stderr)
	if err := fs.Parse(args); err != nil {
		if err != pflag.ErrHelp {
			fmt.Fprintf(e.stderr, "wscheck %s: %v\n", fs.Name(), err)
		}
		return false
	}
	return true
}

func usageError(e *env, cmd string, err error) int {
	fmt.Fprintf(e.stderr, "wscheck %s: %v\n", cmd, err)
	return report.ExitBroken
}
