package nginxcheck

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wscheck/wscheck/nginxcheck/load"
)

var updateExplain = flag.Bool("update-explain", false, "rewrite testdata/explain/golden")

// explainTree is the fixture tree: inheritance through includes, nested
// locations, if, try_files @named, maps through maps, an unresolved
// include and a template.
var explainTree, _ = filepath.Abs(filepath.Join("testdata", "explain", "tree"))

var explainGolden, _ = filepath.Abs(filepath.Join("testdata", "explain", "golden"))

func checkGolden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join(explainGolden, name)
	if *updateExplain {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (go test ./nginxcheck -run TestExplainGolden -update-explain writes it)", err)
	}
	if got != string(want) {
		t.Errorf("differs from %s (-update-explain rewrites it):\n--- got\n%s\n--- want\n%s", path, got, want)
	}
}

// TestExplainGolden prints the view of one location per inheritance case,
// as text and JSON, and the inventory of the whole tree.
func TestExplainGolden(t *testing.T) {
	t.Chdir(explainTree)
	vo := ViewOptions{Tree: ".", Base: explainTree}
	cases := []struct {
		golden string
		file   string
		line   int
		vo     ViewOptions
	}{
		{"server-list-through-include.txt", "conf.d/app.conf", 10, vo},
		{"own-list-replaces-server-list.txt", "conf.d/app.conf", 16, vo},
		{"nested-inherits-enclosing.txt", "conf.d/app.conf", 27, vo},
		{"nested-own-list.txt", "conf.d/app.conf", 34, vo},
		{"if-proxy-pass.txt", "conf.d/app.conf", 41, vo},
		{"try-files-hand-off.txt", "conf.d/app.conf", 47, vo},
		{"named-location.txt", "conf.d/app.conf", 50, vo},
		{"unresolved-include.txt", "conf.d/app.conf", 60, vo},
		{"snippet-line.txt", "snippets/ws-headers.conf", 2, vo},
		{"fragment-without-tree.txt", "conf.d/app.conf", 10, ViewOptions{Base: explainTree}},
		{"fragment-with-prefix.txt", "conf.d/app.conf", 10, ViewOptions{Base: explainTree, Options: Options{Prefix: "."}}},
		{"nginx-1.30.txt", "conf.d/app.conf", 32, ViewOptions{Tree: ".", Base: explainTree, Options: Options{NginxVersion: Version{1, 30, 0}}}},
	}
	for _, c := range cases {
		t.Run(c.golden, func(t *testing.T) {
			v := ExplainAt(c.file, c.line, c.vo)
			if len(v.Errors) > 0 || len(v.Locations) == 0 {
				t.Fatalf("errors %v, %d locations", v.Errors, len(v.Locations))
			}
			var b bytes.Buffer
			if err := WriteExplainText(&b, v); err != nil {
				t.Fatal(err)
			}
			checkGolden(t, c.golden, b.String())
		})
	}
	t.Run("named-location.json", func(t *testing.T) {
		var b bytes.Buffer
		if err := WriteExplainJSON(&b, ExplainAt("conf.d/app.conf", 50, vo)); err != nil {
			t.Fatal(err)
		}
		checkGolden(t, "named-location.json", b.String())
	})
	t.Run("inventory", func(t *testing.T) {
		v := Inventory([]string{"."}, ViewOptions{Base: explainTree})
		var text, js bytes.Buffer
		if err := WriteInventoryText(&text, v); err != nil {
			t.Fatal(err)
		}
		if err := WriteExplainJSON(&js, v); err != nil {
			t.Fatal(err)
		}
		checkGolden(t, "inventory.txt", text.String())
		checkGolden(t, "inventory.json", js.String())
	})
	t.Run("template.txt", func(t *testing.T) {
		v := ExplainAt("templates/site.conf.j2", 5, ViewOptions{Base: explainTree})
		if len(v.Errors) > 0 || len(v.Locations) != 1 {
			t.Fatalf("errors %v, %d locations", v.Errors, len(v.Locations))
		}
		var b bytes.Buffer
		if err := WriteExplainText(&b, v); err != nil {
			t.Fatal(err)
		}
		checkGolden(t, "template.txt", b.String())
	})
}

// sent maps header name to the evaluated values nginx sends.
func sent(l *LocationView) map[string]string {
	out := map[string]string{}
	for _, h := range l.Headers.Entries {
		if h.Sent {
			if out[h.Name] != "" {
				out[h.Name] += ", "
			}
			out[h.Name] += h.Evaluated
		}
	}
	return out
}

// TestExplainFacts pins the semantics the goldens show, so that a golden
// rewritten without reading cannot hide a wrong model.
func TestExplainFacts(t *testing.T) {
	t.Chdir(explainTree)
	at := func(file string, line int, vo ViewOptions) *LocationView {
		t.Helper()
		v := ExplainAt(file, line, vo)
		if len(v.Locations) != 1 {
			t.Fatalf("%s:%d: %d locations, errors %v", file, line, len(v.Locations), v.Errors)
		}
		return v.Locations[0]
	}
	tree := ViewOptions{Tree: "."}
	ws := at("conf.d/app.conf", 10, tree)
	if got := sent(ws); got["Upgrade"] != "websocket" || got["Connection"] != "upgrade" || got["Host"] != "$host" {
		t.Errorf("/ws/ through the server's included list and the map chain sends %v", got)
	}
	if h := ws.Headers.Entries[0]; h.Via == nil || h.Via.Line != 5 || h.File != "snippets/ws-headers.conf" {
		t.Errorf("/ws/ Host entry origin %+v, want snippets/ws-headers.conf via the include at line 5", h.Origin)
	}
	if ws.ReadTimeout.Value != "1h" || ws.ReadTimeout.Line != 6 || ws.SendTimeout.Value != "60s" || !ws.SendTimeout.Default {
		t.Errorf("/ws/ timeouts %+v %+v", ws.ReadTimeout, ws.SendTimeout)
	}
	api := at("conf.d/app.conf", 14, tree)
	if got := sent(api); got["Upgrade"] != "" || got["Connection"] != "close" || got["Host"] != "api" || got["X-Forwarded-Proto"] != "" {
		t.Errorf("/api/ with its own list sends %v, want no Upgrade, Connection close, Host $proxy_host=api, no empty header", got)
	}
	if len(api.Headers.Replaced) != 3 {
		t.Errorf("/api/ replaced %d server entries, want 3", len(api.Headers.Replaced))
	}
	cable := at("conf.d/app.conf", 32, tree)
	if got := sent(cable); got["Host"] != "127.0.0.1:9001" || cable.SendTimeout.Value != "5m" || cable.HTTPVersion.Value != "1.1" {
		t.Errorf("/app/cable: sends %v, send timeout %q, version %q", got, cable.SendTimeout.Value, cable.HTTPVersion.Value)
	}
	if v130 := at("conf.d/app.conf", 32, ViewOptions{Tree: ".", Options: Options{NginxVersion: Version{1, 30, 0}}}); sent(v130)["Connection"] != "" {
		t.Errorf("nginx 1.30 sends no default Connection, view says %q", sent(v130)["Connection"])
	}
	chat := at("conf.d/app.conf", 50, tree)
	if got := sent(chat); got["Connection"] != "" || chat.HTTPVersion.Value != "1.0" || !chat.WebSocket || len(chat.ReachedFrom) != 1 {
		t.Errorf("@chat: sends %v, version %q, websocket %v, reached from %v", got, chat.HTTPVersion.Value, chat.WebSocket, chat.ReachedFrom)
	}
	private := at("conf.d/app.conf", 58, tree)
	if !private.Headers.Unknown || private.Headers.Cause == nil || private.Headers.Cause.Line != 60 || !private.HTTPVersion.Unknown {
		t.Errorf("/private/ws behind an unresolved include: headers %+v, version %+v", private.Headers, private.HTTPVersion)
	}
	if len(private.Findings) != 1 || private.Findings[0].Rule != "unresolved-include" {
		t.Errorf("/private/ws findings %v, want only unresolved-include", private.Findings)
	}
	// On its own the fragment's relative include does not resolve (nginx
	// resolves it against the prefix, nginx.conf's directory).
	frag := at("conf.d/app.conf", 10, ViewOptions{})
	if !frag.Headers.Unknown || len(frag.Findings) != 1 || frag.Findings[0].Line != 5 {
		t.Errorf("a fragment whose server list is in an unreadable include: headers unknown %v, findings %v", frag.Headers.Unknown, frag.Findings)
	}
	prefixed := at("conf.d/app.conf", 10, ViewOptions{Options: Options{Prefix: "."}})
	if got := sent(prefixed); got["Connection"] != "$connection_upgrade" {
		t.Errorf("a fragment without its map sends Connection %q, want the variable left unevaluated", got["Connection"])
	}
	if v := ExplainAt("snippets/ws-headers.conf", 2, tree); len(v.Locations) != 2 {
		t.Errorf("the server-level snippet line reaches %d proxying locations, want 2 (/ws/, /live/)", len(v.Locations))
	}
	if v := ExplainAt("conf.d/app.conf", 3, tree); len(v.Errors) != 1 || !strings.Contains(v.Errors[0].Message, "no location holds this line") {
		t.Errorf("a line outside every location: %+v", v.Errors)
	}
	if v := ExplainAt("conf.d/missing.conf", 3, tree); len(v.Errors) != 1 || len(v.Locations) != 0 {
		t.Errorf("a missing file: %+v", v)
	}
	if l := at("templates/site.conf.j2", 14, tree); l.Location != "/{{...}}/socket" || strings.ContainsRune(l.Match+l.Reason, load.PlaceholderRune) {
		t.Errorf("a placeholder in a location's path is shown as %q (%s; %s)", l.Location, l.Match, l.Reason)
	}
	tmpl := ExplainAt("templates/site.conf.j2", 5, ViewOptions{}).Locations[0]
	if !tmpl.ReadTimeout.Unknown || !tmpl.Headers.Unknown || sent(tmpl)["Upgrade"] != "websocket" {
		t.Errorf("template: read timeout %+v, headers unknown %v, sends %v", tmpl.ReadTimeout, tmpl.Headers.Unknown, sent(tmpl))
	}
}

// TestProxyHost: $proxy_host is proxy_pass's host with its port, except the
// scheme's default port (observed with Debian's nginx 1.22.1: proxy_pass
// http://127.0.0.1:80 sends "Host: 127.0.0.1").
func TestProxyHost(t *testing.T) {
	for in, want := range map[string]string{
		"http://127.0.0.1:80": "127.0.0.1", "http://127.0.0.1:80/": "127.0.0.1", "http://127.0.0.1:9001/x/": "127.0.0.1:9001",
		"http://app": "app", "https://app:443": "app", "https://app:8443": "app:8443",
	} {
		if got, ok := proxyHost(&Setting{Value: in}); !ok || got != want {
			t.Errorf("proxyHost(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
	for _, in := range []string{"http://$backend", "unix:/run/app.sock", "grpc://app"} {
		if got, ok := proxyHost(&Setting{Value: in}); ok {
			t.Errorf("proxyHost(%q) = %q, want unknown", in, got)
		}
	}
}

// TestExplainYAML: a location inside a ConfigMap's nginx string is
// explained at the YAML file's own line, with the http level the
// Deployment mounts beside it, and no virtual file name leaks out.
func TestExplainYAML(t *testing.T) {
	t.Chdir(filepath.Join("..", "testdata", "repos", "k8s-configmap"))
	v := ExplainAt("deploy/proxy.yaml", 24, ViewOptions{Tree: "."})
	if len(v.Errors) > 0 || len(v.Locations) != 1 {
		t.Fatalf("errors %v, %d locations", v.Errors, len(v.Locations))
	}
	l := v.Locations[0]
	if l.File != "deploy/proxy.yaml" || l.Line != 21 || l.HTTPVersion.Value != "1.1" || l.HTTPVersion.Line != 10 {
		t.Errorf("location %s:%d, proxy_http_version %+v; want deploy/proxy.yaml:21 and 1.1 from line 10", l.File, l.Line, l.HTTPVersion)
	}
	if got := sent(l); got["Connection"] != "close" || got["Upgrade"] != "websocket" {
		t.Errorf("sends %v", got)
	}
	var b bytes.Buffer
	if err := WriteExplainJSON(&b, v); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(b.String(), `\u0000`) || len(l.Findings) == 0 {
		t.Errorf("a virtual name leaks, or the findings are lost:\n%s", b.String())
	}
}
