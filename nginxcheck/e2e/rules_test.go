package e2e

import (
	"cmp"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/wscheck/wscheck/nginxcheck"
	"github.com/wscheck/wscheck/report"
)

// rulesDir holds testdata/rules/<rule>/{bad,good}.conf; WSCHECK_E2E_RULES
// points elsewhere, to try fixtures before they are committed.
var rulesDir = cmp.Or(os.Getenv("WSCHECK_E2E_RULES"), "../testdata/rules")

// backends are the servers every fixture runs in front of.
var backends = []func(*testing.T) *backend{startGorilla, startCoder}

// proofs are the rules whose failure is not (only) a refused handshake.
var proofs = map[string]func(t *testing.T, p *prover){
	"undefined-variable":                   proveNginxRefuses,
	"host-not-forwarded":                   proveHostNotForwarded,
	"connection-from-client":               proveConnectionFromClient,
	"short-read-timeout":                   proveIdleClose,
	"host-drops-port":                      proveHostDropsPort,
	"forwarded-host-port":                  proveForwardedHostPort,
	"connection-upgrade-on-plain-requests": provePlainRequestsAskUpgrade,
	"upgrade-not-restricted":               proveUpgradeRestricted,
	"close-map-disables-keepalive":         proveKeepaliveLost,
}

// sourceOnly are the rules this host's nginx cannot exercise, and why: the
// test says so (a skip) instead of passing silently. Their documentation
// cites the nginx source they rest on.
var sourceOnly = map[string]string{
	"empty-host-on-http3": "HTTP/3 only: Debian's nginx has no HTTP/3 module and this test no QUIC client",
}

// TestRules runs every nginx rule's fixtures through a real nginx. Set
// WSCHECK_E2E_TABLE=FILE to also write the observed table to FILE.
func TestRules(t *testing.T) {
	bin := requireNginx(t)
	rules := nginxcheck.Rules()
	if len(rules) == 0 {
		t.Fatal("nginxcheck.Rules() lists no rule: there is nothing to prove")
	}
	for name := range sourceOnly {
		if _, ok := rules.Lookup(name); !ok {
			t.Errorf("nginxcheck.Rules() has no rule %q, which sourceOnly names", name)
		}
	}
	for name := range proofs {
		// A renamed rule must not take its proof with it unnoticed.
		if _, ok := rules.Lookup(name); !ok {
			t.Errorf("nginxcheck.Rules() has no rule %q, whose proof this test holds", name)
		}
	}
	proveRules(t, bin, rules)
}

func proveRules(t *testing.T, bin *nginxBin, rules report.Rules) {
	obs := &observations{}
	t.Cleanup(func() {
		table := obs.table()
		t.Logf("observed through nginx %s:\n%s", bin.version, table)
		if path := os.Getenv("WSCHECK_E2E_TABLE"); path != "" {
			if err := os.WriteFile(path, []byte(table), 0o644); err != nil {
				t.Error(err)
			}
		}
	})
	for _, r := range rules {
		t.Run(r.Name, func(t *testing.T) {
			if why, ok := sourceOnly[r.Name]; ok {
				t.Skip(why) // before Parallel: its reason prints next to its name
			}
			t.Parallel()
			p := &prover{bin: bin, rule: r, obs: obs}
			proof, special := proofs[r.Name]
			dir := filepath.Join(rulesDir, r.Name)
			var err error
			p.bad, err = loadFixture(dir, r.Name, "bad.conf")
			if err == nil {
				p.good, err = loadFixture(dir, r.Name, "good.conf")
			}
			switch {
			case err == nil:
			case errors.Is(err, os.ErrNotExist) && !special && r.Severity < report.Error:
				t.Skipf("no fixtures for this %s rule (%v): nothing runs in nginx", r.Severity, err)
			default:
				t.Fatalf("a %s rule must have runnable fixtures: %v", r.Severity, err)
			}
			switch {
			case special:
				proof(t, p)
			case r.Severity == report.Error:
				proveHandshakeBreaks(t, p)
			default:
				// Nothing breaks at run time by the rule's own account (an
				// ignore comment, an include nginx would read): record what
				// happens; the clean config must work like every other.
				p.observeAll(t, p.bad, nil, "")
				p.requireWorks(t, p.good, nil, "")
			}
		})
	}
}

// prover runs one rule's fixtures and records what it saw.
type prover struct {
	bin       *nginxBin
	rule      report.Rule
	obs       *observations
	bad, good *fixture
}

// result is one client's handshake through one deployment.
type result struct {
	target  target
	backend string
	client  string
	out     outcome
	saw     received
	reached bool // whether the request reached the backend at all
}

func (r result) String() string {
	saw := "nothing reached the backend"
	if r.reached {
		saw = "backend received " + r.saw.String()
	}
	return fmt.Sprintf("%s, %s, %s client: %v; %s", r.target, r.backend, r.client, r.out, saw)
}

// handshake opens a WebSocket with c to the target and records it.
func (p *prover) handshake(d *deployment, tg target, c client) result {
	before := len(d.backend.requests())
	o := c.open(d.port(tg), tg.path)
	o.close()
	r := result{target: tg, backend: d.backend.name, client: c.name, out: o}
	if rs := d.backend.requests(); len(rs) > before {
		r.saw, r.reached = rs[len(rs)-1], true
	}
	p.record(d.fx, r)
	return r
}

func (p *prover) record(fx *fixture, r result) {
	saw := "nothing"
	if r.reached {
		saw = r.saw.request()
	}
	res := r.out.String()
	if r.out.OK() {
		res = "101, echo ok"
	} else if r.reached && r.saw.Err != "" {
		res = fmt.Sprintf("%d %q", r.out.Status, r.saw.Err)
	}
	p.obs.add(observation{rule: p.rule.Name, fixture: fx.name, backend: r.backend, client: r.client + " " + r.target.path, result: res, saw: saw})
}

func (p *prover) note(fx *fixture, backend, what string) {
	p.obs.add(observation{rule: p.rule.Name, fixture: fx.name, backend: backend, result: what})
}

// deployAll starts the fixture in front of each backend. It returns the
// nginx -t error, if nginx refused the config, instead of failing.
func (p *prover) deployAll(t *testing.T, fx *fixture, scale func(time.Duration) time.Duration, extraHTTP string) ([]*deployment, *configError) {
	t.Helper()
	var ds []*deployment
	for _, nb := range backends {
		d, err := deploy(t, p.bin, fx, nb, scale, extraHTTP)
		var ce *configError
		if errors.As(err, &ce) {
			return nil, ce
		}
		if err != nil {
			t.Fatalf("%s: %v", fx, err)
		}
		ds = append(ds, d)
	}
	return ds, nil
}

// eachTarget deploys fx in front of every backend, which nginx -t must
// accept, and calls fn with each deployment and proxying location; a
// fixture with none would prove nothing, so it fails.
func (p *prover) eachTarget(t *testing.T, fx *fixture, scale func(time.Duration) time.Duration, extraHTTP string, fn func(d *deployment, tg target)) {
	t.Helper()
	ds, ce := p.deployAll(t, fx, scale, extraHTTP)
	if ce != nil {
		p.note(fx, "-", "nginx -t: "+ce.output)
		t.Fatalf("%s: %v", fx, ce)
	}
	targets, _ := fx.targets()
	if len(ds) == 0 || len(targets) == 0 {
		t.Fatalf("%s: no backend or no proxying location to prove anything on", fx)
	}
	for _, d := range ds {
		for _, tg := range targets {
			fn(d, tg)
		}
	}
}

// requireWorks: every proxying location of fx upgrades and echoes on
// every backend, for the browser and the client without Origin.
func (p *prover) requireWorks(t *testing.T, fx *fixture, scale func(time.Duration) time.Duration, extraHTTP string) []*deployment {
	t.Helper()
	ds, ce := p.deployAll(t, fx, scale, extraHTTP)
	if ce != nil {
		p.note(fx, "-", "nginx -t: "+ce.output)
		t.Fatalf("%s must be a working config, but %v", fx, ce)
	}
	for _, d := range ds {
		for _, tg := range fx.site.targets {
			for _, c := range []client{browserClient, noOriginClient} {
				if r := p.handshake(d, tg, c); !r.out.OK() {
					t.Errorf("%s (clean) must work: %v", fx, r)
				}
			}
		}
	}
	return ds
}

// observeAll runs the browser and no-Origin clients against the targets
// and records the results without judging them.
func (p *prover) observeAll(t *testing.T, fx *fixture, scale func(time.Duration) time.Duration, extraHTTP string) [][]result {
	t.Helper()
	ds, ce := p.deployAll(t, fx, scale, extraHTTP)
	if ce != nil {
		p.note(fx, "-", "nginx -t: "+ce.output)
		t.Logf("%s: %v", fx, ce)
		return nil
	}
	targets, _ := fx.targets()
	var out [][]result // per target: the browser results, one per backend
	for _, tg := range targets {
		var row []result
		for _, d := range ds {
			row = append(row, p.handshake(d, tg, browserClient))
			p.handshake(d, tg, noOriginClient)
		}
		out = append(out, row)
	}
	return out
}

// proveHandshakeBreaks is the contract of an error rule: the bad fixture
// makes a browser's handshake fail on at least one backend (in each
// location a `# want` points into, or in some location if none does), and
// the good fixture works everywhere.
func proveHandshakeBreaks(t *testing.T, p *prover) {
	results := p.observeAll(t, p.bad, nil, "")
	if results == nil {
		t.Errorf("%s: nginx -t refused it; an %s rule must show a failing handshake, not a config nginx rejects", p.bad, p.rule.Severity)
	} else {
		_, wanted := p.bad.targets()
		var broken, fine []string
		var codes []string // the failing statuses a browser saw
		for _, row := range results {
			for _, r := range row {
				if !r.out.OK() && r.out.Status != 0 {
					codes = append(codes, strconv.Itoa(r.out.Status))
				}
			}
			ok := true
			for _, r := range row {
				ok = ok && r.out.OK()
			}
			var lines []string
			for _, r := range row {
				lines = append(lines, r.String())
			}
			if ok {
				fine = append(fine, strings.Join(lines, "\n\t"))
			} else {
				broken = append(broken, strings.Join(lines, "\n\t"))
			}
		}
		switch {
		case len(broken) == 0:
			t.Errorf("%s cries wolf: the handshake works on every backend:\n\t%s", p.bad, strings.Join(fine, "\n\t"))
		case wanted && len(fine) > 0:
			t.Errorf("%s: a location its `# want` points into still works on every backend:\n\t%s", p.bad, strings.Join(fine, "\n\t"))
		default:
			t.Logf("%s breaks:\n\t%s", p.bad, strings.Join(broken, "\n\t"))
			p.requireDocNames(t, codes...)
		}
	}
	p.requireWorks(t, p.good, nil, "")
}

// requireDocNames: the rule's documentation (`wscheck explain`) names at
// least one of the observed failures, so that what it promises is what
// this test saw.
func (p *prover) requireDocNames(t *testing.T, observed ...string) {
	t.Helper()
	if !docNames(p.rule.Why, observed) {
		t.Errorf("the documentation of %s names none of the observed failures %q; it says:\n%s", p.rule.Name, observed, p.rule.Why)
	}
}

// docNames reports whether text mentions one of observed, ignoring how
// either is wrapped.
func docNames(text string, observed []string) bool {
	norm := func(s string) string { return strings.Join(strings.Fields(s), " ") }
	for _, o := range observed {
		if o = norm(o); o != "" && strings.Contains(norm(text), o) {
			return true
		}
	}
	return false
}

// proveNginxRefuses: the bad config does not even start.
func proveNginxRefuses(t *testing.T, p *prover) {
	ds, ce := p.deployAll(t, p.bad, nil, "")
	if ce == nil {
		for _, d := range ds {
			for _, tg := range p.bad.site.targets {
				t.Logf("%v", p.handshake(d, tg, browserClient))
			}
		}
		t.Errorf("%s: nginx -t accepted it; the rule says nginx refuses to start", p.bad)
	} else {
		p.note(p.bad, "-", "nginx -t: "+ce.output)
		t.Logf("%s: %v", p.bad, ce)
		var reasons []string
		for _, l := range strings.Split(ce.output, "; ") {
			reasons = append(reasons, strings.TrimSpace(strings.TrimPrefix(l, "[emerg]")))
		}
		p.requireDocNames(t, reasons...)
	}
	p.requireWorks(t, p.good, nil, "")
}

// proveHostNotForwarded: with nginx's default Host ($proxy_host) the
// backend sees its own address, so a browser's Origin does not match and
// gorilla's default CheckOrigin answers 403. Without Origin it would work.
func proveHostNotForwarded(t *testing.T, p *prover) {
	results := p.observeAll(t, p.bad, nil, "")
	if results == nil {
		t.Fatalf("%s: nginx -t refused it", p.bad)
	}
	for _, row := range results {
		for _, r := range row {
			if r.backend != "gorilla" {
				continue
			}
			if r.out.Status != http.StatusForbidden {
				t.Errorf("%s: want 403 from gorilla's Origin check: %v", p.bad, r)
			} else {
				p.requireDocNames(t, "403")
			}
			if r.reached && r.saw.Host == browserHost {
				t.Errorf("%s: the backend received the browser's Host after all: %v", p.bad, r)
			}
		}
	}
	ds := p.requireWorks(t, p.good, nil, "")
	for _, d := range ds {
		if got, ok := d.backend.last(); ok && got.Host != browserHost {
			t.Errorf("%s: %s received Host %q, want the browser's %q", p.good, d.backend.name, got.Host, browserHost)
		}
	}
}

// proveConnectionFromClient: a client that lists extra hop-by-hop tokens
// (HTTP2-Settings, as an h2c smuggling attempt does) gets them to the
// backend through the bad config, and not through the good one.
func proveConnectionFromClient(t *testing.T, p *prover) {
	reaches := func(fx *fixture, want bool) {
		p.tokenReaches(t, fx, hopByHopClient, "Connection", func(r received) string { return r.Connection }, "HTTP2-Settings", want)
	}
	reaches(p.bad, true)
	reaches(p.good, false)
	p.requireWorks(t, p.good, nil, "")
}

// tokenReaches: through every target of fx, client c's request reaches
// the backend, with token in its header = want.
func (p *prover) tokenReaches(t *testing.T, fx *fixture, c client, header string, value func(received) string, token string, want bool) {
	t.Helper()
	p.eachTarget(t, fx, nil, "", func(d *deployment, tg target) {
		r := p.handshake(d, tg, c)
		if !r.reached {
			t.Errorf("%s: the request never reached the backend: %v", fx, r)
			return
		}
		if got := hasToken(value(r.saw), token); got != want {
			t.Errorf("%s: the client's %s token in %s reached the backend = %v, want %v: %v", fx, token, header, got, want, r)
		}
	})
}

// hasToken reports whether a comma-separated header lists tok.
func hasToken(header, tok string) bool {
	for _, f := range strings.Split(header, ",") {
		if strings.EqualFold(strings.TrimSpace(f), tok) {
			return true
		}
	}
	return false
}

// nginxDefaultTimeout is proxy_read_timeout and proxy_send_timeout when unset.
const nginxDefaultTimeout = 60 * time.Second

// shortBad is what the bad fixture's shortest proxy timeout is scaled to,
// so that the idle close takes about a second instead of minutes.
const shortBad = time.Second

// proveIdleClose: an open WebSocket that stays silent is closed by nginx
// after the bad fixture's timeout but survives the same silence with the
// good one. Both fixtures' timeouts (and nginx's 60s default) are scaled
// by the same factor, so the ratio between them is the fixtures' own.
func proveIdleClose(t *testing.T, p *prover) {
	shortest := func(fx *fixture) time.Duration {
		min := nginxDefaultTimeout
		explicit := false
		for _, tok := range fx.site.timeouts {
			v, err := parseNginxTime(tok.text)
			if err != nil {
				t.Fatalf("%s line %d: %v", fx, tok.line, err)
			}
			if !explicit || v < min {
				min, explicit = v, true
			}
		}
		return min
	}
	badT, goodT := shortest(p.bad), shortest(p.good)
	factor := float64(shortBad) / float64(badT)
	scale := func(d time.Duration) time.Duration { return time.Duration(float64(d) * factor) }
	goodScaled := scale(goodT)
	// Wait past the bad timeout, and well short of the good one.
	window := min((shortBad+goodScaled)/2, 2500*time.Millisecond)
	if window < shortBad+300*time.Millisecond {
		t.Fatalf("%s's shortest proxy timeout (%v) is too close to %s's (%v) to tell apart", p.good, goodT, p.bad, badT)
	}
	extra := fmt.Sprintf("    proxy_read_timeout %s;\n    proxy_send_timeout %s;\n", nginxTime(scale(nginxDefaultTimeout)), nginxTime(scale(nginxDefaultTimeout)))
	t.Logf("timeouts scaled by %.4f: %s %v -> %v, %s %v -> %v; idle window %v", factor, p.bad, badT, shortBad, p.good, goodT, goodScaled, window)

	idle := func(fx *fixture, wantClosed bool) {
		p.eachTarget(t, fx, scale, extra, func(d *deployment, tg target) {
			o := browserClient.open(d.port(tg), tg.path)
			if !o.OK() {
				o.close()
				t.Errorf("%s, %s, %s: the handshake must work before the idle period: %v; %s", fx, d.backend.name, tg, o, d.backend.describe())
				return
			}
			after, closed, err := idleProbe(o.conn, window)
			if err == nil && !closed {
				err = echo(o.conn) // still open: it must still carry messages
			}
			o.close()
			what := fmt.Sprintf("open after %v idle, echo ok", after.Round(10*time.Millisecond))
			if closed {
				what = fmt.Sprintf("closed by nginx after %v idle (timeout scaled from %v)", after.Round(10*time.Millisecond), badT)
			}
			if err != nil {
				what += "; " + err.Error()
				t.Errorf("%s, %s, %s: %v", fx, d.backend.name, tg, err)
			}
			p.obs.add(observation{rule: p.rule.Name, fixture: fx.name, backend: d.backend.name, client: "browser idle " + tg.path, result: what})
			if closed != wantClosed {
				t.Errorf("%s, %s, %s: %s; want closed=%v", fx, d.backend.name, tg, what, wantClosed)
			}
		})
	}
	idle(p.bad, true)
	idle(p.good, false)
	p.requireWorks(t, p.good, nil, "")
}

// proveHostDropsPort: a browser on the server's own (non-default) port
// sends Host and Origin with that port; with Host $host the backend sees
// the name alone, and both backends' Origin checks answer 403. With
// $http_host the same browser upgrades.
func proveHostDropsPort(t *testing.T, p *prover) {
	check := func(fx *fixture, wantOK bool) {
		p.eachTarget(t, fx, nil, "", func(d *deployment, tg target) {
			r := p.handshake(d, tg, portBrowserClient)
			switch {
			case wantOK && !r.out.OK():
				t.Errorf("%s must work for a browser on port %d: %v", fx, d.port(tg), r)
			case !wantOK && r.out.Status != http.StatusForbidden:
				t.Errorf("%s: want 403 from %s's Origin check for a browser on port %d: %v", fx, d.backend.name, d.port(tg), r)
			case !wantOK && r.reached && strings.Contains(r.saw.Host, ":"):
				t.Errorf("%s: the backend received the port in Host after all: %v", fx, r)
			case !wantOK:
				p.requireDocNames(t, "403")
			}
		})
	}
	check(p.bad, false)
	check(p.good, true)
	p.requireWorks(t, p.good, nil, "")
}

// proveForwardedHostPort: X-Forwarded-Host with $server_port appended does
// not match a browser's Origin on a default port, so a backend that checks
// Origin against X-Forwarded-Host (as code-server does) answers 403. The
// e2e's listen port stands for the 80/443 of the fixture: the browser's
// Origin has no port either way.
func proveForwardedHostPort(t *testing.T, p *prover) {
	check := func(fx *fixture, wantOK bool) {
		d, err := deploy(t, p.bin, fx, startForwardedHostChecker, nil, "")
		var ce *configError
		if errors.As(err, &ce) {
			p.note(fx, "-", "nginx -t: "+ce.output)
			t.Fatalf("%s: %v", fx, ce)
		}
		if err != nil {
			t.Fatalf("%s: %v", fx, err)
		}
		targets, _ := fx.targets()
		for _, tg := range targets {
			r := p.handshake(d, tg, browserClient)
			xfh := r.saw.Header.Get("X-Forwarded-Host")
			switch {
			case !r.reached:
				t.Errorf("%s: nothing reached the backend: %v", fx, r)
			case wantOK && !r.out.OK():
				t.Errorf("%s must work against an X-Forwarded-Host check: %v (X-Forwarded-Host %q)", fx, r, xfh)
			case !wantOK && (r.out.Status != http.StatusForbidden || !strings.Contains(xfh, ":")):
				t.Errorf("%s: want 403 with a port in X-Forwarded-Host: %v (X-Forwarded-Host %q)", fx, r, xfh)
			case !wantOK:
				p.requireDocNames(t, "403")
			}
		}
	}
	check(p.bad, false)
	check(p.good, true)
	p.requireWorks(t, p.good, nil, "")
}

// provePlainRequestsAskUpgrade: an ordinary GET through a location with a
// constant Connection upgrade reaches the backend with the upgrade token and
// no Upgrade header; through the map it does not. Handshakes work in both.
func provePlainRequestsAskUpgrade(t *testing.T, p *prover) {
	check := func(fx *fixture, wantUpgrade bool) {
		p.eachTarget(t, fx, nil, "", func(d *deployment, tg target) {
			before := len(d.backend.requests())
			status, err := plainGet(d.port(tg), tg.path)
			rs := d.backend.requests()
			if err != nil || len(rs) == before {
				t.Errorf("%s, %s, %s: the plain GET did not reach the backend (status %d, %v)", fx, d.backend.name, tg, status, err)
				return
			}
			got := rs[len(rs)-1]
			p.obs.add(observation{rule: p.rule.Name, fixture: fx.name, backend: d.backend.name, client: "plain GET " + tg.path, result: fmt.Sprintf("%d", status), saw: got.request()})
			if asked := hasToken(got.Connection, "upgrade") && got.Upgrade == ""; asked != wantUpgrade {
				t.Errorf("%s, %s, %s: plain GET reached the backend with %s; want Connection: upgrade without Upgrade = %v", fx, d.backend.name, tg, got.request(), wantUpgrade)
			}
		})
	}
	check(p.bad, true)
	check(p.good, false)
	p.requireWorks(t, p.bad, nil, "")
	p.requireWorks(t, p.good, nil, "")
}

// proveUpgradeRestricted: a client asking for h2c gets "Upgrade: h2c" to
// the backend through Upgrade $http_upgrade, and no h2c through the
// allow-list map; WebSocket handshakes work through both.
func proveUpgradeRestricted(t *testing.T, p *prover) {
	reaches := func(fx *fixture, want bool) {
		p.tokenReaches(t, fx, h2cClient, "Upgrade", func(r received) string { return r.Upgrade }, "h2c", want)
	}
	reaches(p.bad, true)
	reaches(p.good, false)
	p.requireWorks(t, p.bad, nil, "")
	p.requireWorks(t, p.good, nil, "")
}

// proveKeepaliveLost: with upstream keep-alive on (the default from nginx
// 1.29.7, written out in the fixtures for older nginx), plain requests
// through a map that yields "close" each reach the backend on a new
// connection; through a map that yields "" they share one.
func proveKeepaliveLost(t *testing.T, p *prover) {
	const requests = 3
	check := func(fx *fixture, wantShared bool) {
		p.eachTarget(t, fx, nil, "", func(d *deployment, tg target) {
			before := len(d.backend.requests())
			for range requests {
				if _, err := plainGet(d.port(tg), tg.path); err != nil {
					t.Fatalf("%s, %s: plain GET: %v", fx, d.backend.name, err)
				}
			}
			rs := d.backend.requests()[before:]
			conns := map[string]bool{}
			for _, r := range rs {
				conns[r.Remote] = true
			}
			what := fmt.Sprintf("%d plain GETs reached the backend on %d upstream connection(s), Connection %q", len(rs), len(conns), rs[len(rs)-1].Connection)
			p.obs.add(observation{rule: p.rule.Name, fixture: fx.name, backend: d.backend.name, client: "plain GET x3 " + tg.path, result: what})
			if len(rs) != requests || (len(conns) == 1) != wantShared || (!wantShared && len(conns) != requests) {
				t.Errorf("%s, %s, %s: %s; want them on one shared connection = %v", fx, d.backend.name, tg, what, wantShared)
			}
		})
	}
	check(p.bad, false)
	check(p.good, true)
	p.requireWorks(t, p.good, nil, "")
}
