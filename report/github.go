package report

import (
	"fmt"
	"io"
	"strings"
)

// WriteGitHub prints GitHub Actions workflow commands, one per finding
// and error, so a workflow step annotates the pull request without an
// upload. File paths should be relative to the repository root.
func WriteGitHub(w io.Writer, r Result) error {
	for _, e := range r.Errors {
		if err := githubCommand(w, "error", e.File, e.Line, e.Column, "wscheck", e.Message); err != nil {
			return err
		}
	}
	for _, f := range r.Findings {
		if err := githubCommand(w, githubLevel(f.Severity), f.File, f.Line, f.Column, f.Rule, withReason(f, "\n")); err != nil {
			return err
		}
	}
	return nil
}

func githubLevel(s Severity) string {
	switch s {
	case Error:
		return "error"
	case Warning:
		return "warning"
	}
	return "notice"
}

func githubCommand(w io.Writer, cmd, file string, line, col int, title, msg string) error {
	var props []string
	if file != "" {
		props = append(props, "file="+githubProperty(EscapeControl(file)))
	}
	if line > 0 {
		props = append(props, fmt.Sprintf("line=%d", line))
		if col > 0 {
			props = append(props, fmt.Sprintf("col=%d", col))
		}
	}
	props = append(props, "title="+githubProperty(title))
	_, err := fmt.Fprintf(w, "::%s %s::%s\n", cmd, strings.Join(props, ","), githubData(EscapeControl(msg)))
	return err
}

// githubData escapes a command's message the way the runner unescapes
// it: '%' first, so the escapes themselves survive, then line breaks,
// which would otherwise end the command.
var githubData = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace

// githubProperty also escapes ':' and ',', which separate properties.
var githubProperty = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace
