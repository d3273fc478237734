package report

import (
	"fmt"
	"io"
)

// TextOptions steer the text layout.
type TextOptions struct {
	// Color adds ANSI colour (severity, position, rule) to the findings;
	// the caller decides (--color, NO_COLOR, a terminal).
	Color bool
	// Errors receives input errors; nil prints them to the findings'
	// writer. The CLI passes stderr, so piped findings stay findings.
	Errors io.Writer
	// ErrorsColor colours the input errors. It is decided apart from
	// Color: in `wscheck . | less` stderr is still the terminal.
	ErrorsColor bool
}

// ANSI SGR sequences the text layout uses.
const (
	sgrReset  = "\x1b[0m"
	sgrBold   = "\x1b[1m"
	sgrDim    = "\x1b[2m"
	sgrRed    = "\x1b[1;31m"
	sgrYellow = "\x1b[1;33m"
	sgrCyan   = "\x1b[1;36m"
)

// InputErrorLabel marks an input error in text output, where it stands in
// the place of a finding's severity: "broken.conf:7:1: error[input]: ...".
const InputErrorLabel = "error[input]"

// WriteText prints each finding as `file:line:col: severity: message
// (rule)`, the form editors and terminals make clickable, with its reason
// on an indented line below; text that comes from the input is escaped
// (see Escape). Input errors, `file:line:col: error[input]: message`, go
// to opts.Errors, before the findings.
func WriteText(w io.Writer, r Result, opts TextOptions) error {
	painter := func(on bool) func(sgr, s string) string {
		return func(sgr, s string) string {
			if !on {
				return s
			}
			return sgr + s + sgrReset
		}
	}
	paint := painter(opts.Color)
	errOut, paintErr := opts.Errors, painter(opts.ErrorsColor)
	if errOut == nil {
		errOut, paintErr = w, paint
	}
	for _, e := range r.Errors {
		if _, err := fmt.Fprintf(errOut, "%s: %s: %s\n", paintErr(sgrBold, Position(Escape(e.File), e.Line, e.Column)), paintErr(sgrRed, InputErrorLabel), Escape(e.Message)); err != nil {
			return err
		}
	}
	for _, f := range r.Findings {
		if _, err := fmt.Fprintf(w, "%s: %s: %s %s\n", paint(sgrBold, Position(Escape(f.File), f.Line, f.Column)),
			paint(severityColor(f.Severity), f.Severity.String()), Escape(f.Message), paint(sgrDim, "("+f.Rule+")")); err != nil {
			return err
		}
		if f.Reason != "" {
			if _, err := fmt.Fprintf(w, "    %s\n", paint(sgrDim, Escape(f.Reason))); err != nil {
				return err
			}
		}
	}
	return nil
}

func severityColor(s Severity) string {
	switch s {
	case Error:
		return sgrRed
	case Warning:
		return sgrYellow
	}
	return sgrCyan
}

// withReason is a message with its reason appended, for formats that show
// one text per finding (SARIF, GitHub annotations, checkstyle).
func withReason(f Finding, sep string) string {
	if f.Reason == "" {
		return f.Message
	}
	return f.Message + sep + f.Reason
}
