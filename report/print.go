package report

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
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
	if err := writeFindingsJSON(bw, r.Findings); err != nil {
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

// writeFindingsJSON is writeJSONList for findings, without reflection:
// a run's findings are most of its output, and encoding each through
// json.MarshalIndent was a tenth of the time of a large run. The bytes are
// the same (TestFindingsJSON holds them to encoding/json).
func writeFindingsJSON(w *bufio.Writer, list []Finding) error {
	if len(list) == 0 {
		_, err := w.WriteString("[]")
		return err
	}
	_, _ = w.WriteString("[\n")
	var b []byte
	for i, f := range list {
		b = b[:0]
		if i > 0 {
			b = append(b, ",\n"...)
		}
		b = append(b, "    {\n      \"rule\": "...)
		b = appendJSONString(b, f.Rule)
		b = append(b, ",\n      \"severity\": "...)
		b = appendJSONString(b, f.Severity.String())
		b = append(b, ",\n      \"file\": "...)
		b = appendJSONString(b, f.File)
		b = append(b, ",\n      \"line\": "...)
		b = strconv.AppendInt(b, int64(f.Line), 10)
		b = append(b, ",\n      \"column\": "...)
		b = strconv.AppendInt(b, int64(f.Column), 10)
		b = append(b, ",\n      \"message\": "...)
		b = appendJSONString(b, f.Message)
		if f.Reason != "" {
			b = append(b, ",\n      \"reason\": "...)
			b = appendJSONString(b, f.Reason)
		}
		b = append(b, "\n    }"...)
		_, _ = w.Write(b)
	}
	_, err := w.WriteString("\n  ]")
	return err
}

// appendJSONString quotes s as encoding/json does: printable ASCII other
// than the characters it escapes is copied, anything else is left to it.
func appendJSONString(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c > 0x7e || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			q, _ := json.Marshal(s) // a string always encodes
			return append(b, q...)
		}
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
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
