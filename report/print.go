package report

import (
	"encoding/json"
	"fmt"
	"io"
)

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

// Write prints r in one of Formats. Only SARIF uses opts; text goes to
// w without colour (WriteText takes its own options).
func Write(w io.Writer, format string, r Result, opts SARIFOptions) error {
	switch format {
	case "text":
		return WriteText(w, r, TextOptions{})
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
