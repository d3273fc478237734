// Command wscheck finds the mistakes that make WebSocket handshakes fail
// or leak, in nginx configs and in Go client code.
package main

import (
	"fmt"
	"io"
	"os"
	"strings"
)

func main() {
	os.Exit(run(os.Args[1:], newEnv()))
}

// env is what a subcommand may touch; tests build their own.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	cwd            string
}

func newEnv() *env {
	cwd, _ := os.Getwd()
	return &env{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, cwd: cwd}
}

type command struct {
	name, usage, summary string
	run                  func(args []string, e *env) int
}

// commands is the one list of subcommands; help is generated from it.
func commands() []command {
	return []command{
		{"nginx", "wscheck nginx [flags] PATH...", "analyze nginx configs (files, directories, or - for `nginx -T` output)", runNginx},
		{"go", "wscheck go [flags] [PACKAGES]", "analyze Go packages (default ./...) for websocket client and server mistakes", runGo},
		{"rules", "wscheck rules [--format text|markdown]", "list every rule with its severity", runRules},
		{"explain", "wscheck explain RULE", "print a rule's documentation with a bad and a good example", runExplain},
		{"config", "wscheck config init [FILE]", "write a commented starter .wscheck.yaml (never overwrites)", runConfig},
	}
}

func run(args []string, e *env) int {
	if len(args) == 0 {
		args = []string{"."}
	}
	name := args[0]
	for _, c := range commands() {
		if c.name == name {
			return c.run(args[1:], e)
		}
	}
	switch name {
	case "help", "-h", "--help":
		usage(e.stdout)
		return 0
	}
	if strings.HasPrefix(name, "-") || isPath(name) {
		return runRepo(args, e)
	}
	fmt.Fprintf(e.stderr, "wscheck: unknown command %q\n\n", name)
	usage(e.stderr)
	return 2
}

func isPath(s string) bool {
	_, err := os.Stat(s)
	return err == nil
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "wscheck: static checks for WebSocket handshakes that fail or leak")
	fmt.Fprintln(w, "\nUsage:")
	fmt.Fprintln(w, "  wscheck [flags] [PATH...]    both halves over a repository (default .)")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-28s %s\n", c.usage, c.summary)
	}
	fmt.Fprintln(w, "\nExit status: 0 clean, 1 findings at or above --fail-on, 2 input that could not be analyzed or bad usage.")
}
