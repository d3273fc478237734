package e2e

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

const envE2E = "WSCHECK_E2E"

// Bounds: every wait in this package has one.
const (
	nginxTestTimeout = 10 * time.Second // nginx -t
	nginxStartWait   = 5 * time.Second  // until the ports accept
	nginxStopWait    = 3 * time.Second  // after SIGTERM, before SIGKILL
)

// e2eRequired reports whether WSCHECK_E2E asks for the tests to run.
func e2eRequired() bool {
	v := strings.ToLower(os.Getenv(envE2E))
	return v != "" && v != "0" && v != "false"
}

func findNginx() (string, error) {
	if p, err := exec.LookPath("nginx"); err == nil {
		return p, nil
	}
	// Debian installs it in /usr/sbin, which is not on every user's PATH.
	if fi, err := os.Stat("/usr/sbin/nginx"); err == nil && fi.Mode().IsRegular() && fi.Mode()&0o111 != 0 {
		return "/usr/sbin/nginx", nil
	}
	return "", errors.New("nginx is not on PATH nor at /usr/sbin/nginx")
}

// requireNginx finds nginx, or skips the test (fails it under WSCHECK_E2E=1).
func requireNginx(t *testing.T) *nginxBin {
	t.Helper()
	path, err := findNginx()
	if err != nil {
		if e2eRequired() {
			t.Fatalf("%s is set but %v: install nginx (Debian: apt-get install nginx)", envE2E, err)
		}
		t.Skipf("end-to-end tests skipped: %v. To run them, install nginx (Debian: apt-get install nginx) and set %s=1", err, envE2E)
	}
	bin, err := probeNginx(path)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return bin
}

type nginxBin struct {
	path    string
	version string
	without map[string]bool // modules built out, e.g. "uwsgi"
}

var (
	probeOnce sync.Once
	probed    *nginxBin
	probeErr  error
)

func probeNginx(path string) (*nginxBin, error) {
	probeOnce.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), nginxTestTimeout)
		defer cancel()
		out, err := exec.CommandContext(ctx, path, "-V").CombinedOutput()
		if err != nil {
			probeErr = fmt.Errorf("nginx -V: %w: %s", err, out)
			return
		}
		b := &nginxBin{path: path, without: map[string]bool{}}
		for _, f := range strings.Fields(string(out)) {
			if v, ok := strings.CutPrefix(f, "nginx/"); ok && b.version == "" {
				b.version = v
			}
			if m, ok := strings.CutPrefix(f, "--without-http_"); ok {
				b.without[strings.TrimSuffix(m, "_module")] = true
			}
		}
		probed = b
	})
	return probed, probeErr
}

// prelude is what goes at the top of http {} so that every path nginx
// writes is in dir, plus extra.
func (b *nginxBin) prelude(dir, extra string) string {
	var w strings.Builder
	fmt.Fprintf(&w, "    access_log %s;\n", filepath.Join(dir, "access.log"))
	fmt.Fprintf(&w, "    client_body_temp_path %s;\n", filepath.Join(dir, "client_body_temp"))
	fmt.Fprintf(&w, "    proxy_temp_path %s;\n", filepath.Join(dir, "proxy_temp"))
	for _, m := range []string{"fastcgi", "uwsgi", "scgi"} {
		if !b.without[m] {
			fmt.Fprintf(&w, "    %s_temp_path %s;\n", m, filepath.Join(dir, m+"_temp"))
		}
	}
	w.WriteString(extra)
	return w.String()
}

// configError is nginx -t refusing a config.
type configError struct{ output string }

func (e *configError) Error() string { return "nginx -t failed: " + e.output }

// args are the flags that keep nginx inside dir: its own prefix, error
// log, pid file, no daemon, and one process so that its PID is all there
// is to stop.
func (b *nginxBin) args(dir, conf string) []string {
	errLog := filepath.Join(dir, "error.log")
	return []string{
		"-p", dir + "/", "-e", errLog, "-c", conf,
		"-g", fmt.Sprintf("daemon off; master_process off; pid %s; error_log %s info;", filepath.Join(dir, "nginx.pid"), errLog),
	}
}

// check runs nginx -t on the config.
func (b *nginxBin) check(dir, conf string) error {
	ctx, cancel := context.WithTimeout(context.Background(), nginxTestTimeout)
	defer cancel()
	out, err := exec.CommandContext(ctx, b.path, append([]string{"-t", "-q"}, b.args(dir, conf)...)...).CombinedOutput()
	if ctx.Err() != nil {
		return fmt.Errorf("nginx -t did not finish in %v", nginxTestTimeout)
	}
	if err != nil {
		// Keep nginx's reasons, not the "test failed" line naming a temp path.
		var reasons []string
		for _, l := range strings.Split(strings.TrimSpace(string(out)), "\n") {
			if !strings.Contains(l, "test failed") {
				reasons = append(reasons, strings.TrimPrefix(l, "nginx: "))
			}
		}
		if len(reasons) == 0 {
			if log, rerr := os.ReadFile(filepath.Join(dir, "error.log")); rerr == nil {
				reasons = append(reasons, strings.TrimSpace(string(log)))
			}
		}
		return &configError{output: strings.Join(reasons, "; ")}
	}
	return nil
}

// nginxProc is one running nginx, started by this test.
type nginxProc struct {
	cmd    *exec.Cmd
	dir    string
	done   chan struct{}
	out    bytes.Buffer // stdout+stderr, read after done
	waited error
}

// errAddrInUse tells the caller to pick other ports and try again.
var errAddrInUse = errors.New("address already in use")

// start writes the config, checks it, runs nginx and waits until every
// port accepts connections. nginx is stopped by its PID at cleanup.
func (b *nginxBin) start(t *testing.T, dir, config string, ports []int) (*nginxProc, error) {
	t.Helper()
	conf := filepath.Join(dir, "nginx.conf")
	if err := os.WriteFile(conf, []byte(config), 0o644); err != nil {
		return nil, err
	}
	if err := b.check(dir, conf); err != nil {
		if strings.Contains(err.Error(), "Address already in use") {
			return nil, errAddrInUse
		}
		return nil, err
	}
	p := &nginxProc{dir: dir, done: make(chan struct{})}
	p.cmd = exec.Command(b.path, b.args(dir, conf)...)
	p.cmd.Stdout, p.cmd.Stderr = &p.out, &p.out
	// Its own process group, and killed if this test binary dies first.
	p.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	if err := p.cmd.Start(); err != nil {
		return nil, err
	}
	go func() { p.waited = p.cmd.Wait(); close(p.done) }()
	t.Cleanup(p.stop)

	deadline := time.Now().Add(nginxStartWait)
	for _, port := range ports {
		for {
			c, err := net.DialTimeout("tcp", "127.0.0.1:"+strconv.Itoa(port), 200*time.Millisecond)
			if err == nil {
				c.Close()
				break
			}
			select {
			case <-p.done:
				log := p.errorLog()
				if strings.Contains(log, "Address already in use") {
					return nil, errAddrInUse
				}
				return nil, fmt.Errorf("nginx exited at start (%w): %s\n%s", p.waited, p.out.String(), log)
			case <-time.After(20 * time.Millisecond):
			}
			if time.Now().After(deadline) {
				return nil, fmt.Errorf("nginx did not listen on 127.0.0.1:%d within %v:\n%s", port, nginxStartWait, p.errorLog())
			}
		}
	}
	return p, nil
}

func (p *nginxProc) errorLog() string {
	b, err := os.ReadFile(filepath.Join(p.dir, "error.log"))
	if err != nil {
		return "(no error log: " + err.Error() + ")"
	}
	return strings.TrimSpace(string(b))
}

// stop ends nginx by its PID: SIGTERM (a graceful SIGQUIT would wait for
// open WebSocket tunnels), then SIGKILL.
func (p *nginxProc) stop() {
	select {
	case <-p.done:
		return
	default:
	}
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
	case <-time.After(nginxStopWait):
		_ = p.cmd.Process.Kill()
		<-p.done
	}
}

// freePorts reserves n loopback ports by binding and releasing them; start
// reports errAddrInUse in the rare case another process takes one first.
func freePorts(n int) ([]int, error) {
	var ls []net.Listener
	defer func() {
		for _, l := range ls {
			l.Close()
		}
	}()
	var ports []int
	for range n {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return nil, err
		}
		ls = append(ls, l)
		ports = append(ports, l.Addr().(*net.TCPAddr).Port)
	}
	return ports, nil
}
