package nginxcheck

import (
	"testing"

	"github.com/wscheck/wscheck/nginxcheck/load"
)

// A rule off by default reports nothing unless Options.Enable names it.
func TestOffRuleRunsOnlyWhenEnabled(t *testing.T) {
	const fixture = "testdata/rules/upgrade-not-restricted/bad.conf"
	count := func(opts Options) int {
		n := 0
		for _, f := range Analyze([]string{fixture}, opts).Findings {
			if f.Rule == "upgrade-not-restricted" {
				n++
			}
		}
		return n
	}
	if n := count(Options{}); n != 0 {
		t.Errorf("off by default, but reported %d findings", n)
	}
	if n := count(Options{Enable: []string{"upgrade-not-restricted"}}); n != 1 {
		t.Errorf("enabled: %d findings, want 1", n)
	}
}

// TestLineOf: a message names a line of the finding's own file by its
// number alone, and one of another file with the path.
func TestLineOf(t *testing.T) {
	a, b := &load.File{Path: "conf.d/app.conf"}, &load.File{Path: "snippets/ws.conf"}
	at := &load.Node{File: a, Line: 30}
	if got := lineOf(&load.Node{File: a, Line: 12}, at); got != "line 12" {
		t.Errorf("same file: %q", got)
	}
	if got := lineOf(&load.Node{File: b, Line: 3}, at); got != "snippets/ws.conf:3" {
		t.Errorf("another file: %q", got)
	}
}
