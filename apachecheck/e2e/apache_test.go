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
	"regexp"
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
	checkTimeout = 10 * time.Second // apache2 -t
	startWait    = 5 * time.Second
	stopWait     = 3 * time.Second
	ioTimeout    = 3 * time.Second
	backendIdle  = 20 * time.Second
	modules      = "/usr/lib/apache2/modules"
)

func requireApache(t *testing.T) string {
	t.Helper()
	bin := ""
	if p, err := exec.LookPath("apache2"); err == nil {
		bin = p
	} else if st, err := os.Stat("/usr/sbin/apache2"); err == nil && st.Mode().IsRegular() {
		bin = "/usr/sbin/apache2"
	}
	_, modErr := os.Stat(filepath.Join(modules, "mod_proxy_wstunnel.so"))
	if bin != "" && modErr == nil {
		return bin
	}
	v := strings.ToLower(os.Getenv("WSCHECK_E2E"))
	if v != "" && v != "0" && v != "false" {
		t.Fatal("WSCHECK_E2E is set but apache2 with mod_proxy_wstunnel is not installed (Debian: apt-get install apache2)")
	}
	t.Skip("end-to-end tests skipped: apache2 with mod_proxy_wstunnel is not installed (Debian: apt-get install apache2; WSCHECK_E2E=1 makes this a failure)")
	return ""
}

// backend is gorilla/websocket's default Upgrader (Origin checked against
// Host) echoing on loopback, logging what it received.
type backend struct {
	addr string
	mu   sync.Mutex
	log  []string
}

func (b *backend) describe() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	if len(b.log) == 0 {
		return "the backend received nothing"
	}
	return "the backend received: " + strings.Join(b.log, " | ")
}

func startBackend(t *testing.T) *backend {
	t.Helper()
	b := &backend{}
	var up websocket.Upgrader
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		entry := fmt.Sprintf("%s %s Host=%q Upgrade=%q Connection=%q", r.Method, r.URL.Path, r.Host, r.Header.Get("Upgrade"), r.Header.Get("Connection"))
		c, err := up.Upgrade(w, r, nil)
		b.mu.Lock()
		if err != nil {
			entry += " refused: " + err.Error()
		}
		b.log = append(b.log, entry)
		b.mu.Unlock()
		if err != nil {
			return
		}
		defer c.Close()
		for {
			_ = c.SetReadDeadline(time.Now().Add(backendIdle))
			typ, msg, err := c.ReadMessage()
			if err != nil || c.WriteMessage(typ, msg) != nil {
				return
			}
		}
	}))
	t.Cleanup(func() { srv.CloseClientConnections(); srv.Close() })
	b.addr = srv.Listener.Addr().String()
	return b
}

var (
	vhostRe  = regexp.MustCompile(`(?i)<VirtualHost\s+[^>]*>`)
	targetRe = regexp.MustCompile(`(?i)\b(wss?|https?)://[A-Za-z0-9.\-]+:[0-9]+`)
)

// render wraps a fixture in a server config that keeps httpd in dir, on
// 127.0.0.1:port, with its targets pointed at the backend.
func render(src, dir string, port int, backend string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "ServerRoot %q\nServerName localhost\nListen 127.0.0.1:%d\nPidFile %q\nErrorLog %q\nLogLevel warn\n",
		dir, port, filepath.Join(dir, "httpd.pid"), filepath.Join(dir, "error.log"))
	fmt.Fprintf(&b, "DefaultRuntimeDir %q\nMutex file:%s default\nUser nobody\nGroup nogroup\n", dir, dir)
	for _, m := range []string{"mpm_event", "authz_core", "proxy", "proxy_http", "proxy_wstunnel", "rewrite",
		"slotmem_shm", "proxy_balancer", "lbmethod_byrequests"} {
		fmt.Fprintf(&b, "LoadModule %s_module %s/mod_%s.so\n", m, modules, m)
	}
	src = vhostRe.ReplaceAllString(src, fmt.Sprintf("<VirtualHost 127.0.0.1:%d>", port))
	src = targetRe.ReplaceAllString(src, "${1}://"+backend)
	b.WriteString(src)
	return b.String()
}

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

// deploy runs the fixture in a foreground apache2 (apache2 -t first) and
// returns its port and the backend.
func deploy(t *testing.T, bin, src string) (int, *backend) {
	t.Helper()
	be := startBackend(t)
	dir := t.TempDir()
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	port := freePort(t)
	conf := filepath.Join(dir, "httpd.conf")
	config := render(src, dir, port, be.addr)
	if err := os.WriteFile(conf, []byte(config), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), checkTimeout)
	defer cancel()
	if out, err := exec.CommandContext(ctx, bin, "-t", "-f", conf).CombinedOutput(); err != nil {
		t.Fatalf("apache2 -t: %v: %s\n%s", err, out, config)
	}
	p := &proc{done: make(chan struct{})}
	p.cmd = exec.Command(bin, "-X", "-f", conf)
	p.cmd.Stdout, p.cmd.Stderr = &p.out, &p.out
	p.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { _ = p.cmd.Wait(); close(p.done) }()
	t.Cleanup(p.stop)
	deadline := time.Now().Add(startWait)
	for {
		c, err := net.DialTimeout("tcp", "127.0.0.1:"+strconv.Itoa(port), 200*time.Millisecond)
		if err == nil {
			c.Close()
			return port, be
		}
		select {
		case <-p.done:
			log, _ := os.ReadFile(filepath.Join(dir, "error.log"))
			t.Fatalf("apache2 exited at start: %s %s", p.out.String(), log)
		case <-time.After(20 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("apache2 did not listen on 127.0.0.1:%d within %v", port, startWait)
		}
	}
}

func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

type outcome struct {
	status int
	err    string
}

func (o outcome) ok() bool { return o.status == http.StatusSwitchingProtocols && o.err == "" }

func (o outcome) String() string {
	if o.ok() {
		return "101, echo ok"
	}
	return fmt.Sprintf("status %d: %s", o.status, o.err)
}

// open is a browser's handshake on http://app.example.test (with Origin
// unless noOrigin) to path through port, and one echo.
func open(port int, path string, noOrigin bool) outcome {
	d := websocket.Dialer{HandshakeTimeout: ioTimeout, NetDialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
		if !strings.HasPrefix(addr, "127.0.0.1:") {
			return nil, errors.New("loopback only")
		}
		return (&net.Dialer{Timeout: ioTimeout}).DialContext(ctx, network, addr)
	}}
	h := http.Header{"Host": {"app.example.test"}, "Origin": {"http://app.example.test"}}
	if noOrigin {
		h.Del("Origin")
	}
	c, resp, err := d.Dial(fmt.Sprintf("ws://127.0.0.1:%d%s", port, path), h)
	var o outcome
	if resp != nil {
		o.status = resp.StatusCode
	}
	if err != nil {
		o.err = err.Error()
		return o
	}
	defer c.Close()
	_ = c.NetConn().SetDeadline(time.Now().Add(ioTimeout))
	if err := c.WriteMessage(websocket.TextMessage, []byte("wscheck e2e")); err != nil {
		o.err = err.Error()
	} else if _, m, err := c.ReadMessage(); err != nil || string(m) != "wscheck e2e" {
		o.err = fmt.Sprintf("echo: %q %v", m, err)
	}
	return o
}
