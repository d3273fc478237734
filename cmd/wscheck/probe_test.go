package main

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gorilla/websocket"
)

func gorillaServer(t *testing.T) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var up websocket.Upgrader
		if c, err := up.Upgrade(w, r, nil); err == nil {
			defer c.Close()
			_, _, _ = c.ReadMessage()
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

// TestProbeCLI: exit 0 for a working chain, 1 for a cause, 2 for bad
// usage, with the verdict in text and JSON.
func TestProbeCLI(t *testing.T) {
	srv := gorillaServer(t)
	ws := "ws" + strings.TrimPrefix(srv.URL, "http") + "/ws"

	out, stderr, code := wsRun(t, t.TempDir(), "probe", "--no-proxy", ws)
	if code != 0 || !strings.HasPrefix(out, ws+": ok: 101 with a valid Sec-WebSocket-Accept") || stderr != "" {
		t.Errorf("working server: exit %d, stdout %q, stderr %q", code, out, stderr)
	}

	// Origin of another site: gorilla's CheckOrigin refuses it, and the
	// probe without Origin isolates that.
	out, _, code = wsRun(t, t.TempDir(), "probe", "--no-proxy", "--origin", "https://elsewhere.test", "--format", "json", srv.URL+"/ws")
	var doc struct {
		Probes []struct {
			URL, Cause, AnsweredBy string
			Status                 int
			See                    []string
			Variants               []struct{ Name string }
		} `json:"probes"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("JSON: %v\n%s", err, out)
	}
	if code != 1 || len(doc.Probes) != 1 || doc.Probes[0].Cause != "origin-rejected" || doc.Probes[0].Status != 403 ||
		doc.Probes[0].URL != ws || len(doc.Probes[0].Variants) != 3 || !strings.Contains(strings.Join(doc.Probes[0].See, ","), "host-drops-port") {
		t.Errorf("foreign origin: exit %d, %+v", code, doc)
	}

	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"probe"}, "want at least one URL"},
		{[]string{"probe", "ftp://h/"}, `unknown scheme "ftp"`},
		{[]string{"probe", "ws://h:%zz/"}, "invalid port"},
		{[]string{"probe", "--cacert", filepath.Join(t.TempDir(), "missing.pem"), ws}, "--cacert"},
		{[]string{"probe", "--format", "xml", ws}, "--format"},
		{[]string{"probe", "-H", "no colon", ws}, "--header"},
		{[]string{"probe", "--resolve", "h:80", ws}, "HOST:PORT:ADDR"},
		{[]string{"probe", "--subprotocol", "chat\r\nX-Injected: 1", ws}, "line break"},
		{[]string{"probe", "--resolve", "h:80:not-an-ip", ws}, "not an IP"},
	} {
		out, stderr, code := wsRun(t, t.TempDir(), tc.args...)
		if code != 2 || out != "" || !strings.Contains(stderr, tc.want) {
			t.Errorf("%q: exit %d, stdout %q, stderr %q; want 2 and %q", tc.args, code, out, stderr, tc.want)
		}
	}
}

func TestExplainProbeCause(t *testing.T) {
	out, _, code := wsRun(t, t.TempDir(), "explain", "upgrade-not-forwarded")
	if code != 0 || !strings.HasPrefix(out, "upgrade-not-forwarded [probe, error]") || !strings.Contains(out, "missing-upgrade-header") {
		t.Errorf("explain upgrade-not-forwarded: exit %d\n%s", code, out)
	}
}
