package e2e

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/wscheck/wscheck/nginxcheck"
	"github.com/wscheck/wscheck/probe"
)

// probeCases are the rule fixtures whose bad config breaks a handshake
// the probe can see, and the cause it must name for them.
var probeCases = []struct {
	rule     string
	cause    string
	backends []func(*testing.T) *backend
	onPort   bool // the browser reaches the server on its port: Host and Origin carry it
}{
	{"missing-upgrade-header", probe.CauseUpgradeNotForwarded, backends, false},
	{"missing-connection-header", probe.CauseUpgradeNotForwarded, backends, false},
	{"dropped-inherited-headers", probe.CauseUpgradeNotForwarded, backends, false},
	{"broken-upgrade-map", probe.CauseUpgradeNotForwarded, backends, false},
	// gorilla accepts an HTTP/1.0 handshake; coder/websocket refuses it.
	{"missing-http-version", probe.CauseHTTPVersion, []func(*testing.T) *backend{startCoder}, false},
	{"host-not-forwarded", probe.CauseOriginRejected, backends, false},
	{"host-drops-port", probe.CauseOriginRejected, backends, true},
}

// probeAs probes port like a browser on a page at http://app.example.test
// (with the port when onPort), connecting to 127.0.0.1.
func probeAs(t *testing.T, scheme string, port int, path string, onPort bool, o probe.Options) probe.Result {
	t.Helper()
	hp := net.JoinHostPort(browserHost, strconv.Itoa(port))
	u, err := probe.ParseURL(scheme + "://" + hp + path)
	if err != nil {
		t.Fatal(err)
	}
	o.Resolve = map[string]string{hp: "127.0.0.1"}
	o.Origin = probe.DefaultOrigin(u)
	if !onPort {
		o.Header = http.Header{"Host": {browserHost}}
		o.Origin = map[string]string{"ws": "http", "wss": "https"}[scheme] + "://" + browserHost
	}
	if o.Timeout == 0 {
		o.Timeout = 5 * time.Second
	}
	return probe.Run(context.Background(), u, o)
}

func staticRules(t *testing.T, path string) []string {
	t.Helper()
	res := nginxcheck.Analyze([]string{path}, nginxcheck.Options{})
	if len(res.Errors) > 0 {
		t.Fatalf("%s: %v", path, res.Errors)
	}
	var names []string
	for _, f := range res.Findings {
		names = append(names, f.Rule)
	}
	return names
}

// TestProbeNamesTheRule: through a real nginx, the probe's cause for a
// rule's bad fixture lists that rule in `see`, the static check reports
// it on the same file, and the good fixture probes ok.
func TestProbeNamesTheRule(t *testing.T) {
	bin := requireNginx(t)
	for _, pc := range probeCases {
		t.Run(pc.rule, func(t *testing.T) {
			dir := filepath.Join(rulesDir, pc.rule)
			for _, name := range []string{"bad.conf", "good.conf"} {
				fx, err := loadFixture(dir, pc.rule, name)
				if err != nil {
					t.Fatal(err)
				}
				static := staticRules(t, filepath.Join(dir, name))
				if name == "bad.conf" && !slices.Contains(static, pc.rule) {
					t.Fatalf("%s: the static check reports %q, not %s", fx, static, pc.rule)
				}
				targets, _ := fx.targets()
				for _, newBackend := range pc.backends {
					d, err := deploy(t, bin, fx, newBackend, nil, "")
					if err != nil {
						t.Fatal(err)
					}
					tg := targets[0]
					r := probeAs(t, "ws", d.port(tg), tg.path, pc.onPort, probe.Options{})
					if name == "good.conf" {
						if !r.OK() {
							t.Errorf("%s, %s: cause %q: %s; %s", fx, d.backend.name, r.Cause, r.Message, d.backend.describe())
						}
						continue
					}
					if r.Cause != pc.cause || !slices.Contains(r.See, pc.rule) {
						t.Errorf("%s, %s: cause %q (see %q), want %q naming %s: %s; %s", fx, d.backend.name, r.Cause, r.See, pc.cause, pc.rule, r.Message, d.backend.describe())
					}
					if pc.rule == "host-drops-port" && (len(r.Variants) != 2 || r.Variants[1].Name != "origin-without-port" || r.Variants[1].Status != 101) {
						t.Errorf("%s, %s: the Origin without the port did not get the 101 that tells the dropped port: %+v", fx, d.backend.name, r.Variants)
					}
					t.Logf("%s, %s: %s: %s (answered by %s)", fx, d.backend.name, r.Cause, r.Message, r.AnsweredBy)
				}
			}
		})
	}
}

// TestProbeIdleTimeout: short-read-timeout's bad fixture, its 60 s scaled
// to 1 s, closes the tunnel during --idle about then; the good fixture's
// 1 h (1 min scaled) keeps it open.
func TestProbeIdleTimeout(t *testing.T) {
	bin := requireNginx(t)
	dir := filepath.Join(rulesDir, "short-read-timeout")
	scale := func(d time.Duration) time.Duration { return d / 60 }
	extra := "    proxy_read_timeout 1s;\n    proxy_send_timeout 1s;\n" // the scaled default, for locations without one
	for _, name := range []string{"bad.conf", "good.conf"} {
		fx, err := loadFixture(dir, "short-read-timeout", name)
		if err != nil {
			t.Fatal(err)
		}
		if name == "bad.conf" && !slices.Contains(staticRules(t, filepath.Join(dir, name)), "short-read-timeout") {
			t.Fatal("the static check does not report short-read-timeout on bad.conf")
		}
		d, err := deploy(t, bin, fx, startGorilla, scale, extra)
		if err != nil {
			t.Fatal(err)
		}
		targets, _ := fx.targets()
		r := probeAs(t, "ws", d.port(targets[0]), targets[0].path, false, probe.Options{Idle: 3 * time.Second})
		if name == "good.conf" {
			if !r.OK() || r.Idle == nil || r.Idle.ClosedBy != "" {
				t.Errorf("%s: cause %q, idle %+v: %s", fx, r.Cause, r.Idle, r.Message)
			}
			continue
		}
		if r.Cause != probe.CauseIdleTimeout || r.Idle == nil || !slices.Contains(r.See, "short-read-timeout") {
			t.Fatalf("%s: cause %q, idle %+v: %s", fx, r.Cause, r.Idle, r.Message)
		}
		// nginx closes the TCP connection at its read timeout (no close
		// frame): about 1 s; a range, not a timing race.
		if r.Idle.ClosedBy != "tcp-close" || r.Idle.ClosedAfterS < 0.7 || r.Idle.ClosedAfterS > 2.5 {
			t.Errorf("%s: idle %+v, want a TCP close after about 1 s", fx, *r.Idle)
		}
		t.Logf("%s: %s", fx, r.Message)
	}
}

// TestProbeChainAnswers: a dead upstream, a redirect, and wss:// with a
// certificate this test makes, all through one real nginx.
func TestProbeChainAnswers(t *testing.T) {
	bin := requireNginx(t)
	be := startCoder(t)
	ps, err := freePorts(4)
	if err != nil {
		t.Fatal(err)
	}
	deadPort, redirectPort, tlsPort, deadUpstream := ps[0], ps[1], ps[2], ps[3]
	certDir := t.TempDir()
	caPEM := writeCert(t, certDir)
	extra := fmt.Sprintf(`
    server {
        listen 127.0.0.1:%d;
        location /ws/ { proxy_pass http://127.0.0.1:%d; proxy_http_version 1.1; }
    }
    server {
        listen 127.0.0.1:%d;
        location /ws/ { return 301 https://app.example.test/ws/; }
    }
    server {
        listen 127.0.0.1:%d ssl;
        ssl_certificate %s;
        ssl_certificate_key %s;
        location /ws/ {
            proxy_pass http://%s;
            proxy_http_version 1.1;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection "upgrade";
            proxy_set_header Host $http_host;
        }
    }
`, deadPort, deadUpstream, redirectPort, tlsPort, filepath.Join(certDir, "cert.pem"), filepath.Join(certDir, "key.pem"), be.addr)
	fx := inlineFixture(t, "working", workingConf)
	if _, err := deploy(t, bin, fx, func(*testing.T) *backend { return be }, nil, extra); err != nil {
		t.Fatal(err)
	}
	if r := probeAs(t, "ws", deadPort, "/ws/", false, probe.Options{}); r.Cause != probe.CauseProxyError || r.Status != 502 || r.AnsweredBy != "nginx/"+bin.version+" (its own error page)" {
		t.Errorf("dead upstream: %q %d: %s (answered by %s)", r.Cause, r.Status, r.Message, r.AnsweredBy)
	}
	if r := probeAs(t, "ws", redirectPort, "/ws/", false, probe.Options{}); r.Cause != probe.CauseRedirected || r.Status != 301 {
		t.Errorf("return 301: %q %d: %s", r.Cause, r.Status, r.Message)
	}
	if r := probeAs(t, "wss", tlsPort, "/ws/", true, probe.Options{}); r.Cause != probe.CauseTLSFailed {
		t.Errorf("wss without --cacert: %q: %s", r.Cause, r.Message)
	}
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(caPEM)
	if r := probeAs(t, "wss", tlsPort, "/ws/", true, probe.Options{RootCAs: pool}); !r.OK() {
		t.Errorf("wss with --cacert: %q: %s; %s", r.Cause, r.Message, be.describe())
	}
}

// writeCert writes a self-signed certificate for app.example.test to
// dir/cert.pem and dir/key.pem and returns the certificate's PEM.
func writeCert(t *testing.T, dir string) []byte {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: browserHost},
		DNSNames: []string{browserHost}, NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true, IsCA: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kb, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	certPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	if err := os.WriteFile(filepath.Join(dir, "cert.pem"), certPEM, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "key.pem"), pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kb}), 0o600); err != nil {
		t.Fatal(err)
	}
	return certPEM
}
