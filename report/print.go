package report

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
)

// WriteJSON prints the stable JSON document scripts read. It writes one
// finding at a time: a run with 100,000 findings would otherwise hold the
// whole document twice (encoded, then indented) besides the findings.
// The bytes are those of a json.Encoder indenting by two spaces.
func WriteJSON(w io.Writer, r Result) error {
	r.Summary.fillLists()
	// A bufio.Writer keeps its first error and returns it from Flush.
	bw := bufio.NewWriterSize(w, 64*1024)
	_, _ = bw.WriteString("{\n  \"findings\": ")
	if err := writeJSONList(bw, r.Findings); err != nil {
		return err
	}
	_, _ = bw.WriteString(",\n  \"errors\": ")
	if err := writeJSONList(bw, r.Errors); err != nil {
		return err
	}
	_, _ = bw.WriteString(",\n  \"summary\": ")
	b, err := json.MarshalIndent(r.Summary, "  ", "  ")
	if err != nil {
		return err
	}
	_, _ = bw.Write(b)
	_, _ = bw.WriteString("\n}\n")
	return bw.Flush()
}

// writeJSONList writes a list that sits at the document's first level.
func writeJSONList[T any](w *bufio.Writer, list []T) error {
	if len(list) == 0 {
		_, err := w.WriteString("[]")
		return err
	}
	_, _ = w.WriteString("[\n")
	for i, v := range list {
		if i > 0 {
			_, _ = w.WriteString(",\n")
		}
		b, err := json.MarshalIndent(v, "    ", "  ")
		if err != nil {
			return err
		}
		_, _ = w.WriteString("    ")
		_, _ = w.Write(b)
	}
	_, err := w.WriteString("\n  ]")
	return err
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
