package probe

import (
	"bufio"
	"bytes"
	"context"
	"crypto/x509"
	"encoding/json"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	coder "github.com/coder/websocket"
	"github.com/gorilla/websocket"

	"github.com/wscheck/wscheck/haproxycheck"
	"github.com/wscheck/wscheck/nginxcheck"
)

// gorillaEcho upgrades with gorilla's default Upgrader (its CheckOrigin
// compares Origin with Host) and echoes until the client goes.
func gorillaEcho(w http.ResponseWriter, r *http.Request) {
	var up websocket.Upgrader
	c, err := up.Upgrade(w, r, nil)
	if err != nil {
		return
	}
	defer c.Close()
	_ = c.SetReadDeadline(time.Now().Add(5 * time.Second))
	for {
		if _, _, err := c.ReadMessage(); err != nil {
			return
		}
	}
}

func coderEcho(w http.ResponseWriter, r *http.Request) {
	c, err := coder.Accept(w, r, nil)
	if err != nil {
		return
	}
	defer func() { _ = c.CloseNow() }()
	ctx, cancel := context.WithTimeout(r.Context(), 5*time.Second)
	defer cancel()
	for {
		if _, _, err := c.Read(ctx); err != nil {
			return
		}
	}
}

func start(t *testing.T, h http.HandlerFunc) *url.URL {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	u, err := ParseURL(srv.URL + "/ws")
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func probeIt(t *testing.T, u *url.URL, o Options) Result {
	t.Helper()
	if o.Timeout == 0 {
		o.Timeout = 3 * time.Second
	}
	begin := time.Now()
	r := Run(context.Background(), u, o)
	if took := time.Since(begin); took > o.Timeout+o.Idle+time.Second {
		t.Errorf("probe took %v, over its %v timeout", took, o.Timeout+o.Idle)
	}
	return r
}

// Handlers that stand for what a broken proxy does to the request
// before the library sees it.
func dropUpgrade(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		r.Header.Del("Upgrade")
		r.Header.Del("Connection")
		next(w, r)
	}
}

func asHTTP10(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		r.Proto, r.ProtoMajor, r.ProtoMinor = "HTTP/1.0", 1, 0
		next(w, r)
	}
}

func withHost(host func(r *http.Request) string, next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		r.Host = host(r)
		next(w, r)
	}
}

func status(code int, hdr ...string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		for i := 0; i+1 < len(hdr); i += 2 {
			w.Header().Set(hdr[i], hdr[i+1])
		}
		w.WriteHeader(code)
		_, _ = w.Write([]byte("page\n"))
	}
}

func TestCauses(t *testing.T) {
	hostOnly := func(r *http.Request) string { h, _, _ := net.SplitHostPort(r.Host); return h }
	cases := []struct {
		name       string
		h          http.HandlerFunc
		cause      string
		answeredBy string
		variants   []string
	}{
		{"gorilla ok", gorillaEcho, CauseOK, "", []string{"handshake"}},
		{"coder ok", coderEcho, CauseOK, "", []string{"handshake"}},
		{"gorilla without upgrade", dropUpgrade(gorillaEcho), CauseUpgradeNotForwarded, "gorilla/websocket", []string{"handshake"}},
		{"coder without upgrade", dropUpgrade(coderEcho), CauseUpgradeNotForwarded, "coder/websocket", []string{"handshake"}},
		{"coder over HTTP/1.0", asHTTP10(coderEcho), CauseHTTPVersion, "coder/websocket", []string{"handshake"}},
		{"gorilla, Host rewritten", withHost(func(*http.Request) string { return "backend.internal" }, gorillaEcho), CauseOriginRejected, "gorilla/websocket", []string{"handshake", "origin-without-port", "without-origin"}},
		{"gorilla, Host without port", withHost(hostOnly, gorillaEcho), CauseOriginRejected, "gorilla/websocket", []string{"handshake", "origin-without-port"}},
		{"coder, Host rewritten", withHost(func(*http.Request) string { return "backend.internal" }, coderEcho), CauseOriginRejected, "coder/websocket", []string{"handshake", "origin-without-port", "without-origin"}},
		{"403 whatever the origin", status(403), CauseForbidden, "", []string{"handshake", "origin-without-port", "without-origin"}},
		{"redirect", status(301, "Location", "https://x.test/ws"), CauseRedirected, "", []string{"handshake"}},
		{"page", status(200), CauseNotUpgraded, "", []string{"handshake"}},
		{"bad gateway", status(502, "Server", "nginx/1.22.1"), CauseProxyError, "nginx/1.22.1", []string{"handshake"}},
		{"basic auth", status(401), CauseAuthRequired, "", []string{"handshake"}},
		{"not found", status(404), CauseNotFound, "", []string{"handshake"}},
		{"plain 400 to everything", status(400), CauseUnknown, "", []string{"handshake", "without-upgrade"}},
		{"426 from an unknown server", status(426), CauseUpgradeNotForwarded, "", []string{"handshake"}},
		{"a 418", status(418), CauseUnknown, "", []string{"handshake"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			u := start(t, tc.h)
			r := probeIt(t, u, Options{Origin: DefaultOrigin(u)})
			if r.Cause != tc.cause {
				t.Fatalf("cause %q, want %q: %s; %+v", r.Cause, tc.cause, r.Message, r.Variants)
			}
			if r.AnsweredBy != tc.answeredBy {
				t.Errorf("answered_by %q, want %q", r.AnsweredBy, tc.answeredBy)
			}
			var names []string
			for _, v := range r.Variants {
				names = append(names, v.Name)
			}
			if strings.Join(names, ",") != strings.Join(tc.variants, ",") {
				t.Errorf("variants %q, want %q", names, tc.variants)
			}
			if r.Message == "" || (r.Cause != CauseOK && r.Status == 0) {
				t.Errorf("message %q, status %d", r.Message, r.Status)
			}
		})
	}
}

// rawServer answers every connection with serve, on loopback.
func rawServer(t *testing.T, serve func(c net.Conn, req []byte)) *url.URL {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	t.Cleanup(func() { close(done); ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				_ = c.SetDeadline(time.Now().Add(10 * time.Second))
				br := bufio.NewReader(c)
				var req bytes.Buffer
				for {
					line, err := br.ReadString('\n')
					req.WriteString(line)
					if err != nil || line == "\r\n" {
						break
					}
				}
				serve(c, req.Bytes())
				select {
				case <-done:
				case <-time.After(4 * time.Second): // hold the connection open
				}
			}()
		}
	}()
	u, _ := ParseURL("ws://" + ln.Addr().String() + "/ws")
	return u
}

func keyOf(req []byte) string {
	for _, l := range strings.Split(string(req), "\r\n") {
		if k, v, ok := strings.Cut(l, ":"); ok && strings.EqualFold(k, "Sec-WebSocket-Key") {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

func TestHostileAnswers(t *testing.T) {
	cases := []struct {
		name  string
		serve func(c net.Conn, req []byte)
		cause string
	}{
		{"garbage status line", func(c net.Conn, _ []byte) { _, _ = c.Write([]byte("SSH-2.0-OpenSSH_9.2\r\n")) }, CauseBadResponse},
		{"endless headers", func(c net.Conn, _ []byte) {
			_, _ = c.Write([]byte("HTTP/1.1 200 OK\r\n"))
			for i := 0; i < 5000; i++ {
				if _, err := c.Write([]byte("X-Filler: aaaaaaaaaaaaaaaaaaaaaaaa\r\n")); err != nil {
					return
				}
			}
		}, CauseBadResponse},
		{"one endless header line", func(c net.Conn, _ []byte) {
			_, _ = c.Write([]byte("HTTP/1.1 200 OK\r\nX-Long: "))
			for i := 0; i < 1000; i++ {
				if _, err := c.Write(bytes.Repeat([]byte("a"), 1024)); err != nil {
					return
				}
			}
		}, CauseBadResponse},
		{"headers cut off", func(c net.Conn, _ []byte) {
			_, _ = c.Write([]byte("HTTP/1.1 400 Bad Request\r\nServer: x\r\n"))
			c.Close()
		}, CauseBadResponse},
		{"101 without accept", func(c net.Conn, _ []byte) {
			_, _ = c.Write([]byte("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n"))
		}, CauseBadAccept},
		{"101 with a stale accept", func(c net.Conn, _ []byte) {
			_, _ = c.Write([]byte("HTTP/1.1 101 Switching Protocols\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n"))
		}, CauseBadAccept},
		{"101, then silence", func(c net.Conn, req []byte) {
			_, _ = c.Write([]byte("HTTP/1.1 101 Switching Protocols\r\nSec-WebSocket-Accept: " + expectedAccept(keyOf(req)) + "\r\n\r\n"))
		}, CauseFramesNotRelayed},
		{"101, then a close", func(c net.Conn, req []byte) {
			_, _ = c.Write([]byte("HTTP/1.1 101 Switching Protocols\r\nSec-WebSocket-Accept: " + expectedAccept(keyOf(req)) + "\r\n\r\n"))
			c.Close()
		}, CauseFramesNotRelayed},
		{"101, then a huge frame", func(c net.Conn, req []byte) {
			_, _ = c.Write([]byte("HTTP/1.1 101 Switching Protocols\r\nSec-WebSocket-Accept: " + expectedAccept(keyOf(req)) + "\r\n\r\n"))
			_, _ = c.Write([]byte{0x82, 127, 0x7f, 0, 0, 0, 0, 0, 0, 0})
		}, CauseBadResponse},
		{"silence", func(net.Conn, []byte) {}, CauseNoAnswer},
		{"close at once", func(c net.Conn, _ []byte) { c.Close() }, CauseNoAnswer},
		{"a 400 page that never ends", func(c net.Conn, _ []byte) {
			_, _ = c.Write([]byte("HTTP/1.1 400 Bad Request\r\n\r\n"))
			for i := 0; i < 10000; i++ {
				if _, err := c.Write(bytes.Repeat([]byte("x"), 1024)); err != nil {
					return
				}
			}
		}, CauseUnknown},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			u := rawServer(t, tc.serve)
			r := probeIt(t, u, Options{Timeout: 1500 * time.Millisecond})
			if r.Cause != tc.cause {
				t.Errorf("cause %q, want %q: %s", r.Cause, tc.cause, r.Message)
			}
			for _, v := range r.Variants {
				if len(v.BodyExcerpt) > excerptBytes+3 {
					t.Errorf("excerpt of %d bytes", len(v.BodyExcerpt))
				}
			}
		})
	}
}

func TestConnectFailed(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	u, _ := ParseURL("ws://" + addr + "/")
	if r := probeIt(t, u, Options{}); r.Cause != CauseConnectFailed {
		t.Errorf("cause %q, want connect-failed: %s", r.Cause, r.Message)
	}
}

func TestIdleClose(t *testing.T) {
	// The server closes with 1001 after 700 ms of silence, as a proxy's
	// read timeout does (nginx closes the TCP connection instead).
	u := rawServer(t, func(c net.Conn, req []byte) {
		_, _ = c.Write([]byte("HTTP/1.1 101 Switching Protocols\r\nSec-WebSocket-Accept: " + expectedAccept(keyOf(req)) + "\r\n\r\n"))
		br := bufio.NewReader(c)
		f, err := readFrame(br)
		if err != nil || f.op != opPing {
			return
		}
		_, _ = c.Write(append([]byte{0x80 | opPong, byte(len(f.payload))}, f.payload...))
		time.Sleep(700 * time.Millisecond)
		_, _ = c.Write([]byte{0x80 | opClose, 2, 0x03, 0xe9})
	})
	r := probeIt(t, u, Options{Idle: 3 * time.Second})
	if r.Cause != CauseIdleTimeout || r.Idle == nil {
		t.Fatalf("cause %q, idle %+v: %s", r.Cause, r.Idle, r.Message)
	}
	if r.Idle.ClosedBy != "close-frame" || r.Idle.CloseCode != 1001 || r.Idle.ClosedAfterS < 0.5 || r.Idle.ClosedAfterS > 1.5 {
		t.Errorf("idle %+v, want a 1001 close frame after about 0.7 s", *r.Idle)
	}

	ok := start(t, gorillaEcho)
	r = probeIt(t, ok, Options{Origin: DefaultOrigin(ok), Idle: 500 * time.Millisecond})
	if r.Cause != CauseOK || r.Idle == nil || r.Idle.ClosedBy != "" {
		t.Errorf("gorilla through 500 ms of silence: %q %+v", r.Cause, r.Idle)
	}
}

func TestTLS(t *testing.T) {
	srv := httptest.NewUnstartedServer(http.HandlerFunc(gorillaEcho))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the refused handshake is the point
	srv.StartTLS()
	t.Cleanup(srv.Close)
	u, _ := ParseURL(srv.URL + "/ws")
	if u.Scheme != "wss" {
		t.Fatalf("https:// parsed as %s", u)
	}
	if r := probeIt(t, u, Options{Origin: DefaultOrigin(u)}); r.Cause != CauseTLSFailed {
		t.Errorf("untrusted certificate: cause %q: %s", r.Cause, r.Message)
	}
	pool := x509.NewCertPool()
	pool.AddCert(srv.Certificate())
	if r := probeIt(t, u, Options{Origin: DefaultOrigin(u), RootCAs: pool}); r.Cause != CauseOK {
		t.Errorf("with the CA: cause %q: %s", r.Cause, r.Message)
	}
	if r := probeIt(t, u, Options{Origin: DefaultOrigin(u), Insecure: true}); r.Cause != CauseOK {
		t.Errorf("--insecure: cause %q: %s", r.Cause, r.Message)
	}
}

func TestResolve(t *testing.T) {
	u := start(t, gorillaEcho)
	named, _ := ParseURL("ws://app.example.test:" + u.Port() + "/ws")
	r := probeIt(t, named, Options{Origin: DefaultOrigin(named), Resolve: map[string]string{"app.example.test:" + u.Port(): "127.0.0.1"}})
	if r.Cause != CauseOK {
		t.Errorf("cause %q: %s", r.Cause, r.Message)
	}
}

func TestProxyConnect(t *testing.T) {
	backend := start(t, gorillaEcho)
	var asked string
	proxy := rawServer(t, func(c net.Conn, req []byte) {
		asked = strings.SplitN(string(req), "\r\n", 2)[0]
		up, err := net.Dial("tcp", backend.Host)
		if err != nil {
			return
		}
		defer up.Close()
		_, _ = c.Write([]byte("HTTP/1.1 200 Connection established\r\n\r\n"))
		go func() { _, _ = bufio.NewReader(up).WriteTo(c) }()
		_, _ = bufio.NewReader(c).WriteTo(up)
	})
	named, _ := ParseURL("ws://app.example.test:" + backend.Port() + "/ws")
	pu, _ := url.Parse("http://" + proxy.Host)
	r := probeIt(t, named, Options{Origin: DefaultOrigin(named), Proxy: func(*url.URL) (*url.URL, error) { return pu, nil }})
	if r.Cause != CauseOK || asked != "CONNECT app.example.test:"+backend.Port()+" HTTP/1.1" {
		t.Errorf("cause %q (%s), proxy asked %q", r.Cause, r.Message, asked)
	}
}

func TestProxyFromEnv(t *testing.T) {
	env := map[string]string{"HTTPS_PROXY": "proxy.corp:3128", "http_proxy": "http://plain.corp:8080", "NO_PROXY": "internal.test, .skip.test"}
	pick := ProxyFromEnv(func(k string) string { return env[k] })
	for in, want := range map[string]string{
		"https://app.example.com/": "http://proxy.corp:3128",
		"http://app.example.com/":  "http://plain.corp:8080",
		"https://internal.test/":   "",
		"https://a.internal.test/": "",
		"https://b.skip.test/":     "",
		"http://127.0.0.1:8080/":   "",
		"http://localhost/":        "",
	} {
		u, _ := url.Parse(in)
		got, err := pick(u)
		if err != nil {
			t.Fatal(err)
		}
		s := ""
		if got != nil {
			s = got.String()
		}
		if s != want {
			t.Errorf("%s: proxy %q, want %q", in, s, want)
		}
	}
}

func TestParseURL(t *testing.T) {
	for in, want := range map[string]string{"http://h/ws": "ws://h/ws", "https://h:8443/a?b=c": "wss://h:8443/a?b=c", "WS://h": "ws://h"} {
		u, err := ParseURL(in)
		if err != nil || u.String() != want {
			t.Errorf("ParseURL(%q) = %v, %v; want %s", in, u, err, want)
		}
	}
	for _, in := range []string{"ftp://h/", "h/ws", "ws:///x", "ws://u:p@h/", "ws://h:%zz/"} {
		if _, err := ParseURL(in); err == nil {
			t.Errorf("ParseURL(%q) accepted", in)
		}
	}
}

// Bytes from a response never reach the terminal raw, and JSON stays valid.
func TestOutputEscapes(t *testing.T) {
	u := rawServer(t, func(c net.Conn, _ []byte) {
		_, _ = c.Write([]byte("HTTP/1.1 418 \x1b[31mTea\r\nServer: evil\x1b]0;x\x07\r\nContent-Length: 12\r\n\r\n\xff\xfe\x1b[2Jbody\nx"))
	})
	r := probeIt(t, u, Options{})
	var text, js bytes.Buffer
	if err := WriteText(&text, []Result{r}, false); err != nil {
		t.Fatal(err)
	}
	if bytes.ContainsAny(text.Bytes(), "\x1b\x07\xff") || strings.Count(text.String(), "\n") != strings.Count(text.String(), "\n    ")+1 {
		t.Errorf("text output carries raw response bytes or extra lines:\n%q", text.String())
	}
	if err := WriteJSON(&js, []Result{r}); err != nil {
		t.Fatal(err)
	}
	var back struct {
		Probes []Result `json:"probes"`
	}
	if err := json.Unmarshal(js.Bytes(), &back); err != nil || len(back.Probes) != 1 || back.Probes[0].Status != 418 {
		t.Errorf("JSON does not read back: %v\n%s", err, js.String())
	}
}

// Every cause the judge can name is documented, and See names real rules.
func TestCauseDocs(t *testing.T) {
	rules := append(nginxcheck.Rules(), haproxycheck.Rules()...)
	for _, c := range Causes() {
		if c.Why == "" || c.Title == "" {
			t.Errorf("%s: no documentation", c.Name)
		}
		if _, clash := rules.Lookup(c.Name); clash {
			t.Errorf("cause %s has a rule's name: explain could not tell them apart", c.Name)
		}
		for _, s := range c.See {
			if _, ok := rules.Lookup(s); !ok {
				t.Errorf("%s: see %q, which is no rule", c.Name, s)
			}
		}
		if !strings.Contains(c.Explain(), c.Name) {
			t.Errorf("%s: Explain lacks the name", c.Name)
		}
	}
}

// The signatures, on answers written as each library's source writes
// them (see signature.go for the functions).
func TestIdentify(t *testing.T) {
	h := func(kv ...string) http.Header {
		out := http.Header{}
		for i := 0; i+1 < len(kv); i += 2 {
			out.Set(kv[i], kv[i+1])
		}
		return out
	}
	cases := []struct {
		name         string
		r            response
		by, libCause string
	}{
		{"gorilla 400 relayed by nginx", response{status: 400, header: h("Server", "nginx/1.22.1", "Sec-Websocket-Version", "13"), body: []byte("Bad Request\n")}, "gorilla/websocket via nginx/1.22.1", CauseUpgradeNotForwarded},
		{"gorilla 403", response{status: 403, header: h("Sec-Websocket-Version", "13"), body: []byte("Forbidden\n")}, "gorilla/websocket", CauseOriginRejected},
		{"coder HTTP/1.0", response{status: 426, header: h(), body: []byte(`WebSocket protocol violation: handshake request must be at least HTTP/1.1: "HTTP/1.0"` + "\n")}, "coder/websocket", CauseHTTPVersion},
		{"coder origin", response{status: 403, header: h(), body: []byte(`request Origin "a.test" is not authorized for Host "b.test"` + "\n")}, "coder/websocket", CauseOriginRejected},
		{"ws invalid upgrade", response{status: 400, header: h("Connection", "close", "Content-Type", "text/html"), body: []byte("Invalid Upgrade header")}, "ws (Node.js)", CauseUpgradeNotForwarded},
		{"ws 426 of its own server", response{status: 426, header: h("Content-Type", "text/plain"), body: []byte("Upgrade Required")}, "ws (Node.js)", CauseUpgradeNotForwarded},
		{"python websockets", response{status: 426, header: h("Upgrade", "websocket"), body: []byte("Failed to open a WebSocket connection: invalid Connection header: keep-alive.\n\nYou cannot access a WebSocket server directly with a browser. You need a WebSocket client.\n")}, "websockets (Python)", CauseUpgradeNotForwarded},
		{"python websockets origin", response{status: 403, header: h(), body: []byte("Failed to open a WebSocket connection: invalid Origin header: https://x.test.\n")}, "websockets (Python)", CauseOriginRejected},
		{"engine.io", response{status: 400, header: h("Server", "nginx"), body: []byte(`{"code":3,"message":"Bad request"}`)}, "Socket.IO (engine.io) via nginx", ""},
		{"nginx's own 502", response{status: 502, header: h("Server", "nginx/1.22.1"), body: []byte("<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx/1.22.1</center>\r\n</body>\r\n</html>\r\n")}, "nginx/1.22.1 (its own error page)", ""},
		{"nginx's page, no Server", response{status: 400, header: h(), body: []byte("<hr><center>nginx</center>")}, "nginx (its own error page)", ""},
		{"nothing known", response{status: 400, header: h(), body: []byte("nope")}, "", ""},
	}
	for _, tc := range cases {
		by, c := identify(&tc.r)
		if by != tc.by || c != tc.libCause {
			t.Errorf("%s: identify = %q, %q; want %q, %q", tc.name, by, c, tc.by, tc.libCause)
		}
	}
}

func TestSubprotocol(t *testing.T) {
	chat := func(w http.ResponseWriter, r *http.Request) {
		up := websocket.Upgrader{Subprotocols: []string{"chat"}}
		c, err := up.Upgrade(w, r, nil)
		if err == nil {
			defer c.Close()
			_, _, _ = c.ReadMessage()
		}
	}
	u := start(t, chat)
	for asked, want := range map[string]string{"chat": CauseOK, "v2, chat": CauseOK, "mqtt": CauseBadResponse} {
		if r := probeIt(t, u, Options{Origin: DefaultOrigin(u), Subprotocol: asked}); r.Cause != want {
			t.Errorf("--subprotocol %q: cause %q, want %q: %s", asked, r.Cause, want, r.Message)
		}
	}
	liar := rawServer(t, func(c net.Conn, req []byte) {
		_, _ = c.Write([]byte("HTTP/1.1 101 Switching Protocols\r\nSec-WebSocket-Accept: " + expectedAccept(keyOf(req)) + "\r\nSec-WebSocket-Protocol: other\r\n\r\n"))
	})
	if r := probeIt(t, liar, Options{Subprotocol: "chat"}); r.Cause != CauseBadResponse || !strings.Contains(r.Message, "not one of") {
		t.Errorf("unrequested subprotocol: %q: %s", r.Cause, r.Message)
	}
}
