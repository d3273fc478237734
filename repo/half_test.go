package repo

import (
	"io/fs"
	"slices"
	"strings"
	"testing"

	"github.com/wscheck/wscheck/report"
)

// TestHalfRun: a directory the walk cannot enter and a missing path are
// errors of a half's own command too, never a silent pass; a directory's
// files of the half's kind are analyzed together, a file as given.
func TestHalfRun(t *testing.T) {
	mem := &Mem{Files: map[string]MemFile{
		"/r/locked":      {Err: fs.ErrPermission, Mode: fs.ModeDir},
		"/r/haproxy.cfg": {Data: "defaults\n    mode http\n"},
		"/r/other.txt":   {Data: "x"},
	}}
	var calls [][]string
	h := Half{
		Files: func(inv *Inventory) []string { return inv.HAProxy },
		Analyze: func(_ FS, _ string, files []string) report.Result {
			calls = append(calls, files)
			return report.Result{}
		},
	}
	res := h.Run(mem, []string{"/r", "/r/other.txt", "/r/missing"}, WalkOptions{})
	if len(res.Errors) != 2 || !strings.Contains(res.Errors[0].Message, "permission denied") || res.Errors[1].Message != "no such file or directory" {
		t.Errorf("want the unreadable directory and the missing path as errors, got %v", res.Errors)
	}
	if len(calls) != 2 || !slices.Equal(calls[0], []string{"/r/haproxy.cfg"}) || !slices.Equal(calls[1], []string{"/r/other.txt"}) {
		t.Errorf("analyzed %q", calls)
	}
}
