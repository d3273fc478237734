package main

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/pflag"

	"github.com/wscheck/wscheck/report"
)

// gateName is the name the repository gate (`wscheck [PATH...]`) uses
// for its flag set and its help.
const gateName = "wscheck"

// command is one subcommand; its help is generated from these fields and
// its flag set.
type command struct {
	name     string
	usage    string // the usage line
	summary  string // one line, for the command list
	about    string // what it does, for its own help
	args     []argDoc
	examples []string
	run      func(args []string, e *env) int
}

type argDoc struct{ name, doc string }

// commands is the one list of subcommands; help is generated from it.
func commands() []command {
	return []command{
		{
			name: "nginx", usage: "wscheck nginx [flags] PATH...",
			summary: "analyze nginx configs (files, directories, or - for `nginx -T` output)",
			about: "Analyze nginx configs as nginx reads them: includes, inheritance, fragments.\n" +
				"Every proxying location judged a WebSocket location is checked by every enabled rule.",
			args: []argDoc{{"PATH", "a root config and everything it includes, a fragment (a file of server or\n" +
				"location blocks), a directory to search for configs, or - to read `nginx -T`\n" +
				"output from standard input"}},
			examples: []string{
				"wscheck nginx /etc/nginx/nginx.conf",
				"wscheck nginx --nginx-version 1.26.3 ./deploy",
				"nginx -T | wscheck nginx -",
				"wscheck nginx --tree . conf.d/app.conf",
				"wscheck nginx --locations --format json ./deploy",
				"wscheck nginx --diff ./deploy | patch -p0",
				"wscheck nginx --fix ./deploy",
			},
			run: runNginx,
		},
		haproxyCommand(),
		apacheCommand(),
		k8sCommand(),
		{
			name: "go", usage: "wscheck go [flags] [PACKAGES]",
			summary: "analyze Go packages (default ./...) for websocket client and server mistakes",
			about:   "Analyze Go packages with the wscheck go/analysis pass (the rules of the go half).",
			args:    []argDoc{{"PACKAGES", "go list patterns, resolved in the working directory's module (default ./...)"}},
			examples: []string{
				"wscheck go",
				"wscheck go --tests ./internal/...",
				"wscheck go --format json ./cmd/... > findings.json",
				"wscheck go --diff ./... | git apply   # the mechanical repairs, reviewed as a diff",
			},
			run: runGo,
		},
		{
			name: "rules", usage: "wscheck rules [flags]",
			summary:  "list every rule with its half and severity",
			about:    "List every rule: name, the halves that report it (nginx, haproxy, apache, k8s, go), default severity, title.",
			examples: []string{"wscheck rules", "wscheck rules --format markdown"},
			run:      runRules,
		},
		{
			name: "explain", usage: "wscheck explain [flags] RULE | FILE:LINE",
			summary: "print a rule's documentation, or the effective config of the location at FILE:LINE",
			about: "With RULE: print its documentation: what breaks, how to fix it, a bad and a good example.\n" +
				"With FILE:LINE: print the location holding that line as nginx uses it: the requests it\n" +
				"matches, whether it is judged a WebSocket location and why, its effective proxy settings\n" +
				"(proxy_pass, proxy_http_version, timeouts, every proxy_set_header sent, with where each\n" +
				"comes from), what its Upgrade/Connection/Host variables evaluate to in a browser's\n" +
				"handshake, and its findings. The flags apply to this form; the exit status is that of\n" +
				"`wscheck nginx` for its findings.",
			args: []argDoc{
				{"RULE", "a rule name, as `wscheck rules` lists them"},
				{"FILE:LINE", "a location's line, or any line inside its block (or of a snippet it includes)"},
			},
			examples: []string{
				"wscheck explain missing-upgrade-header",
				"wscheck explain conf.d/app.conf:12",
				"wscheck explain --tree . --format json snippets/ws.conf:3",
			},
			run: runExplain,
		},
		probeCommand(),
		{
			name: "config", usage: "wscheck config init [FILE]",
			summary: "write a commented starter .wscheck.yaml (never overwrites)",
			about:   "Write a commented starter repository configuration. An existing file is never overwritten.",
			args: []argDoc{
				{"init", "the only action: write the starter file"},
				{"FILE", "where to write it (default .wscheck.yaml in the working directory)"},
			},
			examples: []string{"wscheck config init"},
			run:      runConfig,
		},
		{
			name: "version", usage: "wscheck version",
			summary:  "print the version wscheck was built at",
			about:    "Print the module version, or the VCS revision of a checkout build, and the Go version.",
			examples: []string{"wscheck version", "wscheck --version"},
			run:      runVersion,
		},
	}
}

// gate describes `wscheck [flags] [PATH...]`, the CI gate.
var gate = command{
	name: gateName, usage: "wscheck [flags] [PATH...]",
	about: "wscheck: static checks for WebSocket handshakes that fail or leak.\n\n" +
		"Without a command, wscheck is the CI gate: the nginx, HAProxy and Apache httpd configs\n" +
		"and every Go module under each PATH, in one report with one exit status.",
	args: []argDoc{{"PATH", "a file or directory (default .): nginx configs are found as `wscheck nginx DIR`\n" +
		"finds them, and ./... is analyzed in every directory holding a go.mod"}},
	examples: []string{
		"wscheck .",
		"wscheck --format sarif . > wscheck.sarif",
		"wscheck --fail-on error deploy/ services/",
	},
}

func lookupCommand(name string) (command, bool) {
	if name == gateName {
		return gate, true
	}
	for _, c := range commands() {
		if c.name == name {
			return c, true
		}
	}
	return command{}, false
}

// prog names a command in messages: "wscheck" or "wscheck nginx".
func prog(name string) string {
	if name == "" || name == gateName {
		return gateName
	}
	return gateName + " " + name
}

// newFlagSet makes a command's flag set with -h/--help; the gate's also
// has -v/--version.
func newFlagSet(name string) *pflag.FlagSet {
	fs := pflag.NewFlagSet(name, pflag.ContinueOnError)
	fs.SortFlags = true
	fs.BoolP("help", "h", false, "show this help")
	if name == gateName {
		fs.BoolP("version", "v", false, "print the version and exit")
	}
	return fs
}

// parseFlags parses args. When it returns false the command is done and
// exits with code: 0 after --help or --version, 2 after bad usage.
func parseFlags(fs *pflag.FlagSet, args []string, e *env) (code int, ok bool) {
	fs.SetOutput(io.Discard) // every message below is ours
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, pflag.ErrHelp) { // a flag set made without newFlagSet
			writeHelp(e.stdout, fs)
			return report.ExitClean, false
		}
		fmt.Fprintf(e.stderr, "%s: %v\nRun '%s --help' for usage.\n", prog(fs.Name()), err, prog(fs.Name()))
		return report.ExitBroken, false
	}
	if set, _ := fs.GetBool("help"); set {
		writeHelp(e.stdout, fs)
		return report.ExitClean, false
	}
	if set, _ := fs.GetBool("version"); set {
		fmt.Fprintln(e.stdout, readVersion().long())
		return report.ExitClean, false
	}
	return 0, true
}

func usageError(e *env, cmd string, err error) int {
	fmt.Fprintf(e.stderr, "%s: %v\n", prog(cmd), err)
	return report.ExitBroken
}

// writeHelp prints a command's help: usage line, what it does, its
// arguments, its flags and examples, in the layout of golangci-lint and
// hadolint.
func writeHelp(w io.Writer, fs *pflag.FlagSet) {
	c, ok := lookupCommand(fs.Name())
	if !ok {
		c = command{name: fs.Name(), usage: prog(fs.Name()) + " [flags]"}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "Usage: %s\n", c.usage)
	if c.about != "" {
		fmt.Fprintf(&b, "\n%s\n", c.about)
	}
	if c.name == gateName {
		b.WriteString("\nCommands:\n")
		for _, sub := range commands() {
			fmt.Fprintf(&b, "  %-9s %s\n", sub.name, sub.summary)
		}
		fmt.Fprintf(&b, "  %-9s %s\n", "help", "show the help of wscheck or of a command")
	}
	if len(c.args) > 0 {
		b.WriteString("\nArguments:\n")
		width := 0
		for _, a := range c.args {
			width = max(width, len(a.name))
		}
		for _, a := range c.args {
			lines := strings.Split(a.doc, "\n")
			fmt.Fprintf(&b, "  %-*s  %s\n", width, a.name, lines[0])
			for _, l := range lines[1:] {
				fmt.Fprintf(&b, "  %-*s  %s\n", width, "", l)
			}
		}
	}
	fmt.Fprintf(&b, "\nFlags:\n%s", fs.FlagUsagesWrapped(100))
	if len(c.examples) > 0 {
		b.WriteString("\nExamples:\n")
		for _, ex := range c.examples {
			fmt.Fprintf(&b, "  %s\n", ex)
		}
	}
	if c.name == gateName {
		b.WriteString("\nRun 'wscheck COMMAND --help' for a command's arguments and flags.\n" +
			"Exit status: 0 clean, 1 findings at or above --fail-on, 2 input that could not be\n" +
			"analyzed, or bad usage.\n")
	}
	_, _ = io.WriteString(w, b.String())
}
