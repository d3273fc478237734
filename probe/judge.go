package probe

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"strings"
	"syscall"
	"time"
)

func verdict(res Result, cause, msg string) Result {
	res.Cause, res.Message, res.See = cause, msg, seeOf(cause)
	return res
}

// afterUpgrade checks the accept value, then sends a ping and waits for
// its pong, then keeps silent for o.Idle.
func afterUpgrade(ctx, hctx context.Context, res Result, r *response, c *conn, o Options) Result {
	if !r.acceptOK {
		got, want := r.header.Get("Sec-Websocket-Accept"), r.wantAccept
		if got == "" {
			return verdict(res, CauseBadAccept, "101 without Sec-WebSocket-Accept: a hop answered the upgrade itself; browsers fail the connection")
		}
		return verdict(res, CauseBadAccept, fmt.Sprintf("101 with Sec-WebSocket-Accept %q, want %q for the key sent: a hop answered the upgrade itself or replayed an answer; browsers fail the connection", clip(got, 60), want))
	}
	if o.Subprotocol != "" {
		if msg := subprotocolProblem(o.Subprotocol, r.header.Get("Sec-Websocket-Protocol")); msg != "" {
			return verdict(res, CauseBadResponse, msg)
		}
	}
	deadline, _ := hctx.Deadline()
	_ = c.SetDeadline(deadline)
	payload := []byte("wscheck-" + newKey()[:8])
	start := time.Now()
	if err := writeFrame(c, opPing, payload); err != nil {
		return verdict(res, CauseFramesNotRelayed, fmt.Sprintf("101, but sending a ping failed: %v", err))
	}
	for {
		f, err := readFrame(c.br)
		if err != nil {
			if errors.Is(err, errBadResponse) {
				return verdict(res, CauseBadResponse, fmt.Sprintf("101, then a malformed frame: %v", err))
			}
			if isTimeout(err) {
				return verdict(res, CauseFramesNotRelayed, fmt.Sprintf("101, but no pong to a ping within the %v timeout: the chain upgraded and relays no frames", o.Timeout))
			}
			return verdict(res, CauseFramesNotRelayed, fmt.Sprintf("101, then the connection closed before a pong (%s)", closedHow(err)))
		}
		switch f.op {
		case opPong:
			if !bytes.Equal(f.payload, payload) {
				continue // an unsolicited pong (RFC 6455 5.5.3): keep waiting
			}
		case opPing:
			_ = writeFrame(c, opPong, f.payload)
			continue
		case opClose:
			return verdict(res, CauseFramesNotRelayed, fmt.Sprintf("101, then a close frame (code %d) instead of a pong", closeCode(f.payload)))
		default:
			continue // a server's greeting: not what is waited for
		}
		break
	}
	pong := time.Since(start)
	msg := fmt.Sprintf("101 with a valid Sec-WebSocket-Accept, and a pong %v after the ping", pong.Round(time.Millisecond))
	if o.Idle <= 0 {
		_ = writeFrame(c, opClose, []byte{0x03, 0xe8})
		return verdict(res, CauseOK, msg)
	}
	idle := keepSilent(ctx, c, o.Idle)
	res.Idle = &idle
	if idle.ClosedBy != "" {
		how := "a TCP close without a close frame"
		switch idle.ClosedBy {
		case "close-frame":
			how = fmt.Sprintf("a close frame, code %d", idle.CloseCode)
		case "tcp-reset":
			how = "a TCP reset"
		}
		return verdict(res, CauseIdleTimeout, fmt.Sprintf("the tunnel closed after %.1f s of silence (%s), before the %v asked for: a proxy's read timeout (nginx proxy_read_timeout, default 60 s; HAProxy timeout tunnel) or a load balancer's idle limit", idle.ClosedAfterS, how, o.Idle))
	}
	_ = writeFrame(c, opClose, []byte{0x03, 0xe8})
	return verdict(res, CauseOK, msg+fmt.Sprintf(", and the tunnel stayed open through %v of silence", o.Idle))
}

// keepSilent sends nothing for d (answering pings, as any client does)
// and reports how the connection was closed, if it was.
func keepSilent(ctx context.Context, c *conn, d time.Duration) Idle {
	idle := Idle{RequestedS: d.Seconds()}
	start := time.Now()
	deadline := start.Add(d)
	if cd, ok := ctx.Deadline(); ok && cd.Before(deadline) {
		deadline = cd
	}
	_ = c.SetDeadline(deadline)
	for {
		f, err := readFrame(c.br)
		if err != nil {
			if isTimeout(err) {
				return idle
			}
			idle.ClosedAfterS = roundTenth(time.Since(start).Seconds())
			idle.ClosedBy = "tcp-close"
			if errors.Is(err, syscall.ECONNRESET) {
				idle.ClosedBy = "tcp-reset"
			}
			return idle
		}
		switch f.op {
		case opPing:
			_ = writeFrame(c, opPong, f.payload)
		case opClose:
			idle.ClosedAfterS = roundTenth(time.Since(start).Seconds())
			idle.ClosedBy, idle.CloseCode = "close-frame", closeCode(f.payload)
			_ = writeFrame(c, opClose, f.payload[:min(2, len(f.payload))])
			return idle
		}
	}
}

func roundTenth(s float64) float64 { return float64(int64(s*10+0.5)) / 10 }

func isTimeout(err error) bool {
	var ne net.Error
	return errors.Is(err, os.ErrDeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout())
}

func closedHow(err error) string {
	switch {
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return "TCP close"
	case errors.Is(err, syscall.ECONNRESET):
		return "TCP reset"
	}
	return err.Error()
}

// judge names the cause of a non-101 answer, sending variants where one
// answer cannot tell causes apart.
func judge(ctx context.Context, res Result, r *response, lib string, u *url.URL, o Options) Result {
	st := r.status
	status := fmt.Sprintf("%d %s", st, r.reason)
	switch lib {
	case CauseHTTPVersion:
		return verdict(res, CauseHTTPVersion, fmt.Sprintf("%s from %s: the handshake reached the backend as HTTP/1.0; set proxy_http_version 1.1 in the proxy's WebSocket location", status, res.AnsweredBy))
	case CauseUpgradeNotForwarded:
		return verdict(res, CauseUpgradeNotForwarded, fmt.Sprintf("%s from %s: the handshake reached a WebSocket server without a usable Upgrade/Connection pair; forward both (proxy_set_header Upgrade $http_upgrade; proxy_set_header Connection $connection_upgrade)", status, res.AnsweredBy))
	}
	switch {
	case st >= 200 && st < 300:
		return verdict(res, CauseNotUpgraded, fmt.Sprintf("%s: the path is served as a page, not proxied as a WebSocket; route it to the WebSocket backend", status))
	case st >= 300 && st < 400:
		loc := r.header.Get("Location")
		return verdict(res, CauseRedirected, fmt.Sprintf("%s to %q: browsers never follow a redirect during a WebSocket handshake; use the final URL or exempt the path", status, clip(loc, 200)))
	case st == 401 || st == 407:
		return verdict(res, CauseAuthRequired, fmt.Sprintf("%s: the handshake needs credentials, which browsers cannot add to a WebSocket; use cookies or a token, or probe with -H", status))
	case st == 403:
		return judgeForbidden(ctx, res, status, lib, u, o)
	case st == 404:
		return verdict(res, CauseNotFound, fmt.Sprintf("%s: nothing serves this path; compare the path the backend serves with the one the proxy sends", status))
	case st == 502 || st == 503 || st == 504:
		return verdict(res, CauseProxyError, fmt.Sprintf("%s from %s: the proxy could not reach its upstream; check the backend and the proxy's error log", status, orUnknown(res.AnsweredBy)))
	case st == 426 && !strings.Contains(res.AnsweredBy, "its own error page"):
		// 426 Upgrade Required: the server wanted the upgrade it did not see.
		return verdict(res, CauseUpgradeNotForwarded, fmt.Sprintf("%s from %s: the server wanted an upgrade it did not see; forward Upgrade and Connection (proxy_set_header Upgrade $http_upgrade; proxy_set_header Connection $connection_upgrade)", status, orUnknown(res.AnsweredBy)))
	case st == 400:
		// Unsigned: the same GET without Upgrade tells whether the upgrade
		// headers made any difference. The same answer alone does not say a
		// WebSocket server answered (nginx's own 400 is the same for both),
		// so it is evidence in the message, not a verdict.
		plain, _, v, err := attempt(ctx, u, o, spec{name: "without-upgrade", origin: o.Origin})
		res.Variants = append(res.Variants, v)
		if bytes.Contains(r.body, []byte("The plain HTTP request was sent to HTTPS port")) {
			return verdict(res, CauseUnknown, fmt.Sprintf("%s from %s: \"The plain HTTP request was sent to HTTPS port\"; use wss://", status, orUnknown(res.AnsweredBy)))
		}
		if err == nil && plain.status == st && bytes.Equal(plain.body, r.body) {
			return verdict(res, CauseUnknown, fmt.Sprintf("%s from %s, the same answer as to a plain GET: the server that answered ignores the upgrade headers (they did not reach it, or it is no WebSocket server); see the excerpt", status, orUnknown(res.AnsweredBy)))
		}
	}
	return verdict(res, CauseUnknown, fmt.Sprintf("%s from %s: no known cause explains it (see the excerpt)", status, orUnknown(res.AnsweredBy)))
}

// judgeForbidden isolates an Origin check: the handshake with the host the
// backend may see (the URL's, without its port), then without Origin.
func judgeForbidden(ctx context.Context, res Result, status, lib string, u *url.URL, o Options) Result {
	var tries []spec
	if o.Origin != "" {
		// The more specific question first: a 101 to the port-less origin
		// says which Host the backend sees (host-drops-port).
		if u.Port() != "" {
			bare := *u
			bare.Host = u.Hostname()
			if o2 := DefaultOrigin(&bare); o2 != o.Origin {
				tries = append(tries, spec{name: "origin-without-port", origin: o2, upgrade: true})
			}
		}
		tries = append(tries, spec{name: "without-origin", upgrade: true})
	}
	for _, s := range tries {
		r, c, v, err := attempt(ctx, u, o, s)
		res.Variants = append(res.Variants, v)
		if c != nil {
			_ = writeFrame(c, opClose, []byte{0x03, 0xe8})
			c.Close()
		}
		if err != nil || r.status != 101 {
			continue
		}
		msg := fmt.Sprintf("%s with Origin %q, 101 without it: the backend's Origin check refuses the browser's origin; forward the Host the browser used ($http_host) or allow the origin", status, o.Origin)
		if s.name == "origin-without-port" {
			msg = fmt.Sprintf("%s with Origin %q, 101 with %q: the backend sees the host without its port; send Host $http_host (or $host$is_request_port$request_port from nginx 1.29.3)", status, o.Origin, s.origin)
		}
		return verdict(res, CauseOriginRejected, msg)
	}
	if lib == CauseOriginRejected {
		return verdict(res, CauseOriginRejected, fmt.Sprintf("%s from %s, whose text says the Origin is refused; forward the Host the browser used or allow the origin", status, res.AnsweredBy))
	}
	return verdict(res, CauseForbidden, fmt.Sprintf("%s from %s, with or without Origin: the request itself is refused", status, orUnknown(res.AnsweredBy)))
}

func orUnknown(s string) string {
	if s == "" {
		return "an unidentified server"
	}
	return s
}

// subprotocolProblem checks the 101's Sec-WebSocket-Protocol against the
// list asked for: RFC 6455 section 4.1 fails a connection whose answer
// names one not asked for, and Chrome also fails one that names none
// ("Sent non-empty 'Sec-WebSocket-Protocol' header but no response was
// received").
func subprotocolProblem(asked, got string) string {
	if got == "" {
		return fmt.Sprintf("101 without Sec-WebSocket-Protocol, though %q was asked for: Chrome fails the connection; the backend must select one (or the client ask for none)", asked)
	}
	for _, p := range strings.Split(asked, ",") {
		if strings.TrimSpace(p) == got {
			return ""
		}
	}
	return fmt.Sprintf("101 with Sec-WebSocket-Protocol %q, not one of %q asked for: browsers fail the connection (RFC 6455 section 4.1)", clip(got, 60), asked)
}
