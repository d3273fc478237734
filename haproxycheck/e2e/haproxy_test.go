package e2e

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// Every wait has a bound.
const (
	checkTimeout = 10 * time.Second // haproxy -c
	startWait    = 5 * time.Second  // until the frontends accept
	stopWait     = 3 * time.Second  // after SIGTERM, before SIGKILL
	backendIdle  = 20 * time.Second // a backend's echo loop gives up
	ioTimeout    = 3 * time.Second
)

func requireHAProxy(t *testing.T) string {
	t.Helper()
	if p, err := exec.LookPath("haproxy"); err == nil {
		return p
	}
	if st, err := os.Stat("/usr/sbin/haproxy"); err == nil && st.Mode().IsRegular() {
		return "/usr/sbin/haproxy"
	}
	v := strings.ToLower(os.Getenv("WSCHECK_E2E"))
	if v != "" && v != "0" && v != "false" {
		t.Fatal("WSCHECK_E2E is set but haproxy is not on PATH nor at /usr/sbin/haproxy: install it (Debian: apt-get install haproxy)")
	}
	t.Skip("end-to-end tests skipped: haproxy is not on PATH nor at /usr/sbin/haproxy (Debian: apt-get install haproxy; WSCHECK_E2E=1 makes this a failure)")
	return ""
}

// received is what the backend saw of one handshake.
type received struct{ proto, method, upgrade, err string }

// backend is gorilla/websocket's default Upgrader echoing on loopback,
// over plain HTTP/1.1, over TLS offering h2 and http/1.1, or over
// cleartext HTTP/1.1 and HTTP/2 (h2c prior knowledge).
type backend struct {
	addr string
	mu   sync.Mutex
	log  []received
}

func (b *backend) describe() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	if len(b.log) == 0 {
		return "the backend received nothing"
	}
	var parts []string
	for _, r := range b.log {
		s := fmt.Sprintf("%s %s Upgrade=%q", r.proto, r.method, r.upgrade)
		if r.err != "" {
			s += " refused: " + r.err
		}
		parts = append(parts, s)
	}
	return "the backend received: " + strings.Join(parts, " | ")
}

func startBackend(t *testing.T, kind string) *backend {
	t.Helper()
	b := &backend{}
	var up websocket.Upgrader
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b.mu.Lock()
		b.log = append(b.log, received{proto: r.Proto, method: r.Method, upgrade: r.Header.Get("Upgrade")})
		i := len(b.log) - 1
		b.mu.Unlock()
		c, err := up.Upgrade(w, r, nil)
		if err != nil {
			b.mu.Lock()
			b.log[i].err = err.Error()
			b.mu.Unlock()
			return
		}
		defer c.Close()
		for {
			_ = c.SetReadDeadline(time.Now().Add(backendIdle))
			typ, msg, err := c.ReadMessage()
			if err != nil {
				return
			}
			if c.WriteMessage(typ, msg) != nil {
				return
			}
		}
	})
	srv := httptest.NewUnstartedServer(h)
	switch kind {
	case "tls":
		srv.EnableHTTP2 = true
		srv.StartTLS()
	case "h2c":
		var p http.Protocols
		p.SetHTTP1(true)
		p.SetUnencryptedHTTP2(true)
		srv.Config.Protocols = &p
		srv.Start()
	default:
		srv.Start()
	}
	t.Cleanup(func() { srv.CloseClientConnections(); srv.Close() })
	b.addr = srv.Listener.Addr().String()
	if !strings.HasPrefix(b.addr, "127.0.0.1:") {
		t.Fatalf("backend on %s, not loopback", b.addr)
	}
	return b
}

// proc is one haproxy started by a test, stopped by its PID.
type proc struct {
	cmd  *exec.Cmd
	done chan struct{}
	out  bytes.Buffer
}

func (p *proc) stop() {
	select {
	case <-p.done:
		return
	default:
	}
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
	case <-time.After(stopWait):
		_ = p.cmd.Process.Kill()
		<-p.done
	}
}

// configError is haproxy -c refusing a config.
type configError struct{ out string }

func (e *configError) Error() string { return "haproxy -c: " + e.out }

// run checks the config with haproxy -c (its output is returned: the
// warnings), then runs it in the foreground until the test ends.
func run(t *testing.T, bin, config string, ports []int) (warnings string, err error) {
	t.Helper()
	dir := t.TempDir()
	conf := filepath.Join(dir, "haproxy.cfg")
	if err := os.WriteFile(conf, []byte(config), 0o644); err != nil {
		return "", err
	}
	ctx, cancel := context.WithTimeout(context.Background(), checkTimeout)
	defer cancel()
	out, err := exec.CommandContext(ctx, bin, "-c", "-f", conf).CombinedOutput()
	if err != nil {
		return "", &configError{strings.TrimSpace(string(out))}
	}
	p := &proc{done: make(chan struct{})}
	p.cmd = exec.Command(bin, "-db", "-f", conf)
	p.cmd.Stdout, p.cmd.Stderr = &p.out, &p.out
	p.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	if err := p.cmd.Start(); err != nil {
		return "", err
	}
	go func() { _ = p.cmd.Wait(); close(p.done) }()
	t.Cleanup(p.stop)
	deadline := time.Now().Add(startWait)
	for _, port := range ports {
		for {
			c, err := net.DialTimeout("tcp", "127.0.0.1:"+strconv.Itoa(port), 200*time.Millisecond)
			if err == nil {
				c.Close()
				break
			}
			select {
			case <-p.done:
				return "", fmt.Errorf("haproxy exited at start: %s", p.out.String())
			case <-time.After(20 * time.Millisecond):
			}
			if time.Now().After(deadline) {
				return "", fmt.Errorf("haproxy did not listen on 127.0.0.1:%d within %v", port, startWait)
			}
		}
	}
	return string(out), nil
}

// outcome is what a browser-like client saw.
type outcome struct {
	status int
	err    string
	conn   *websocket.Conn
}

func (o outcome) ok() bool { return o.status == http.StatusSwitchingProtocols && o.err == "" }

func (o outcome) String() string {
	if o.ok() {
		return "101, echo ok"
	}
	return fmt.Sprintf("status %d: %s", o.status, o.err)
}

// open is a browser's handshake on http://app.example.test through port,
// and one echo.
func open(port int) outcome {
	d := websocket.Dialer{HandshakeTimeout: ioTimeout, NetDialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
		if !strings.HasPrefix(addr, "127.0.0.1:") {
			return nil, errors.New("loopback only")
		}
		return (&net.Dialer{Timeout: ioTimeout}).DialContext(ctx, network, addr)
	}}
	h := http.Header{"Host": {"app.example.test"}, "Origin": {"http://app.example.test"}}
	c, resp, err := d.Dial(fmt.Sprintf("ws://127.0.0.1:%d/ws", port), h)
	var o outcome
	if resp != nil {
		o.status = resp.StatusCode
	}
	if err != nil {
		o.err = err.Error()
		return o
	}
	o.conn = c
	if err := echo(c); err != nil {
		o.err = err.Error()
	}
	return o
}

func echo(c *websocket.Conn) error {
	_ = c.SetWriteDeadline(time.Now().Add(ioTimeout))
	if err := c.WriteMessage(websocket.TextMessage, []byte("wscheck e2e")); err != nil {
		return err
	}
	_ = c.SetReadDeadline(time.Now().Add(ioTimeout))
	_, m, err := c.ReadMessage()
	if err == nil && string(m) != "wscheck e2e" {
		err = fmt.Errorf("echo: got %q", m)
	}
	return err
}

// idle leaves the WebSocket silent for up to d and reports whether the
// proxy closed it, and when.
func idle(c *websocket.Conn, d time.Duration) (time.Duration, bool) {
	nc := c.NetConn()
	start := time.Now()
	_ = nc.SetReadDeadline(start.Add(d))
	var b [1]byte
	_, err := nc.Read(b[:])
	_ = nc.SetReadDeadline(time.Time{})
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return time.Since(start), false
	}
	return time.Since(start), true
}

func freePorts(t *testing.T, n int) []int {
	t.Helper()
	var ls []net.Listener
	var ports []int
	for range n {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		ls = append(ls, l)
		ports = append(ports, l.Addr().(*net.TCPAddr).Port)
	}
	for _, l := range ls {
		l.Close()
	}
	return ports
}
