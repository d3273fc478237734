package haproxycheck

import (
	"math"
	"time"

	"github.com/wscheck/wscheck/report"
)

// shortIdle is the silence after which a closed tunnel is reported, the
// same bound as the nginx half's short-read-timeout.
const shortIdle = time.Minute

var tunnelTimeout = &rule{
	doc: report.Rule{
		Name:     "haproxy-tunnel-timeout",
		Severity: report.Info,
		Title:    "a backend receiving WebSockets closes an idle tunnel after 60 s or less: no timeout tunnel where HAProxy reads it",
		Why: `Once a request is upgraded to WebSocket, HAProxy treats the connection as a tunnel. The
configuration manual (section 4.2, "timeout tunnel"): the tunnel timeout "supersedes both
the client and server timeouts once the connection becomes a tunnel", and "in HTTP, this
timeout is used when a connection is upgraded (e.g. when switching to the WebSocket
protocol)". Without it, "timeout client" and "timeout server" keep applying, and the
shorter one closes a WebSocket that was silent that long (measured with Debian's HAProxy
2.6: timeouts of 30 s scaled to 1 s closed the idle tunnel after 1 s; with "timeout
tunnel 1h" it stayed open).

Where it is written matters: the keyword matrix of section 4.1 and the keyword's own entry
allow "timeout tunnel" in defaults, listen and backend sections only ("This parameter is
specific to backends"). In a frontend it is ignored: "haproxy -c" warns that the frontend
has no backend capability, and the tunnel closed at "timeout client" (measured). Sections
take it from their defaults section (section 4: the latest "defaults" above them, or the
one named after "from").

Which backends: a mode http backend or listen section that a use_backend condition on the
Upgrade header or a WebSocket path (/ws, /socket.io, ...) selects, or whose name says
WebSocket; when nothing in the file routes WebSockets separately, every mode http backend
(any request may ask to upgrade). Not a finding: "option http-server-close" (HAProxy
turns the upgraded connection into a tunnel whatever the connection mode), and a tunnel
whose client and server timeouts are both unset or longer than a minute.`,
		Fix: `Add "timeout tunnel 1h" to the backend (or listen) section, or once to the defaults
section it uses; move a "timeout tunnel" written in a frontend there. A timeout tunnel of a
minute or less is raised, or the application pings more often.`,
	},
	onBackend: func(p *pass, b wsBackend) {
		if tun := b.setting(isTimeout("tunnel")); tun != nil {
			if tun.Env || tun.Cond {
				return
			}
			if d, ok := parseTime(tun.Arg(1)); ok && d <= shortIdle {
				p.report(tun, 0, 0, "judged to carry WebSockets because "+b.why,
					"timeout tunnel %s closes an idle WebSocket after %s of silence (%s); raise it (e.g. \"timeout tunnel 1h\") unless the application pings more often", tun.Arg(1), d, b.sec)
			}
			return
		}
		idle, by := time.Duration(math.MaxInt64), ""
		consider := func(d *Directive, what string) bool {
			if d == nil {
				return true
			}
			if d.Env || d.Cond {
				return false // a value or presence this file does not decide
			}
			v, ok := parseTime(d.Arg(1))
			if !ok {
				return false
			}
			if v > 0 && v < idle {
				idle, by = v, what
			}
			return true
		}
		if !consider(b.setting(isTimeout("server")), "timeout server of "+b.sec.String()) {
			return
		}
		var ignored *Directive
		var ignoredIn *Section
		for _, r := range p.c.routes[b.sec.Name] {
			if !consider(r.from.setting(isTimeout("client")), "timeout client of "+r.from.sec.String()) {
				return
			}
			if r.from.sec.Kind == "frontend" && ignored == nil {
				if d := r.from.own(isTimeout("tunnel")); d != nil {
					ignored, ignoredIn = d, r.from.sec
				}
			}
		}
		if idle > shortIdle {
			return // never closed, or only after more than a minute of silence
		}
		reason := "judged to carry WebSockets because " + b.why
		if ignored != nil {
			p.report(ignored, 0, 0, reason,
				"timeout tunnel in %s is ignored (HAProxy reads it only in defaults, listen and backend sections): WebSockets to %s are closed after %s of silence (%s); move it to %s or its defaults section",
				ignoredIn, b.sec, idle, by, b.sec)
			return
		}
		p.report(nil, b.sec.Line, b.sec.Col, reason,
			"%s has no timeout tunnel (neither in the section nor in its defaults): an upgraded WebSocket is closed after %s of silence (%s); add \"timeout tunnel 1h\" there or to its defaults section",
			b.sec, idle, by)
	},
}
