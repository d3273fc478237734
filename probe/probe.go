// Package probe sends a real RFC 6455 handshake through a deployed chain
// (load balancer, proxy, application) and names what broke, with the
// static rules that produce each cause: `wscheck probe URL`.
package probe

import (
	"bufio"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"
)

// DefaultTimeout bounds connect, TLS, handshake and pong of one URL.
const DefaultTimeout = 10 * time.Second

// Options say how to probe. The zero value probes with no Origin, no
// proxy and DefaultTimeout.
type Options struct {
	Origin      string      // sent as Origin; "" sends none
	Header      http.Header // extra request headers; Host replaces the URL's
	Subprotocol string      // Sec-WebSocket-Protocol, when set
	Timeout     time.Duration
	// Idle keeps the connection silent this long after the pong and
	// reports how it was closed.
	Idle time.Duration
	// Resolve maps "host:port" to the address to connect to, as curl's
	// --resolve.
	Resolve  map[string]string
	RootCAs  *x509.CertPool // nil: the system roots
	Insecure bool
	// Proxy picks an HTTP proxy for the http(s) form of the URL (nil
	// result: connect directly); the tunnel is opened with CONNECT.
	Proxy func(*url.URL) (*url.URL, error)
}

// Result is the verdict for one URL.
type Result struct {
	URL        string    `json:"url"`
	Cause      string    `json:"cause"`
	Status     int       `json:"status"`
	Message    string    `json:"message"`
	AnsweredBy string    `json:"answered_by"`
	See        []string  `json:"see"`
	Variants   []Variant `json:"variants"`
	Idle       *Idle     `json:"idle,omitempty"`
}

// OK reports whether the chain works.
func (r Result) OK() bool { return r.Cause == CauseOK }

// Variant is one request the probe sent and what came back.
type Variant struct {
	Name        string      `json:"name"`
	Status      int         `json:"status"`
	Headers     http.Header `json:"headers"`
	BodyExcerpt string      `json:"body_excerpt"`
	ElapsedMS   int64       `json:"elapsed_ms"`
	Error       string      `json:"error,omitempty"`
}

// Idle is what happened during --idle.
type Idle struct {
	RequestedS   float64 `json:"requested_s"`
	ClosedAfterS float64 `json:"closed_after_s,omitempty"` // 0: still open
	CloseCode    int     `json:"close_code,omitempty"`
	ClosedBy     string  `json:"closed_by,omitempty"` // "close-frame", "tcp-close", "tcp-reset"; "" while open
}

// ParseURL accepts ws://, wss:// and http(s):// (taken as its ws form).
func ParseURL(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("%q: %w", raw, err)
	}
	switch strings.ToLower(u.Scheme) {
	case "ws", "http":
		u.Scheme = "ws"
	case "wss", "https":
		u.Scheme = "wss"
	case "":
		return nil, fmt.Errorf("%q: no scheme (want ws://, wss://, http:// or https://)", raw)
	default:
		return nil, fmt.Errorf("%q: unknown scheme %q (want ws://, wss://, http:// or https://)", raw, u.Scheme)
	}
	if u.Hostname() == "" {
		return nil, fmt.Errorf("%q: no host", raw)
	}
	if u.User != nil {
		return nil, fmt.Errorf("%q: credentials in the URL are not sent; use -H 'Authorization: ...'", raw)
	}
	u.Fragment = ""
	return u, nil
}

// DefaultOrigin is the origin of a page on the URL's host: its http(s)
// form, port kept, as a browser's Origin for a page served there.
func DefaultOrigin(u *url.URL) string {
	scheme := "http"
	if u.Scheme == "wss" {
		scheme = "https"
	}
	return scheme + "://" + u.Host
}

func httpForm(u *url.URL) *url.URL {
	c := *u
	c.Scheme = map[string]string{"ws": "http", "wss": "https"}[u.Scheme]
	return &c
}

func hostPort(u *url.URL) string {
	port := u.Port()
	if port == "" {
		port = map[string]string{"ws": "80", "wss": "443"}[u.Scheme]
	}
	return net.JoinHostPort(u.Hostname(), port)
}

// spec is one request to send.
type spec struct {
	name    string
	origin  string
	upgrade bool // false: the same GET without Upgrade and Connection
}

// conn is an open connection after a 101.
type conn struct {
	net.Conn
	br *bufio.Reader
}

// phaseError says which phase failed: "connect", "tls", "answer".
type phaseError struct {
	phase string
	err   error
}

func (e *phaseError) Error() string { return e.err.Error() }
func (e *phaseError) Unwrap() error { return e.err }

// send dials, sends one handshake and reads the answer's head (and up
// to maxBodyBytes of a non-101 body). On a 101 the connection is returned
// open; otherwise it is closed.
func send(ctx context.Context, u *url.URL, o Options, s spec, key string) (*response, *conn, error) {
	deadline, _ := ctx.Deadline()
	nc, err := dial(ctx, u, o)
	if err != nil {
		return nil, nil, err
	}
	_ = nc.SetDeadline(deadline)
	if u.Scheme == "wss" {
		tc := tls.Client(nc, &tls.Config{
			ServerName: u.Hostname(), RootCAs: o.RootCAs, InsecureSkipVerify: o.Insecure, // --insecure asks for it
			NextProtos: []string{"http/1.1"}, MinVersion: tls.VersionTLS12,
		})
		if err := tc.HandshakeContext(ctx); err != nil {
			nc.Close()
			return nil, nil, &phaseError{"tls", err}
		}
		nc = tc
	}
	if _, err := nc.Write(buildRequest(u, o, s, key)); err != nil {
		nc.Close()
		return nil, nil, &phaseError{"answer", err}
	}
	br := bufio.NewReaderSize(nc, 4096)
	r, err := readResponse(br)
	if err != nil {
		nc.Close()
		return nil, nil, &phaseError{"answer", err}
	}
	if r.status == http.StatusSwitchingProtocols {
		r.wantAccept = expectedAccept(key)
		r.acceptOK = r.header.Get("Sec-WebSocket-Accept") == r.wantAccept
		return r, &conn{Conn: nc, br: br}, nil
	}
	r.body = readBody(br, r.header)
	nc.Close()
	return r, nil, nil
}

func buildRequest(u *url.URL, o Options, s spec, key string) []byte {
	var b strings.Builder
	path := u.RequestURI()
	fmt.Fprintf(&b, "GET %s HTTP/1.1\r\n", path)
	host := u.Host
	if h := o.Header.Get("Host"); h != "" {
		host = h
	}
	fmt.Fprintf(&b, "Host: %s\r\n", host)
	if s.upgrade {
		b.WriteString("Upgrade: websocket\r\nConnection: Upgrade\r\n")
	}
	fmt.Fprintf(&b, "Sec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\n", key)
	if s.origin != "" {
		fmt.Fprintf(&b, "Origin: %s\r\n", s.origin)
	}
	if o.Subprotocol != "" {
		fmt.Fprintf(&b, "Sec-WebSocket-Protocol: %s\r\n", o.Subprotocol)
	}
	b.WriteString("User-Agent: wscheck-probe\r\n")
	for name, values := range o.Header {
		if strings.EqualFold(name, "Host") {
			continue
		}
		for _, v := range values {
			fmt.Fprintf(&b, "%s: %s\r\n", name, v)
		}
	}
	b.WriteString("\r\n")
	return []byte(b.String())
}

func dial(ctx context.Context, u *url.URL, o Options) (net.Conn, error) {
	target := hostPort(u)
	var d net.Dialer
	if o.Proxy != nil {
		pu, err := o.Proxy(httpForm(u))
		if err != nil {
			return nil, &phaseError{"connect", fmt.Errorf("proxy: %w", err)}
		}
		if pu != nil {
			return dialProxy(ctx, &d, pu, target)
		}
	}
	addr := target
	if to, ok := o.Resolve[target]; ok {
		_, port, _ := net.SplitHostPort(target)
		addr = net.JoinHostPort(to, port)
	}
	nc, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil, &phaseError{"connect", err}
	}
	return nc, nil
}

// dialProxy opens a tunnel with CONNECT, as browsers do for ws:// and
// wss:// through an HTTP proxy.
func dialProxy(ctx context.Context, d *net.Dialer, pu *url.URL, target string) (net.Conn, error) {
	if pu.Scheme != "http" {
		return nil, &phaseError{"connect", fmt.Errorf("proxy %s: only http:// proxies are supported", pu.Redacted())}
	}
	addr := pu.Host
	if pu.Port() == "" {
		addr = net.JoinHostPort(pu.Hostname(), "80")
	}
	nc, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil, &phaseError{"connect", fmt.Errorf("proxy %s: %w", pu.Redacted(), err)}
	}
	deadline, _ := ctx.Deadline()
	_ = nc.SetDeadline(deadline)
	fmt.Fprintf(nc, "CONNECT %s HTTP/1.1\r\nHost: %s\r\n\r\n", target, target)
	br := bufio.NewReader(nc)
	r, err := readResponse(br)
	if err == nil && r.status != http.StatusOK {
		err = fmt.Errorf("CONNECT %s: %d %s", target, r.status, r.reason)
	}
	if err == nil && br.Buffered() > 0 {
		err = errors.New("proxy sent bytes after its CONNECT answer")
	}
	if err != nil {
		nc.Close()
		return nil, &phaseError{"connect", fmt.Errorf("proxy %s: %w", pu.Redacted(), err)}
	}
	return nc, nil
}

// Run probes one URL (from ParseURL) and judges the chain. It never takes
// longer than o.Timeout plus o.Idle, and a little for closing.
func Run(ctx context.Context, u *url.URL, o Options) Result {
	if o.Timeout <= 0 {
		o.Timeout = DefaultTimeout
	}
	res := Result{URL: u.String(), See: []string{}}
	hctx, cancel := context.WithTimeout(ctx, o.Timeout)
	defer cancel()

	primary := spec{name: "handshake", origin: o.Origin, upgrade: true}
	r, c, v, err := attempt(hctx, u, o, primary)
	res.Variants = append(res.Variants, v)
	if err != nil {
		return transportVerdict(res, err, o.Timeout)
	}
	res.Status = r.status
	var lib string
	res.AnsweredBy, lib = identify(r)
	if c != nil {
		defer c.Close()
		return afterUpgrade(ctx, hctx, res, r, c, o)
	}
	return judge(hctx, res, r, lib, u, o)
}

// attempt sends one spec and records it as a variant.
func attempt(ctx context.Context, u *url.URL, o Options, s spec) (*response, *conn, Variant, error) {
	key := newKey()
	start := time.Now()
	r, c, err := send(ctx, u, o, s, key)
	v := Variant{Name: s.name, ElapsedMS: time.Since(start).Milliseconds(), Headers: http.Header{}}
	if err != nil {
		v.Error = err.Error()
		return nil, nil, v, err
	}
	v.Status, v.Headers, v.BodyExcerpt = r.status, r.header, excerpt(r.body)
	return r, c, v, nil
}

func excerpt(b []byte) string {
	if len(b) > excerptBytes {
		return string(b[:excerptBytes]) + "..."
	}
	return string(b)
}

// transportVerdict names a failure before any HTTP answer.
func transportVerdict(res Result, err error, timeout time.Duration) Result {
	var pe *phaseError
	phase := "answer"
	if errors.As(err, &pe) {
		phase = pe.phase
	}
	set := func(cause, msg string) Result {
		res.Cause, res.Message = cause, msg
		res.See = seeOf(cause)
		return res
	}
	timedOut := errors.Is(err, os.ErrDeadlineExceeded) || errors.Is(err, context.DeadlineExceeded)
	switch {
	case phase == "connect":
		return set(CauseConnectFailed, fmt.Sprintf("could not connect: %v", err))
	case phase == "tls":
		return set(CauseTLSFailed, fmt.Sprintf("TLS handshake failed: %v; pass --cacert FILE for a private CA", err))
	case errors.Is(err, errBadResponse):
		return set(CauseBadResponse, fmt.Sprintf("the answer is not valid HTTP: %v", err))
	case timedOut:
		return set(CauseNoAnswer, fmt.Sprintf("no answer to the handshake within %v: the connection opened and nothing came back", timeout))
	}
	return set(CauseNoAnswer, fmt.Sprintf("the connection closed without an answer (%v)", err))
}

func seeOf(cause string) []string {
	see := mustCause(cause).See
	if see == nil {
		return []string{}
	}
	return append([]string(nil), see...)
}
