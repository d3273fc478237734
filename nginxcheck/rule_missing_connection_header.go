package nginxcheck

import (
	"strings"

	"github.com/wscheck/wscheck/report"
)

var missingConnectionHeader = &rule{
	doc: report.Rule{
		Name:     "missing-connection-header",
		Severity: report.Error,
		Title:    "WebSocket location does not send Connection: upgrade to the backend",
		Why: `Connection is hop-by-hop: nginx sends its own ("close" before 1.29.7, keep-alive
after), never the client's. Without a Connection header that carries "upgrade" the
backend refuses the handshake: gorilla answers 400 "'upgrade' token not found in
'Connection' header", coder/websocket 426 "Connection header \"close\" does not contain
Upgrade" (observed through nginx 1.22.1). A constant such as keep-alive or close, or an empty value
(which nginx drops), fails the same way.`,
		Fix: `Add "proxy_set_header Connection $connection_upgrade;" with a map on $http_upgrade
(default upgrade; '' close;) in http {}, or "proxy_set_header Connection upgrade;".`,
	},
	onLocation: func(p *pass, ws *wsLocation) {
		if ws.outer != nil || ws.headers.unknown {
			return
		}
		var offending *header
		for i, h := range ws.headers.list {
			if h.name != "connection" {
				continue
			}
			if strings.Contains(h.value, "$") || strings.Contains(strings.ToLower(h.value), "upgrade") {
				return
			}
			if offending == nil {
				offending = &ws.headers.list[i]
			}
		}
		if offending != nil {
			p.report(offending.Site, "WebSocket location %q sends \"Connection: %s\" instead of an upgrade: the backend refuses the handshake (400); use \"proxy_set_header Connection $connection_upgrade;\" (a map on $http_upgrade) or \"Connection upgrade\"%s", ws.name(), offending.value, because(ws))
			return
		}
		p.report(ws.node, "WebSocket location %q sends no Connection: upgrade (nginx sends its own Connection header instead): the backend refuses the handshake (400); add \"proxy_set_header Connection $connection_upgrade;\" (a map on $http_upgrade) or \"Connection upgrade\"%s", ws.name(), because(ws))
	},
}
