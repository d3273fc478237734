package nginxcheck

import "github.com/wscheck/wscheck/report"

var missingHTTPVersion = &rule{
	doc: report.Rule{
		Name:     "missing-http-version",
		Severity: report.Error,
		Title:    "WebSocket location proxies with HTTP/1.0 (nginx before 1.29.7)",
		Why: `Before nginx 1.29.7 the upstream protocol defaults to HTTP/1.0, and proxy_http_version
is inherited like any other directive. RFC 6455 requires the handshake to be HTTP/1.1:
a strict backend (github.com/coder/websocket, Python websockets) answers
426 "handshake request must be at least HTTP/1.1"; lenient ones (gorilla, Node ws)
accept it, so the break shows only on some backends. From nginx 1.29.7 (stable 1.30.0)
the default is HTTP/1.1: pass --nginx-version to drop this rule for newer targets.`,
		Fix: `Add "proxy_http_version 1.1;" to the location (or to its server).`,
	},
	onLocation: func(p *pass, ws *wsLocation) {
		if p.opts.NginxVersion.AtLeast(http11Default) {
			return
		}
		s := effective(ws.level, "proxy_http_version")
		if s.unknown || (s.node != nil && s.node.Arg(0) != "1.0") {
			return
		}
		if s.node != nil && s.at == ws.level {
			p.report(s.site, "WebSocket location %q proxies with HTTP/1.0: strict backends refuse the handshake with 426 (RFC 6455 requires HTTP/1.1); set \"proxy_http_version 1.1;\"%s", ws.name(), because(ws))
			return
		}
		p.report(ws.node, "WebSocket location %q proxies with HTTP/1.0, nginx's default before 1.29.7: strict backends refuse the handshake with 426 (RFC 6455 requires HTTP/1.1); add \"proxy_http_version 1.1;\"%s", ws.name(), because(ws))
	},
}
