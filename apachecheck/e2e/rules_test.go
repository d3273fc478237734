package e2e

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/wscheck/wscheck/apachecheck"
	"github.com/wscheck/wscheck/repo"
)

// reported lists the rules wscheck reports on the fixture.
func reported(t *testing.T, p string) map[string]bool {
	t.Helper()
	got := map[string]bool{}
	for _, f := range apachecheck.Analyze(apachecheck.Disk([]string{p}), []string{p}, repo.WalkOptions{}).Findings {
		got[f.Rule] = true
	}
	return got
}

// TestRules: per fixture and path, a browser's WebSocket through a real
// apache2 fails exactly where wscheck reports an error rule, and
// apache-host-not-preserved's 403 goes away without Origin.
func TestRules(t *testing.T) {
	bin := requireApache(t)
	for _, c := range []struct {
		fixture, path string
		rule          string // the rule whose finding predicts a failure on path
	}{
		{"rules/apache-proxypass-order/bad.conf", "/ws", "apache-proxypass-order"},
		{"rules/apache-proxypass-order/good.conf", "/ws", "apache-proxypass-order"},
		{"rules/apache-no-websocket-upgrade/bad.conf", "/ws", "apache-no-websocket-upgrade"},
		{"rules/apache-no-websocket-upgrade/good.conf", "/ws", "apache-no-websocket-upgrade"},
		{"rules/apache-host-not-preserved/bad.conf", "/ws", "apache-host-not-preserved"},
		{"rules/apache-host-not-preserved/good.conf", "/ws", "apache-host-not-preserved"},
		{"cases/location.conf", "/ws", "apache-proxypass-order"},
		{"cases/rewrite.conf", "/socket.io/", "apache-no-websocket-upgrade"},
		{"cases/location.conf", "/socket.io", "apache-no-websocket-upgrade"},
		{"cases/balancer.conf", "/cable", "apache-proxypass-order"},
		{"cases/balancer.conf", "/api/ws", "apache-proxypass-order"},
	} {
		t.Run(c.fixture+c.path, func(t *testing.T) {
			t.Parallel()
			p := filepath.Join("..", "testdata", c.fixture)
			src, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			want := reported(t, p)[c.rule]
			port, be := deploy(t, bin, string(src))
			o := open(port, c.path, false)
			if o.ok() == want {
				t.Errorf("wscheck reports %s: %v; apache2: %v; %s", c.rule, want, o, be.describe())
			}
			if c.rule == "apache-host-not-preserved" && want {
				if o.status != 403 {
					t.Errorf("want gorilla's 403 for the worker's Host, got %v; %s", o, be.describe())
				}
				if n := open(port, c.path, true); !n.ok() {
					t.Errorf("without Origin: %v; %s", n, be.describe())
				}
			}
			t.Logf("reported=%v: %v; %s", want, o, be.describe())
		})
	}
}
