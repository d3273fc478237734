package report

import (
	"bufio"
	"bytes"
	"testing"
)

// encodeWith runs one of the list writers into a string.
func encodeWith(t *testing.T, write func(*bufio.Writer, []Finding) error, list []Finding) string {
	t.Helper()
	var b bytes.Buffer
	w := bufio.NewWriter(&b)
	if err := write(w, list); err != nil {
		t.Fatal(err)
	}
	w.Flush()
	return b.String()
}

// findingsJSON is the findings' writer; referenceFindingsJSON the generic
// list writer, which encodes each finding with encoding/json.
func findingsJSON(t *testing.T, list []Finding) string {
	return encodeWith(t, writeFindingsJSON, list)
}

func referenceFindingsJSON(t *testing.T, list []Finding) string {
	return encodeWith(t, writeJSONList[Finding], list)
}

var jsonTexts = []string{"", "plain", `quote " and \ backslash`, "<html> & more", "tab\tnew\nline\r", "\x00\x1b[31m", "caf\xe9", "é ☃ \u2028 \u2029", "\x7f"}

// TestFindingsJSON: the findings' writer gives encoding/json's bytes, for
// every field, an empty reason (left out) and hostile text.
func TestFindingsJSON(t *testing.T) {
	var list []Finding
	for i, s := range jsonTexts {
		list = append(list, Finding{Rule: "r" + s, Severity: Severity(i % 3), File: s, Line: i, Column: -i, Message: s, Reason: s})
	}
	for _, l := range [][]Finding{nil, list[:1], list} {
		if got, want := findingsJSON(t, l), referenceFindingsJSON(t, l); got != want {
			t.Errorf("got\n%s\nwant\n%s", got, want)
		}
	}
}

func FuzzFindingsJSON(f *testing.F) {
	for _, s := range jsonTexts {
		f.Add(s, s, 3)
	}
	f.Fuzz(func(t *testing.T, file, msg string, line int) {
		l := []Finding{{Rule: "x", Severity: Warning, File: file, Line: line, Column: line / 2, Message: msg, Reason: file + msg}}
		if got, want := findingsJSON(t, l), referenceFindingsJSON(t, l); got != want {
			t.Errorf("got\n%s\nwant\n%s", got, want)
		}
	})
}
