// Command wscheck finds the mistakes that make WebSocket handshakes fail
// or leak, in nginx configs and in Go client code.
package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/wscheck/wscheck/report"
)

func main() {
	watchMemory(os.Getenv)
	os.Exit(run(os.Args[1:], newEnv()))
}

// env is what a subcommand may touch; tests build their own.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	cwd            string
	// getenv reads the environment (NO_COLOR); nil reads nothing.
	getenv func(string) string
}

func newEnv() *env {
	cwd, _ := os.Getwd()
	return &env{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, cwd: cwd, getenv: os.Getenv}
}

func (e *env) env(key string) string {
	if e.getenv == nil {
		return ""
	}
	return e.getenv(key)
}

// run dispatches to a subcommand. Anything else is the gate's flags and
// paths, so `wscheck deploy/` and `wscheck typo.conf` are both paths, and a
// missing one is reported as such.
func run(args []string, e *env) int {
	if len(args) == 0 {
		return runRepo(nil, e)
	}
	name := args[0]
	if c, ok := lookupCommand(name); ok && c.run != nil {
		return c.run(args[1:], e)
	}
	if name == "help" {
		return runHelp(args[1:], e)
	}
	if hint := commandTypo(name, e.cwd); hint != "" {
		fmt.Fprintf(e.stderr, "wscheck: %q is not a command (did you mean %q?); reading it as a path\n", name, hint)
	}
	return runRepo(args, e)
}

// runHelp is `wscheck help [COMMAND]`.
func runHelp(args []string, e *env) int {
	if len(args) == 0 {
		return runRepo([]string{"--help"}, e)
	}
	c, ok := lookupCommand(args[0])
	if !ok || c.run == nil || len(args) > 1 {
		return usageError(e, "help", fmt.Errorf("want one command name, one of %s", strings.Join(commandNames(), ", ")))
	}
	return c.run([]string{"--help"}, e)
}

func commandNames() []string {
	var names []string
	for _, c := range commands() {
		names = append(names, c.name)
	}
	return names
}

// commandTypo returns the command a missing path looks like a typo of
// ("ngnix", "rule"), or "".
func commandTypo(arg, cwd string) string {
	if arg == "" || strings.ContainsAny(arg, `-./\`) {
		return ""
	}
	p := arg
	if !filepath.IsAbs(p) {
		p = filepath.Join(cwd, p)
	}
	if _, err := os.Lstat(p); err == nil {
		return ""
	}
	for _, name := range commandNames() {
		if report.EditDistance(arg, name) <= 2 && len(arg) > 2 {
			return name
		}
	}
	return ""
}
