package report

import (
	"encoding/json"
	"fmt"
	"io"
)

// WriteText prints one line per finding and per error, in the
// file:line:col form editors and terminals make clickable.
func WriteText(w io.Writer, r Result) error {
	for _, e := range r.Errors {
		if _, err := fmt.Fprintf(w, "%s: error: %s\n", Position(Escape(e.File), e.Line, e.Column), Escape(e.Message)); err != nil {
			return err
		}
	}
	for _, f := range r.Findings {
		if _, err := fmt.Fprintf(w, "%s: %s: %s (%s)\n", Position(Escape(f.File), f.Line, f.Column), f.Severity, Escape(f.Message), f.Rule); err != nil {
			return err
		}
	}
	return nil
}

// WriteJSON prints the stable JSON document scripts read.
func WriteJSON(w io.Writer, r Result) error {
	if r.Findings == nil {
		r.Findings = []Finding{}
	}
	if r.Errors == nil {
		r.Errors = []FileError{}
	}
	r.Summary.fillLists()
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// Formats lists every output format, in the order help text shows them.
var Formats = []string{"text", "json", "sarif", "github", "checkstyle"}

// Write prints r in one of Formats. Only SARIF uses opts.
func Write(w io.Writer, format string, r Result, opts SARIFOptions) error {
	switch format {
	case "text":
		return WriteText(w, r)
	case "json":
		return WriteJSON(w, r)
	case "sarif":
		return WriteSARIF(w, r, opts)
	case "github":
		return WriteGitHub(w, r)
	case "checkstyle":
		return WriteCheckstyle(w, r)
	}
	return fmt.Errorf("unknown format %q", format)
}
