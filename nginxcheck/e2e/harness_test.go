package e2e

import (
	"strings"
	"testing"
	"time"
)

// The harness must be able to tell a working proxy from a broken one;
// otherwise every bad fixture would "fail" for the harness's own reasons.

const workingConf = `
map $http_upgrade $connection_upgrade {
    default upgrade;
    ''      close;
}
server {
    listen 8080;
    location /ws/ {
        proxy_pass http://127.0.0.1:9001;
        proxy_http_version 1.1;
        proxy_set_header Upgrade $http_upgrade;
        proxy_set_header Connection $connection_upgrade;
        proxy_set_header Host $host;
    }
}
`

// brokenConf forwards neither Upgrade nor Connection.
const brokenConf = `
server {
    listen 8080;
    location /ws/ {
        proxy_pass http://127.0.0.1:9001;
        proxy_http_version 1.1;
        proxy_set_header Host $host;
    }
}
`

func inlineFixture(t *testing.T, name, src string) *fixture {
	t.Helper()
	s, err := prepareSite(src)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return &fixture{rule: "harness", name: name, src: src, site: s}
}

func TestHarnessTellsWorkingFromBroken(t *testing.T) {
	bin := requireNginx(t)
	for _, newBackend := range []func(*testing.T) *backend{startGorilla, startCoder} {
		work := inlineFixture(t, "working", workingConf)
		d, err := deploy(t, bin, work, newBackend, nil, "")
		if err != nil {
			t.Fatal(err)
		}
		tg := work.site.targets[0]
		for _, c := range []client{browserClient, noOriginClient, hopByHopClient} {
			o := c.open(d.port(tg), tg.path)
			o.close()
			if !o.OK() {
				t.Errorf("working config, %s, %s client: %v; %s", d.backend.name, c.name, o, d.backend.describe())
			}
		}
		got, ok := d.backend.last()
		if !ok {
			t.Fatalf("%s received nothing", d.backend.name)
		}
		// The map gives Connection: upgrade whatever the client listed.
		if got.Proto != "HTTP/1.1" || got.Host != browserHost || !strings.EqualFold(got.Connection, "upgrade") || got.Upgrade != "websocket" {
			t.Errorf("working config, %s: %s", d.backend.name, got)
		}

		broken := inlineFixture(t, "broken", brokenConf)
		d, err = deploy(t, bin, broken, newBackend, nil, "")
		if err != nil {
			t.Fatal(err)
		}
		o := browserClient.open(d.port(tg), tg.path)
		o.close()
		want := map[string]int{"gorilla": 400, "coder": 426}[d.backend.name]
		if o.Status != want {
			t.Errorf("broken config, %s: %v, want status %d; %s", d.backend.name, o, want, d.backend.describe())
		}
	}
}

func TestHarnessSeesIdleClose(t *testing.T) {
	bin := requireNginx(t)
	fx := inlineFixture(t, "working", workingConf)
	for _, timeout := range []time.Duration{500 * time.Millisecond, 5 * time.Second} {
		extra := "    proxy_read_timeout " + nginxTime(timeout) + ";\n"
		d, err := deploy(t, bin, fx, startGorilla, nil, extra)
		if err != nil {
			t.Fatal(err)
		}
		tg := fx.site.targets[0]
		o := browserClient.open(d.port(tg), tg.path)
		if !o.OK() {
			o.close()
			t.Fatalf("timeout %v: %v", timeout, o)
		}
		after, closed, err := idleProbe(o.conn, 1500*time.Millisecond)
		if err != nil {
			t.Fatal(err)
		}
		if want := timeout < time.Second; closed != want {
			t.Errorf("proxy_read_timeout %v: closed=%v after %v of silence, want closed=%v", timeout, closed, after, want)
		}
		if !closed {
			if err := echo(o.conn); err != nil {
				t.Errorf("proxy_read_timeout %v: echo after the idle period: %v", timeout, err)
			}
		}
		o.close()
	}
}

func TestPrepareSite(t *testing.T) {
	src := `upstream app { server 127.0.0.1:9001; }
server {
    listen 8080;
    location / { root /srv; }
    location ~* ^/socket\.io/ {  # want "x"
        proxy_pass http://app;
        proxy_read_timeout 1h30m;
    }
    location = /ws { proxy_pass http://127.0.0.1:9001/inner; }
}
server { listen 80; location /chat/ { if ($x) { proxy_pass http://localhost:9001; } } }
`
	s, err := prepareSite(src)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, tg := range s.targets {
		got = append(got, tg.listen+" "+tg.path+map[bool]string{true: " wanted"}[tg.wanted])
	}
	want := []string{"8080 /socket.io/ wanted", "8080 /ws", "80 /chat/"}
	if strings.Join(got, ";") != strings.Join(want, ";") {
		t.Errorf("targets = %q, want %q", got, want)
	}
	out, notes, err := s.render(map[string]int{"8080": 1111, "80": 2222}, "127.0.0.1:3333", func(d time.Duration) time.Duration { return d / 10 }, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(notes) != 0 {
		t.Errorf("notes for a fragment without includes: %q", notes)
	}
	for _, w := range []string{"server 127.0.0.1:3333;", "listen 127.0.0.1:1111;", "listen 127.0.0.1:2222;",
		"proxy_pass http://app;", "proxy_pass http://127.0.0.1:3333/inner;", "proxy_pass http://127.0.0.1:3333;", "proxy_read_timeout 540000ms;"} {
		if !strings.Contains(out, w) {
			t.Errorf("rendered config lacks %q:\n%s", w, out)
		}
	}
	if _, err := prepareSite("server { listen 8080; location / { proxy_pass http://example.com; } }"); err != nil {
		t.Fatal(err)
	}
	if s, _ := prepareSite("server { listen 8080; location / { proxy_pass http://example.com; } }"); s != nil {
		if _, _, err := s.render(map[string]int{"8080": 1}, "127.0.0.1:2", nil, ""); err == nil {
			t.Error("a non-loopback proxy target was not refused")
		}
	}
	// A complete nginx.conf gets the prelude inside its http {} and an
	// events {} if it has none; a missing absolute include is left out.
	whole, err := prepareSite("http {\n    server { listen 8080; location / { proxy_pass http://127.0.0.1:9001; include /nonexistent/e2e.conf; } }\n}\n")
	if err != nil {
		t.Fatal(err)
	}
	out, notes, err = whole.render(map[string]int{"8080": 1}, "127.0.0.1:2", nil, "PRELUDE;\n")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "events {}\nhttp {\nPRELUDE;\n\n    server") || strings.Count(out, "http {") != 1 ||
		strings.Contains(out, "\tinclude /nonexistent") || !strings.Contains(out, "# (e2e: left out, not on this host) include /nonexistent/e2e.conf;") || len(notes) != 1 {
		t.Errorf("complete config rendered as:\n%s\nnotes %q", out, notes)
	}
	if _, err := prepareSite("events {}\nserver { listen 8080; }"); err == nil {
		t.Error("events {} without http {} was accepted")
	}
}

func TestParseNginxTime(t *testing.T) {
	for in, want := range map[string]time.Duration{"60": time.Minute, "60s": time.Minute, "500ms": 500 * time.Millisecond, "1h30m": 90 * time.Minute, "2d": 48 * time.Hour} {
		if got, err := parseNginxTime(in); err != nil || got != want {
			t.Errorf("parseNginxTime(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"", "1x", "s", "60 s"} {
		if _, err := parseNginxTime(in); err == nil {
			t.Errorf("parseNginxTime(%q) accepted", in)
		}
	}
}

func TestDocNames(t *testing.T) {
	why := "nginx -t fails with 'unknown \"connection_upgrade\"\nvariable'; a strict backend answers\n426"
	if !docNames(why, []string{"400", "426"}) || !docNames(why, []string{`unknown "connection_upgrade" variable`}) {
		t.Error("a wrapped mention was not found")
	}
	if docNames(why, []string{"403"}) || docNames(why, []string{""}) || docNames(why, nil) {
		t.Error("an absent failure counted as named")
	}
}
