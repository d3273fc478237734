package main

import (
	"errors"
	"fmt"
	"runtime/debug"
	"slices"
	"strings"

	"github.com/spf13/pflag"

	"github.com/wscheck/wscheck/cmd/internal/config"
	"github.com/wscheck/wscheck/report"
)

// outputFlags are the flags every analyzing subcommand shares, so that
// nginx, go and the repository gate filter and print the same way.
type outputFlags struct {
	format  string
	failOn  string
	enable  []string
	disable []string

	configFile string // --config
	noConfig   bool   // --no-config
	verbose    bool   // --verbose: list path maps and files not analyzed

	// From .wscheck.yaml only (see applyConfig).
	severity   map[string]report.Severity
	exclusions []report.PathExclusion
}

func (o *outputFlags) register(fs *pflag.FlagSet) {
	fs.StringVar(&o.format, "format", "text", "output format: "+strings.Join(report.Formats, ", "))
	fs.StringVar(&o.failOn, "fail-on", "warning", "lowest severity that makes the exit status 1: error, warning or info")
	fs.StringSliceVar(&o.enable, "enable", nil, "run only these rules (comma-separated)")
	fs.StringSliceVar(&o.disable, "disable", nil, "do not report these rules (comma-separated)")
	fs.StringVar(&o.configFile, "config", "", "read this repository configuration instead of the nearest "+config.FileName)
	fs.BoolVar(&o.noConfig, "no-config", false, "read no "+config.FileName)
	fs.BoolVarP(&o.verbose, "verbose", "v", false, "also list every path map used and every proxy file not analyzed (text format, on stderr)")
}

// check validates the flags before any work is done, so bad usage exits
// 2 without analyzing anything.
func (o *outputFlags) check() (report.Severity, report.Selection, error) {
	failOn, err := report.ParseSeverity(o.failOn)
	if err != nil {
		return 0, report.Selection{}, fmt.Errorf("--fail-on: %w", err)
	}
	if !slices.Contains(report.Formats, o.format) {
		return 0, report.Selection{}, fmt.Errorf("--format: unknown format %q (want %s)", o.format, strings.Join(report.Formats, ", "))
	}
	sel, err := report.NewSelection(allRules(), o.enable, o.disable)
	return failOn, sel, err
}

// emit filters, sorts and prints a result and returns the exit status.
// The status is the same in every format: a SARIF upload step that must
// not fail the job says so itself (`|| true`, or --fail-on).
func (o *outputFlags) emit(e *env, res report.Result, failOn report.Severity, sel report.Selection) int {
	sel.Filter(&res)
	report.OverrideSeverity(&res, o.severity)
	report.ExcludePaths(&res, e.cwd, o.exclusions)
	res.Normalize(e.cwd)
	var opts report.SARIFOptions
	if o.format == "sarif" || o.format == "github" {
		// Code scanning and annotations resolve paths from the
		// repository root, wherever wscheck ran.
		root := config.RepoRoot(e.cwd)
		report.Relocate(&res, e.cwd, root)
		opts = report.SARIFOptions{Rules: allRules(), Version: version(), ContentKey: report.SourceLineKeys(root)}
	}
	if err := report.Write(e.stdout, o.format, res, opts); err != nil {
		fmt.Fprintf(e.stderr, "wscheck: writing report: %v\n", err)
		return report.ExitBroken
	}
	if o.format == "text" {
		// Silence must mean "judged and clean": say what was judged.
		report.WriteSummary(e.stderr, res, o.verbose)
	}
	return res.ExitCode(failOn)
}

// version is the module version wscheck was built at, if known.
func version() string {
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return ""
}

// parseFlags parses args and reports usage errors the same way everywhere.
func parseFlags(fs *pflag.FlagSet, args []string, e *env) bool {
	fs.SetOutput(e.stderr)
	if err := fs.Parse(args); err != nil {
		if !errors.Is(err, pflag.ErrHelp) {
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
