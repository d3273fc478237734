package main

import (
	"fmt"
	"io"
	"os"
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

	color string // --color: auto, always or never

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
	fs.StringSliceVar(&o.enable, "enable", nil, "run only these rules (comma-separated); naming only rules that are off by default adds them to the rest")
	fs.StringSliceVar(&o.disable, "disable", nil, "do not report these rules (comma-separated)")
	fs.StringVar(&o.color, "color", "auto", "colour the text output: auto (on a terminal, unless NO_COLOR is set), always or never")
	fs.StringVar(&o.configFile, "config", "", "read this repository configuration instead of the nearest "+config.FileName)
	fs.BoolVar(&o.noConfig, "no-config", false, "read no "+config.FileName)
	fs.BoolVar(&o.verbose, "verbose", false, "also list every path map used and every proxy file not analyzed (text format, on stderr)")
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
	if !slices.Contains(colorModes, o.color) {
		return 0, report.Selection{}, fmt.Errorf("--color: unknown mode %q (want %s)", o.color, strings.Join(colorModes, ", "))
	}
	sel, err := report.NewSelection(allRules(), o.enable, o.disable)
	return failOn, sel, err
}

// emit filters, sorts and prints a result and returns the exit status.
// The status is the same in every format: a SARIF upload step that must
// not fail the job says so itself (`|| true`, or --fail-on).
func (o *outputFlags) emit(e *env, res report.Result, failOn report.Severity, sel report.Selection) int {
	o.process(e, &res, sel)
	var opts report.SARIFOptions
	if o.format == "sarif" || o.format == "github" {
		// Code scanning and annotations resolve paths from the
		// repository root, wherever wscheck ran.
		root := config.RepoRoot(e.cwd)
		report.Relocate(&res, e.cwd, root)
		v := readVersion()
		opts = report.SARIFOptions{Rules: allRules(), Version: v.String(), SemanticVersion: v.semantic(), ContentKey: report.SourceLineKeys(root)}
	}
	var err error
	if o.format == "text" {
		// Input errors go to stderr: a pipe of findings carries only
		// findings, and a broken run is visible on the terminal.
		err = report.WriteText(e.stdout, res, report.TextOptions{
			Color: o.useColor(e, e.stdout), Errors: e.stderr, ErrorsColor: o.useColor(e, e.stderr)})
	} else {
		err = report.Write(e.stdout, o.format, res, opts)
	}
	if err != nil {
		fmt.Fprintf(e.stderr, "wscheck: writing report: %v\n", err)
		return report.ExitBroken
	}
	if o.format == "text" {
		// Silence must mean "judged and clean": say what was judged.
		report.WriteSummary(e.stderr, res, o.verbose)
	}
	return res.ExitCode(failOn)
}

// process applies the rule selection, the configuration's severities and
// exclusions, and makes paths relative to the working directory. Running
// it twice changes nothing the second time.
func (o *outputFlags) process(e *env, res *report.Result, sel report.Selection) {
	sel.Filter(res)
	report.OverrideSeverity(res, o.severity)
	report.ExcludePaths(res, e.cwd, o.exclusions)
	res.Normalize(e.cwd)
}

var colorModes = []string{"auto", "always", "never"}

// useColor applies --color to the writer w.
func (o *outputFlags) useColor(e *env, w io.Writer) bool {
	return colorFor(o.color, e.env, isTerminal(w))
}

// colorFor decides: auto colours a terminal unless NO_COLOR is set to
// anything (https://no-color.org) or TERM is dumb; always and never are
// what they say, whatever the environment.
func colorFor(mode string, getenv func(string) string, terminal bool) bool {
	switch mode {
	case "always":
		return true
	case "never":
		return false
	}
	if getenv("NO_COLOR") != "" || getenv("TERM") == "dumb" {
		return false
	}
	return terminal
}

// isTerminal reports whether w is a character device, as a terminal is.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
