package main

import (
	"encoding/json"
	"strings"
	"testing"
)

const explainConf = `map $http_upgrade $connection_upgrade {
    default upgrade;
    ''      close;
}
server {
    listen 80;
    proxy_set_header Upgrade $http_upgrade;
    proxy_set_header Connection $connection_upgrade;
    location /ws/ {
        proxy_pass http://127.0.0.1:9001;
        proxy_http_version 1.1;
        proxy_read_timeout 1h;
    }
    location /api/ {
        proxy_pass http://127.0.0.1:9002;
        proxy_set_header Host $host;
    }
}
`

// TestExplainLocation: explain FILE:LINE prints the location's effective
// config and exits with the status its findings give; RULE still works.
func TestExplainLocation(t *testing.T) {
	dir := newRepo(t, map[string]string{"conf.d/app.conf": explainConf})
	t.Chdir(dir) // the nginx half resolves paths against the process's directory
	out, stderr, code := wsRun(t, dir, "explain", "conf.d/app.conf:11")
	if code != 0 || stderr != "" {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	for _, want := range []string{
		"# location /ws/ at conf.d/app.conf:9:5\n",
		"location /ws/ {\n",
		"proxy_set_header Upgrade $http_upgrade;",
		`# from conf.d/app.conf:7 (server); sends "websocket"`,
		`sends "upgrade"`,
		"proxy_set_header Host $proxy_host;",
		"(host-not-forwarded)\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	// /api/ drops the server's Upgrade/Connection: an error finding, exit 1.
	out, _, code = wsRun(t, dir, "explain", "--format", "json", "conf.d/app.conf:15")
	if code != 1 {
		t.Errorf("explain of a broken location: exit %d, want 1", code)
	}
	var v struct {
		Locations []struct {
			Location  string
			WebSocket bool
			Headers   struct {
				Entries []struct{ Name, Evaluated string }
			}
			Findings []struct{ Rule string }
		}
	}
	if err := json.Unmarshal([]byte(out), &v); err != nil {
		t.Fatalf("%v:\n%s", err, out)
	}
	if len(v.Locations) != 1 || v.Locations[0].Location != "/api/" || !v.Locations[0].WebSocket ||
		len(v.Locations[0].Findings) != 3 || v.Locations[0].Findings[2].Rule != "dropped-inherited-headers" {
		t.Errorf("json view: %+v", v)
	}
	// /ws/ has one info finding: --fail-on and --disable apply as to `wscheck nginx`.
	if _, _, code := wsRun(t, dir, "explain", "--fail-on", "info", "conf.d/app.conf:11"); code != 1 {
		t.Errorf("--fail-on info with an info finding: exit %d, want 1", code)
	}
	if _, _, code := wsRun(t, dir, "explain", "--fail-on", "info", "--disable", "host-not-forwarded", "conf.d/app.conf:11"); code != 0 {
		t.Errorf("--disable of the only finding: exit %d, want 0", code)
	}
	if out, _, code := wsRun(t, dir, "explain", "missing-upgrade-header"); code != 0 || !strings.Contains(out, "missing-upgrade-header") {
		t.Errorf("explain RULE: exit %d:\n%s", code, out)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"explain", "conf.d/app.conf:3"}, "conf.d/app.conf:3: error[input]: no location holds this line (locations start at lines 9, 14)"},
		{[]string{"explain", "conf.d/nope.conf:3"}, "conf.d/nope.conf: error[input]: no such file or directory"},
		{[]string{"explain", "--format", "sarif", "conf.d/app.conf:11"}, "--format: the effective configuration is written as text or json"},
		{[]string{"explain", "no-such-rule"}, `unknown rule "no-such-rule"`},
		{[]string{"nginx", "--locations"}, "--locations: want at least one PATH"},
	} {
		_, stderr, code := wsRun(t, dir, c.args...)
		if code != 2 || !strings.Contains(stderr, c.want) {
			t.Errorf("%v: exit %d, stderr %q; want 2 and %q", c.args, code, stderr, c.want)
		}
	}
}

// TestNginxLocations: the inventory lists every proxying location with its
// judgement and summary, as text and as JSON.
func TestNginxLocations(t *testing.T) {
	dir := newRepo(t, map[string]string{"conf.d/app.conf": explainConf})
	t.Chdir(dir)
	out, stderr, code := wsRun(t, dir, "nginx", "--locations", "--fail-on", "error", ".")
	if code != 1 || stderr != "" {
		t.Fatalf("exit %d (want 1: /api/ has an error), stderr %q", code, stderr)
	}
	want := `conf.d/app.conf:9:5: location /ws/: WebSocket: it sets the Upgrade header (conf.d/app.conf:7)
    proxy_pass http://127.0.0.1:9001; HTTP/1.1; Upgrade: websocket; Connection: upgrade; Host: 127.0.0.1:9001; read timeout 1h
    findings: host-not-forwarded (line 9)
conf.d/app.conf:14:5: location /api/: WebSocket: an outer level sets Upgrade (conf.d/app.conf:7) and its own proxy_set_header list drops it
    proxy_pass http://127.0.0.1:9002; HTTP/1.0 (default); Upgrade: (none); Connection: close; Host: $host; read timeout 60s (default)
    findings: missing-http-version (line 14), short-read-timeout (line 14), dropped-inherited-headers (line 16)
`
	if out != want {
		t.Errorf("inventory:\n%s\nwant:\n%s", out, want)
	}
	out, _, _ = wsRun(t, dir, "nginx", "--locations", "--format", "json", "conf.d")
	var v struct {
		Locations []struct {
			File      string
			Line      int
			WebSocket bool
			Summary   string
		}
		Errors []any
	}
	if err := json.Unmarshal([]byte(out), &v); err != nil {
		t.Fatalf("%v:\n%s", err, out)
	}
	if len(v.Locations) != 2 || v.Locations[1].File != "conf.d/app.conf" || v.Locations[1].Line != 14 || v.Errors == nil {
		t.Errorf("json inventory: %+v", v)
	}
}
