package e2e

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	coder "github.com/coder/websocket"
	"github.com/gorilla/websocket"
)

// A backend's echo loop gives up after this much silence, so that no
// goroutine outlives the test even if nginx never closes a tunnel.
const backendIdle = 20 * time.Second

// received is what a backend saw of one handshake request.
type received struct {
	Proto, Host, Origin, Upgrade, Connection string
	Header                                   http.Header
	Remote                                   string // the upstream connection's address: nginx's side
	Err                                      string // the library's reason for refusing; "" if it upgraded
}

// request is the part of the request the rules are about.
func (r received) request() string {
	return fmt.Sprintf("%s Host=%q Origin=%q Upgrade=%q Connection=%q", r.Proto, r.Host, r.Origin, r.Upgrade, r.Connection)
}

func (r received) String() string {
	s := r.request()
	if r.Err != "" {
		s += " refused: " + r.Err
	} else {
		s += " upgraded"
	}
	return s
}

// backend is a WebSocket echo server on loopback that logs its requests.
type backend struct {
	name string // "gorilla" or "coder"
	addr string // 127.0.0.1:port
	mu   sync.Mutex
	log  []received
}

func (b *backend) record(r *http.Request) int {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.log = append(b.log, received{
		Proto: r.Proto, Host: r.Host, Origin: r.Header.Get("Origin"),
		Upgrade: r.Header.Get("Upgrade"), Connection: strings.Join(r.Header.Values("Connection"), ", "),
		Header: r.Header.Clone(), Remote: r.RemoteAddr,
	})
	return len(b.log) - 1
}

func (b *backend) refused(i int, err error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.log[i].Err = err.Error()
}

// requests returns a copy of the log.
func (b *backend) requests() []received {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]received(nil), b.log...)
}

// last is the newest request, or ok=false when nothing reached the backend.
func (b *backend) last() (received, bool) {
	rs := b.requests()
	if len(rs) == 0 {
		return received{}, false
	}
	return rs[len(rs)-1], true
}

// describe says what the backend received, for failure messages.
func (b *backend) describe() string {
	rs := b.requests()
	if len(rs) == 0 {
		return b.name + " received nothing"
	}
	parts := make([]string, len(rs))
	for i, r := range rs {
		parts[i] = r.String()
	}
	return b.name + " received: " + strings.Join(parts, " | ")
}

// serve runs h on a fresh loopback port until the test ends, then closes
// the listener and every connection it handed out (hijacked ones too).
func serve(t *testing.T, b *backend, h func(ctx context.Context, w http.ResponseWriter, r *http.Request, track func(net.Conn))) *backend {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("backend %s: %v", b.name, err)
	}
	b.addr = ln.Addr().String()
	ctx, cancel := context.WithCancel(context.Background())
	var (
		mu    sync.Mutex
		conns []net.Conn
		wg    sync.WaitGroup
	)
	track := func(c net.Conn) {
		mu.Lock()
		defer mu.Unlock()
		conns = append(conns, c)
	}
	srv := &http.Server{
		ReadHeaderTimeout: 5 * time.Second,
		Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			wg.Add(1)
			defer wg.Done()
			h(ctx, w, r, track)
		}),
	}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() {
		cancel()
		_ = srv.Close()
		mu.Lock()
		for _, c := range conns {
			c.Close()
		}
		mu.Unlock()
		wg.Wait()
	})
	return b
}

// startGorilla is gorilla/websocket with its default Upgrader: lenient
// about HTTP/1.0, strict about Origin against Host.
func startGorilla(t *testing.T) *backend {
	b := &backend{name: "gorilla"}
	var up websocket.Upgrader // zero value: the default CheckOrigin
	return serve(t, b, func(ctx context.Context, w http.ResponseWriter, r *http.Request, track func(net.Conn)) {
		i := b.record(r)
		c, err := up.Upgrade(w, r, nil)
		if err != nil {
			b.refused(i, err)
			return
		}
		track(c.NetConn())
		defer c.Close()
		for ctx.Err() == nil {
			_ = c.SetReadDeadline(time.Now().Add(backendIdle))
			typ, msg, err := c.ReadMessage()
			if err != nil {
				return
			}
			_ = c.SetWriteDeadline(time.Now().Add(5 * time.Second))
			if err := c.WriteMessage(typ, msg); err != nil {
				return
			}
		}
	})
}

// startCoder is github.com/coder/websocket with default options: strict
// about HTTP/1.1 (426 otherwise) and about Origin against Host.
func startCoder(t *testing.T) *backend {
	b := &backend{name: "coder"}
	return serve(t, b, func(ctx context.Context, w http.ResponseWriter, r *http.Request, track func(net.Conn)) {
		i := b.record(r)
		c, err := coder.Accept(w, r, nil)
		if err != nil {
			b.refused(i, err)
			return
		}
		defer func() { _ = c.CloseNow() }()
		for {
			rctx, cancel := context.WithTimeout(ctx, backendIdle)
			typ, msg, err := c.Read(rctx)
			if err != nil {
				cancel()
				return
			}
			err = c.Write(rctx, typ, msg)
			cancel()
			if err != nil {
				return
			}
		}
	})
}

// startForwardedHostChecker is a backend written for forwarded-host-port:
// like code-server's origin check, it takes the host the browser used from
// X-Forwarded-Host (its first element), else Host, and refuses with 403 an
// Origin whose host[:port] differs.
func startForwardedHostChecker(t *testing.T) *backend {
	b := &backend{name: "xfh-checker"}
	up := websocket.Upgrader{CheckOrigin: func(*http.Request) bool { return true }}
	return serve(t, b, func(ctx context.Context, w http.ResponseWriter, r *http.Request, track func(net.Conn)) {
		i := b.record(r)
		host := strings.ToLower(strings.TrimSpace(strings.Split(r.Header.Get("X-Forwarded-Host"), ",")[0]))
		if host == "" {
			host = strings.ToLower(r.Host)
		}
		if origin := r.Header.Get("Origin"); origin != "" {
			u, err := url.Parse(origin)
			if err != nil || !strings.EqualFold(u.Host, host) {
				err := fmt.Errorf("host %q does not match origin %q", host, origin)
				b.refused(i, err)
				http.Error(w, err.Error(), http.StatusForbidden)
				return
			}
		}
		c, err := up.Upgrade(w, r, nil)
		if err != nil {
			b.refused(i, err)
			return
		}
		track(c.NetConn())
		defer c.Close()
		for ctx.Err() == nil {
			_ = c.SetReadDeadline(time.Now().Add(backendIdle))
			typ, msg, err := c.ReadMessage()
			if err != nil {
				return
			}
			_ = c.SetWriteDeadline(time.Now().Add(5 * time.Second))
			if err := c.WriteMessage(typ, msg); err != nil {
				return
			}
		}
	})
}
