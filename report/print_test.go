package report

import (
	"bytes"
	"encoding/json"
	"testing"
)

// TestWriteJSONStreamsTheEncodersBytes: the streamed document is byte for
// byte what json.Encoder with a two-space indent prints for the whole
// Result, empty lists and characters JSON escapes included.
func TestWriteJSONStreamsTheEncodersBytes(t *testing.T) {
	cases := map[string]Result{
		"empty":        {},
		"golden input": loadInput(t),
		"escapes": {
			Findings: []Finding{{Rule: "r", Severity: Error, File: "a<b>&.conf", Line: 1, Column: 2, Message: "\x1b[31m \"q\" \u2028", Reason: "x\ny"}},
			Errors:   []FileError{{File: "e.conf", Message: "bad\tbyte \xff"}},
		},
		"errors only": {Errors: []FileError{{File: "a", Line: 3, Message: "m"}, {File: "b", Message: "n"}}},
	}
	for name, r := range cases {
		t.Run(name, func(t *testing.T) {
			var got bytes.Buffer
			if err := WriteJSON(&got, r); err != nil {
				t.Fatal(err)
			}
			want := r
			if want.Findings == nil {
				want.Findings = []Finding{}
			}
			if want.Errors == nil {
				want.Errors = []FileError{}
			}
			want.Summary.fillLists()
			var buf bytes.Buffer
			enc := json.NewEncoder(&buf)
			enc.SetIndent("", "  ")
			if err := enc.Encode(want); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got.Bytes(), buf.Bytes()) {
				t.Errorf("streamed JSON differs from json.Encoder's:\n--- got\n%s\n--- want\n%s", got.Bytes(), buf.Bytes())
			}
		})
	}
}
