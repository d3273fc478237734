package e2e

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/gorilla/websocket"
)

// Client bounds.
const (
	dialTimeout      = 2 * time.Second
	handshakeTimeout = 3 * time.Second
	echoTimeout      = 3 * time.Second
)

// The browser this test imitates: a page at http://app.example.test on the
// default port, so Host carries no port and Origin is the page's origin.
const (
	browserHost   = "app.example.test"
	browserOrigin = "http://app.example.test"
)

// client is one way of opening a WebSocket.
type client struct {
	name   string
	header http.Header
	raw    bool // hand-written request: sends hop-by-hop headers libraries forbid
	// onPort: the page is served on the port the client connects to, so
	// Host and Origin carry it, as a browser's do on a non-default port.
	onPort bool
}

var (
	browserClient  = client{name: "browser", header: http.Header{"Host": {browserHost}, "Origin": {browserOrigin}}}
	noOriginClient = client{name: "no-origin", header: http.Header{"Host": {browserHost}}}
	// hopByHopClient lists extra hop-by-hop tokens in Connection, as an h2c
	// smuggling attempt does, while still asking for a WebSocket.
	hopByHopClient = client{name: "hop-by-hop", raw: true, header: http.Header{
		"Host": {browserHost}, "Origin": {browserOrigin},
		"Connection": {"Upgrade, HTTP2-Settings"}, "HTTP2-Settings": {"AAMAAABkAARAAAAAAAIAAAAA"},
	}}
	// h2cClient asks to upgrade to cleartext HTTP/2, the first step of h2c
	// smuggling.
	h2cClient = client{name: "h2c", raw: true, header: http.Header{
		"Host": {browserHost}, "Upgrade": {"h2c"},
		"Connection": {"Upgrade, HTTP2-Settings"}, "HTTP2-Settings": {"AAMAAABkAARAAAAAAAIAAAAA"},
	}}
	// portBrowserClient is a page on http://app.example.test:PORT.
	portBrowserClient = client{name: "browser-on-port", onPort: true, header: http.Header{"Host": {browserHost}, "Origin": {browserOrigin}}}
)

// headerFor is the request header for a connection to port.
func (c client) headerFor(port int) http.Header {
	if !c.onPort {
		return c.header
	}
	h := c.header.Clone()
	h.Set("Host", fmt.Sprintf("%s:%d", h.Get("Host"), port))
	if o := h.Get("Origin"); o != "" {
		h.Set("Origin", fmt.Sprintf("%s:%d", o, port))
	}
	return h
}

// outcome is what a client saw.
type outcome struct {
	Status int    // handshake response status; 0 if there was none
	Body   string // start of a refusal's body: coder puts its reason there
	Err    string // what went wrong, "" on success
	conn   *websocket.Conn
	rawc   net.Conn
}

// OK: the handshake upgraded and a message came back.
func (o outcome) OK() bool { return o.Status == http.StatusSwitchingProtocols && o.Err == "" }

func (o outcome) String() string {
	if o.OK() {
		return "101, echo ok"
	}
	s := fmt.Sprintf("status %d", o.Status)
	if o.Body != "" {
		s += fmt.Sprintf(" body %q", o.Body)
	}
	if o.Err != "" {
		s += ": " + o.Err
	}
	return s
}

func (o outcome) close() {
	if o.conn != nil {
		o.conn.Close()
	}
	if o.rawc != nil {
		o.rawc.Close()
	}
}

// loopbackDial refuses anything but 127.0.0.1: the tests never leave the host.
func loopbackDial(ctx context.Context, network, addr string) (net.Conn, error) {
	host, _, err := net.SplitHostPort(addr)
	if err != nil || host != "127.0.0.1" {
		return nil, fmt.Errorf("refusing to dial %q: loopback only", addr)
	}
	d := net.Dialer{Timeout: dialTimeout}
	return d.DialContext(ctx, network, addr)
}

// open performs the handshake to 127.0.0.1:port/path and, if it upgrades,
// one echo. The caller closes the outcome.
func (c client) open(port int, path string) outcome {
	if c.raw {
		return c.openRaw(port, path)
	}
	d := websocket.Dialer{NetDialContext: loopbackDial, HandshakeTimeout: handshakeTimeout}
	url := fmt.Sprintf("ws://127.0.0.1:%d%s", port, path)
	conn, resp, err := d.Dial(url, c.headerFor(port))
	var o outcome
	if resp != nil {
		o.Status = resp.StatusCode
		if resp.Body != nil {
			b, _ := io.ReadAll(io.LimitReader(resp.Body, 300))
			o.Body = strings.TrimSpace(string(b))
		}
	}
	if err != nil {
		o.Err = err.Error()
		return o
	}
	o.conn = conn
	if err := echo(conn); err != nil {
		o.Err = err.Error()
	}
	return o
}

func echo(conn *websocket.Conn) error {
	want := "wscheck e2e " + rand.Text()
	_ = conn.SetWriteDeadline(time.Now().Add(echoTimeout))
	if err := conn.WriteMessage(websocket.TextMessage, []byte(want)); err != nil {
		return fmt.Errorf("send: %w", err)
	}
	_ = conn.SetReadDeadline(time.Now().Add(echoTimeout))
	_, got, err := conn.ReadMessage()
	if err != nil {
		return fmt.Errorf("echo: %w", err)
	}
	if string(got) != want {
		return fmt.Errorf("echo: got %q, want %q", got, want)
	}
	return nil
}

// openRaw writes the handshake by hand (gorilla and coder both overwrite
// Connection) and does the echo with hand-made frames.
func (c client) openRaw(port int, path string) outcome {
	var o outcome
	nc, err := loopbackDial(context.Background(), "tcp", fmt.Sprintf("127.0.0.1:%d", port))
	if err != nil {
		o.Err = err.Error()
		return o
	}
	o.rawc = nc
	_ = nc.SetDeadline(time.Now().Add(handshakeTimeout))
	key := base64.StdEncoding.EncodeToString([]byte(rand.Text())[:16])
	var req strings.Builder
	fmt.Fprintf(&req, "GET %s HTTP/1.1\r\n", path)
	header := c.headerFor(port)
	fmt.Fprintf(&req, "Host: %s\r\n", header.Get("Host"))
	if header.Get("Upgrade") == "" {
		req.WriteString("Upgrade: websocket\r\n")
	}
	fmt.Fprintf(&req, "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: %s\r\n", key)
	for k, vs := range header {
		if k == "Host" {
			continue
		}
		for _, v := range vs {
			fmt.Fprintf(&req, "%s: %s\r\n", k, v)
		}
	}
	req.WriteString("\r\n")
	if _, err := io.WriteString(nc, req.String()); err != nil {
		o.Err = err.Error()
		return o
	}
	br := bufio.NewReader(nc)
	resp, err := http.ReadResponse(br, nil)
	if err != nil {
		o.Err = "reading the handshake response: " + err.Error()
		return o
	}
	o.Status = resp.StatusCode
	if resp.StatusCode != http.StatusSwitchingProtocols {
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 300))
		o.Body = strings.TrimSpace(string(b))
		o.Err = "handshake refused"
		return o
	}
	want := "wscheck e2e " + rand.Text()
	_ = nc.SetDeadline(time.Now().Add(echoTimeout))
	if err := writeMaskedText(nc, want); err != nil {
		o.Err = "send: " + err.Error()
		return o
	}
	got, err := readUnmaskedText(br)
	if err != nil {
		o.Err = "echo: " + err.Error()
	} else if got != want {
		o.Err = fmt.Sprintf("echo: got %q, want %q", got, want)
	}
	return o
}

// writeMaskedText sends one short text frame, masked as a client must.
func writeMaskedText(w io.Writer, s string) error {
	if len(s) > 125 {
		return errors.New("message too long for a one-byte length")
	}
	mask := []byte(rand.Text())[:4]
	frame := []byte{0x81, 0x80 | byte(len(s))}
	frame = append(frame, mask...)
	for i := range len(s) {
		frame = append(frame, s[i]^mask[i%4])
	}
	_, err := w.Write(frame)
	return err
}

// readUnmaskedText reads one server frame and returns it if it is text.
func readUnmaskedText(r io.Reader) (string, error) {
	var h [2]byte
	if _, err := io.ReadFull(r, h[:]); err != nil {
		return "", err
	}
	n := uint64(h[1] & 0x7f)
	switch n {
	case 126:
		var b [2]byte
		if _, err := io.ReadFull(r, b[:]); err != nil {
			return "", err
		}
		n = uint64(binary.BigEndian.Uint16(b[:]))
	case 127:
		return "", errors.New("unexpectedly long frame")
	}
	if n > 4096 {
		return "", fmt.Errorf("unexpectedly long frame (%d bytes)", n)
	}
	p := make([]byte, n)
	if _, err := io.ReadFull(r, p); err != nil {
		return "", err
	}
	if h[0]&0x0f != 0x1 {
		return "", fmt.Errorf("got frame opcode %d, want text", h[0]&0x0f)
	}
	return string(p), nil
}

// idleProbe leaves an open WebSocket silent for up to d and reports how
// long it stayed open: closed=false means it was still open after d.
// It reads the socket under gorilla, which has nothing buffered when idle,
// so a deadline there does not spoil the connection for a later echo.
func idleProbe(conn *websocket.Conn, d time.Duration) (closedAfter time.Duration, closed bool, err error) {
	nc := conn.NetConn()
	start := time.Now()
	_ = nc.SetReadDeadline(start.Add(d))
	var b [1]byte
	n, rerr := nc.Read(b[:])
	_ = nc.SetReadDeadline(time.Time{})
	elapsed := time.Since(start)
	var ne net.Error
	switch {
	case n > 0:
		return elapsed, false, fmt.Errorf("unexpected data from the backend while idle")
	case errors.As(rerr, &ne) && ne.Timeout():
		return elapsed, false, nil
	case rerr != nil:
		return elapsed, true, nil
	}
	return elapsed, false, errors.New("read returned nothing and no error")
}

// plainGet sends an ordinary HTTP/1.1 GET, as a browser loading a page
// does, and returns the response status (0 when there was none).
func plainGet(port int, path string) (int, error) {
	nc, err := loopbackDial(context.Background(), "tcp", fmt.Sprintf("127.0.0.1:%d", port))
	if err != nil {
		return 0, err
	}
	defer nc.Close()
	_ = nc.SetDeadline(time.Now().Add(handshakeTimeout))
	if _, err := fmt.Fprintf(nc, "GET %s HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n", path, browserHost); err != nil {
		return 0, err
	}
	resp, err := http.ReadResponse(bufio.NewReader(nc), nil)
	if err != nil {
		return 0, err
	}
	resp.Body.Close()
	return resp.StatusCode, nil
}
