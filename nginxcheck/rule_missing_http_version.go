package nginxcheck

import "github.com/wscheck/wscheck/report"

var missingHTTPVersion = &rule{
	doc: report.Rule{
		Name:     "missing-http-version",
		Severity: report.Error,
		Title:    "WebSocket location proxies with HTTP/1.0 (explicitly, or by default before nginx 1.29.7)",
		Why: `Before nginx 1.29.7 the upstream protocol defaults to HTTP/1.0, and proxy_http_version
is inherited like any other directive. RFC 6455 requires the handshake to be HTTP/1.1:
a strict backend (github.com/coder/websocket, Python websockets) answers
426 "handshake request must be at least HTTP/1.1"; lenient ones (gorilla, Node ws)
accept it, so the break shows only on some backends. From nginx 1.29.7 (stable 1.30.0)
the default is HTTP/1.1: pass --nginx-version so that a location without the directive
is not reported for newer targets. An explicit "proxy_http_version 1.0;" in effect for a
WebSocket location is reported under every version.`,
		Fix: `Add "proxy_http_version 1.1;" to the location (or to its server).`,
	},
	onLocation: func(p *pass, ws *wsLocation) {
		s := effective(ws.level, "proxy_http_version")
		if s.unknown || (s.node != nil && s.node.Arg(0) != "1.0") {
			return
		}
		// 1.29.7 changed the default, not what an explicit 1.0 means.
		if s.node == nil && p.opts.NginxVersion.AtLeast(http11Default) {
			return
		}
		if s.node != nil && s.at != ws.level {
			p.report(ws.node, "WebSocket location %q inherits \"proxy_http_version 1.0;\" (%s:%d) and proxies with HTTP/1.0: strict backends refuse the handshake with 426 (RFC 6455 requires HTTP/1.1); set \"proxy_http_version 1.1;\"%s", ws.name(), s.node.File.Path, s.node.Line, because(ws))
			// The outer 1.0 serves other locations too: override it here.
			p.fixLast("add proxy_http_version 1.1 to the location", func(r *repair) { r.insertInLocation(ws, "proxy_http_version 1.1;") })
			return
		}
		if s.node != nil {
			p.report(s.site, "WebSocket location %q proxies with HTTP/1.0: strict backends refuse the handshake with 426 (RFC 6455 requires HTTP/1.1); set \"proxy_http_version 1.1;\"%s", ws.name(), because(ws))
			p.fixLast("proxy_http_version 1.0 -> 1.1", func(r *repair) { r.replaceArg(s.node, 0, "1.1") })
			return
		}
		p.report(ws.node, "WebSocket location %q proxies with HTTP/1.0, nginx's default before 1.29.7: strict backends refuse the handshake with 426 (RFC 6455 requires HTTP/1.1); add \"proxy_http_version 1.1;\"%s", ws.name(), because(ws))
		p.fixLast("add proxy_http_version 1.1 to the location", func(r *repair) { r.insertInLocation(ws, "proxy_http_version 1.1;") })
	},
}
