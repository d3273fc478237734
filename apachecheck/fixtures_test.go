package apachecheck

import (
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
