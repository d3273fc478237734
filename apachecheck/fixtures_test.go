package apachecheck

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/wscheck/wscheck/repo"
	"github.com/wscheck/wscheck/report"
	"github.com/wscheck/wscheck/report/reporttest"
)

// httpd allows comments only on lines of their own, so a fixture's
// expectations stand alone on the line above the one they point at
// (report/reporttest); a directory of cases is analyzed as one argument.
var half = reporttest.Half{
	Name: Half, Rules: Rules(), Ext: ".conf", Style: reporttest.Above,
	Analyze: func(p string) report.Result { return Analyze(Disk([]string{p}), []string{p}, repo.WalkOptions{}) },
}

func TestRuleExamples(t *testing.T) { half.RuleExamples(t) }

func TestCases(t *testing.T) { half.Cases(t) }

func TestSplitWords(t *testing.T) {
	for in, want := range map[string][]string{
		`ProxyPass /ws ws://a/ws`:               {"ProxyPass", "/ws", "ws://a/ws"},
		`RewriteRule ^/?(.*) "ws://a/$1" [P,L]`: {"RewriteRule", "^/?(.*)", "ws://a/$1", "[P,L]"},
		`Header set X 'a b' "c \"d\""`:          {"Header", "set", "X", "a b", `c "d"`},
		"ProxyPass\t/x\t  http://b/x  retry=0 ": {"ProxyPass", "/x", "http://b/x", "retry=0"},
	} {
		got, err := splitWords(in)
		if err != "" || !slices.Equal(got, want) {
			t.Errorf("splitWords(%q) = %q, %q; want %q", in, got, err, want)
		}
	}
}

// TestJudgedCount: the summary says how many mappings were judged as
// WebSocket (a ws:// target, upgrade=, or a WebSocket path), so a clean
// run over plain proxying does not read as a clean WebSocket config.
func TestJudgedCount(t *testing.T) {
	for _, c := range []struct {
		src  string
		want int
	}{
		{"<VirtualHost *:80>\n  ProxyPass /app http://b/app\n</VirtualHost>\n", 0},
		{"<VirtualHost *:80>\n  ProxyPass /ws ws://b/ws\n  ProxyPass /api http://b/api upgrade=websocket\n  ProxyPass /socket.io http://b/socket.io\n  ProxyPass / http://b/\n</VirtualHost>\n", 3},
	} {
		dir := t.TempDir()
		p := filepath.Join(dir, "site.conf")
		if err := os.WriteFile(p, []byte(c.src), 0o644); err != nil {
			t.Fatal(err)
		}
		if got := Analyze(Disk([]string{dir}), []string{p}, repo.WalkOptions{}).Summary.ApacheMappings; got != c.want {
			t.Errorf("%q: %d WebSocket mappings judged, want %d", c.src, got, c.want)
		}
	}
}
