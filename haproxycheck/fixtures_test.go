package haproxycheck

import (
	"path/filepath"
	"testing"

	"github.com/wscheck/wscheck/repo"
	"github.com/wscheck/wscheck/report"
	"github.com/wscheck/wscheck/report/reporttest"
)

// Fixtures carry their expectations inline, at the end of the line they
// point at (report/reporttest).
var half = reporttest.Half{
	Name: Half, Rules: Rules(), Ext: ".cfg", Style: reporttest.Trailing,
	Analyze: func(p string) report.Result { return Analyze(Disk([]string{p}), []string{p}, repo.WalkOptions{}) },
}

func TestRuleExamples(t *testing.T) { half.RuleExamples(t) }

func TestCases(t *testing.T) { half.Cases(t) }

func TestClassified(t *testing.T) {
	for _, c := range []struct {
		name, src string
		want      bool
	}{
		{"haproxy.cfg", "defaults\n  mode http\nfrontend f\n  use_backend b if { path_beg /ws }\n", true},
		{"lb/haproxy", "global\nlisten stats\n  bind :8404\n", true},
		{"app.cfg", "[section]\nkey = value\n", false},
		{"nginx.cfg", "server {\n  listen 80;\n}\nbackend x\n", false},
		{"hocon.cfg", "backend {\n  url = x\n}\n", false},
	} {
		if k, _ := repo.Classify(c.name, []byte(c.src)); (k == repo.HAProxy) != c.want {
			t.Errorf("Classify(%q) = %v, want HAProxy: %v", c.name, k, c.want)
		}
	}
}

// A directory is searched: the findings are those of the files one by one.
func TestAnalyzeDirectory(t *testing.T) {
	dir := Analyze(Disk([]string{"testdata/cases"}), []string{"testdata/cases"}, repo.WalkOptions{})
	files, _ := filepath.Glob("testdata/cases/*.cfg")
	var one report.Result
	for _, f := range files {
		one.Merge(Analyze(Disk([]string{f}), []string{f}, repo.WalkOptions{}))
	}
	dir.Normalize("")
	one.Normalize("")
	if len(dir.Findings) != len(one.Findings) || len(dir.Errors) != len(one.Errors) || len(dir.Findings) == 0 {
		t.Errorf("directory: %d findings %d errors; files one by one: %d findings %d errors", len(dir.Findings), len(dir.Errors), len(one.Findings), len(one.Errors))
	}
	if res := Analyze(Disk([]string{"testdata"}), []string{"testdata/nonexistent.cfg"}, repo.WalkOptions{}); len(res.Errors) != 1 || res.Errors[0].Message != "no such file or directory" {
		t.Errorf("a missing path: %+v", res)
	}
}

// TestJudgedCount: the summary says how many backends were judged as
// receiving WebSockets, so a clean run over a mode tcp config (nothing to
// judge) does not read as a clean WebSocket config.
func TestJudgedCount(t *testing.T) {
	for _, c := range []struct {
		src  string
		want int
	}{
		{"defaults\n  mode tcp\nfrontend f\n  bind :80\n  default_backend b\nbackend b\n  server s 127.0.0.1:1\n", 0},
		{"defaults\n  mode http\nfrontend f\n  bind :80\n  default_backend b\nbackend b\n  server s 127.0.0.1:1\nbackend c\n  server s 127.0.0.1:2\n", 2},
		{"defaults\n  mode http\nfrontend f\n  bind :80\n  use_backend ws if { hdr(upgrade) -i websocket }\n  default_backend web\nbackend ws\n  server s 127.0.0.1:1\nbackend web\n  server s 127.0.0.1:2\n", 1},
	} {
		if got := AnalyzeSource("haproxy.cfg", []byte(c.src)).Summary.HAProxyBackends; got != c.want {
			t.Errorf("%q: %d WebSocket backends judged, want %d", c.src, got, c.want)
		}
	}
}
