package e2e

import (
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/wscheck/wscheck/nginxcheck"
)

// TestExplainMatchesNginx: for every rule's good and bad fixture, the
// headers the backend really receives through nginx are the ones
// `wscheck explain` says nginx sends (names, and values once variables
// are evaluated), and the headers it says are not sent do not arrive. The
// config explained is the one nginx runs (ports and targets rewritten),
// so $proxy_host and every line match.
func TestExplainMatchesNginx(t *testing.T) {
	bin := requireNginx(t)
	entries, err := os.ReadDir(rulesDir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		for _, name := range []string{"bad.conf", "good.conf"} {
			fx, err := loadFixture(filepath.Join(rulesDir, e.Name()), e.Name(), name)
			if errors.Is(err, fs.ErrNotExist) {
				continue
			}
			t.Run(e.Name()+"/"+name, func(t *testing.T) {
				if err != nil {
					t.Skipf("not runnable in nginx: %v", err)
				}
				t.Parallel()
				compareExplained(t, bin, fx)
			})
		}
	}
}

// compareExplained deploys fx in front of gorilla (which logs every
// request it gets, refused or not) and compares, per target location and
// per browser, what arrived with what explain says. It returns how many
// headers it compared.
func compareExplained(t *testing.T, bin *nginxBin, fx *fixture) int {
	t.Helper()
	d, err := deploy(t, bin, fx, startGorilla, nil, "")
	var ce *configError
	if errors.As(err, &ce) {
		// Nothing is sent: nginx does not start (undefined-variable).
		t.Logf("%s: nginx -t refuses it, so there is nothing to compare: %s", fx, ce.output)
		return 0
	}
	if err != nil {
		t.Fatal(err)
	}
	conf := filepath.Join(d.nginx.dir, "nginx.conf")
	src, err := os.ReadFile(conf)
	if err != nil {
		t.Fatal(err)
	}
	rendered, err := prepareSite(string(src))
	if err != nil {
		t.Fatalf("the rendered config: %v", err)
	}
	if len(rendered.targets) != len(fx.site.targets) {
		t.Fatalf("the rendered config has %d targets, the fixture %d", len(rendered.targets), len(fx.site.targets))
	}
	compared := 0
	for i, tg := range fx.site.targets {
		compared += compareLocation(t, d, conf, rendered.targets[i].line, tg, tg.path)
	}
	if compared == 0 {
		t.Errorf("%s: no header could be compared", fx)
	}
	t.Logf("%s: %d headers compared with what nginx sent", fx, compared)
	return compared
}

// compareLocation explains the location at line of the config nginx runs
// and compares it with what two browsers' handshakes to path deliver.
func compareLocation(t *testing.T, d *deployment, conf string, line int, tg target, path string) int {
	t.Helper()
	// The host root lets explain read what nginx reads (stock files
	// under /etc/nginx), so nothing it shows is unknown for want of it.
	v := nginxcheck.ExplainAt(conf, line, nginxcheck.ViewOptions{Options: nginxcheck.Options{HostRoot: "/"}})
	if len(v.Errors) > 0 || len(v.Locations) != 1 {
		t.Fatalf("%s: explain: %d locations, errors %v", tg, len(v.Locations), v.Errors)
	}
	l := v.Locations[0]
	if l.Headers.Unknown {
		t.Errorf("%s: explain shows its headers as unknown, though nginx runs it: %+v", tg, l.Headers.Cause)
		return 0
	}
	compared := 0
	for _, c := range []client{browserClient, firefoxClient} {
		before := len(d.backend.requests())
		o := c.open(d.port(tg), path)
		o.close()
		rs := d.backend.requests()
		if len(rs) == before {
			t.Errorf("%s, %s: nothing reached the backend (%v)", tg, c.name, o)
			continue
		}
		got := rs[len(rs)-1]
		compared += compareHeaders(t, fmt.Sprintf("%s, %s client", path, c.name), l, got, requestVars(d, tg), c.name == firefoxClient.name)
		if want := "HTTP/" + l.HTTPVersion.Value; !l.HTTPVersion.Unknown && got.Proto != want {
			t.Errorf("%s, %s: explain says proxy_http_version %s, the backend got %s", path, c.name, l.HTTPVersion.Value, got.Proto)
		}
	}
	return compared
}

// TestExplainTreeMatchesNginx runs the cases the rule fixtures leave out
// (testdata/explain/site.conf: a map through a map, a server list from an
// include, nested locations, if, try_files to a named location) through
// nginx, and compares each request's headers with the location explain
// says serves it.
func TestExplainTreeMatchesNginx(t *testing.T) {
	bin := requireNginx(t)
	fx, err := loadFixture(filepath.Join("testdata", "explain"), "explain", "site.conf")
	if err != nil {
		t.Fatal(err)
	}
	d, err := deploy(t, bin, fx, startGorilla, nil, "")
	if err != nil {
		t.Fatal(err)
	}
	conf := filepath.Join(d.nginx.dir, "nginx.conf")
	src, err := os.ReadFile(conf)
	if err != nil {
		t.Fatal(err)
	}
	rendered, err := parseConf(string(src))
	if err != nil {
		t.Fatal(err)
	}
	lineOf := map[string]int{} // location argument -> its line in the running config
	walk(rendered.top, nil, func(d *directive, _ []*directive) {
		if d.name.text == "location" && len(d.args) > 0 {
			lineOf[d.args[len(d.args)-1].text] = d.line
		}
	})
	tg := fx.site.targets[0] // every location is on the one server
	for _, c := range []struct{ path, location string }{
		{"/ws/", "/ws/"}, {"/api/", "/api/"}, {"/app/socket", "/app/socket"}, {"/app/cable", "/app/cable"},
		{"/live/", "/live/"}, {"/live/?debug=1", "/live/"}, {"/chat/", "@chat"},
	} {
		if lineOf[c.location] == 0 {
			t.Fatalf("no location %s in the running config", c.location)
		}
		if n := compareLocation(t, d, conf, lineOf[c.location], tg, c.path); n == 0 {
			t.Errorf("%s: no header compared", c.path)
		}
	}
}

// firefoxClient sends Firefox's Connection: keep-alive, Upgrade.
var firefoxClient = client{name: "firefox", raw: true, header: http.Header{
	"Host": {browserHost}, "Origin": {browserOrigin}, "Connection": {"keep-alive, Upgrade"},
}}

// requestVars are the values of the request's variables, which explain
// leaves as written: the test knows them from the request it makes.
func requestVars(d *deployment, tg target) map[string]string {
	return map[string]string{
		"host": browserHost, "http_host": browserHost, "remote_addr": "127.0.0.1",
		"proxy_add_x_forwarded_for": "127.0.0.1", "scheme": "http", "server_port": strconv.Itoa(d.port(tg)),
		"http_origin": browserOrigin, "request_uri": tg.path, "uri": tg.path,
	}
}

var varRef = regexp.MustCompile(`\$(?:\{([A-Za-z0-9_]+)\}|([A-Za-z0-9_]+))`)

// substitute fills the request's variables; ok is false when one is left
// that the test cannot know.
func substitute(v string, vars map[string]string) (string, bool) {
	ok := true
	out := varRef.ReplaceAllStringFunc(v, func(ref string) string {
		m := varRef.FindStringSubmatch(ref)
		val, known := vars[strings.ToLower(m[1]+m[2])]
		ok = ok && known
		return val
	})
	return out, ok
}

// compareHeaders checks one received request against the view and
// returns how many headers it compared.
func compareHeaders(t *testing.T, where string, l *nginxcheck.LocationView, got received, vars map[string]string, firefox bool) int {
	t.Helper()
	want := map[string][]string{} // canonical name -> values, in order
	var names []string
	unknown := map[string]bool{}
	for _, h := range l.Headers.Entries {
		name := http.CanonicalHeaderKey(h.Name)
		switch {
		case h.Unknown:
			unknown[name] = true
		case h.Sent:
			val := h.Evaluated
			if firefox && h.Firefox != "" {
				val = h.Firefox
			}
			s, ok := substitute(val, vars)
			if !ok {
				unknown[name] = true
				t.Logf("%s: %s: %q has a variable this test cannot know; not compared", where, name, val)
				continue
			}
			if !slices.Contains(names, name) {
				names = append(names, name)
			}
			want[name] = append(want[name], s)
		}
	}
	received := func(name string) string {
		if name == "Host" {
			return got.Host
		}
		return strings.Join(got.Header.Values(name), ", ")
	}
	n := 0
	for _, name := range names {
		if unknown[name] {
			continue
		}
		w := strings.Join(want[name], ", ")
		if r := received(name); r != w {
			t.Errorf("%s: explain says nginx sends %s: %q, the backend received %q (%s)", where, name, w, r, got.request())
		}
		n++
	}
	// What explain says is not sent must not arrive. The outer entries a
	// list replaces are checked only where the browser sends no header of
	// that name itself (nginx passes the client's other headers through).
	absent := map[string]bool{}
	for _, h := range l.Headers.Entries {
		if !h.Sent && !h.Unknown {
			absent[http.CanonicalHeaderKey(h.Name)] = true
		}
	}
	for _, h := range l.Headers.Replaced {
		if name := http.CanonicalHeaderKey(h.Name); name != "Origin" {
			absent[name] = true
		}
	}
	for name := range absent {
		if want[name] != nil || unknown[name] {
			continue
		}
		if r := received(name); r != "" {
			t.Errorf("%s: explain says nginx sends no %s, the backend received %q (%s)", where, name, r, got.request())
		}
		n++
	}
	return n
}
