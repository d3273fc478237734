package nginxcheck

import (
	"github.com/wscheck/wscheck/report"
)

var missingUpgradeHeader = &rule{
	doc: report.Rule{
		Name:     "missing-upgrade-header",
		Severity: report.Error,
		Title:    "WebSocket location does not send Upgrade: websocket to the backend",
		Why: `Upgrade is a hop-by-hop header: nginx never forwards the client's on its own. Without
"proxy_set_header Upgrade ..." the backend sees a plain GET and refuses the handshake
with 400 (gorilla: "'websocket' token not found in 'Upgrade' header"; coder/websocket:
426 "WebSocket protocol violation: Upgrade header ..."). The value is judged as the
backend reads it, with its variables evaluated for a browser's handshake ($http_upgrade
is "websocket", maps yield what they yield for it): it must hold the token "websocket".
A constant other than "websocket" fails, and so does "Upgrade $connection_upgrade" with
"Connection $http_upgrade" (the two swapped: the backend receives "Upgrade: upgrade" and
"Connection: websocket"); both backends name Connection first there: gorilla 400
"'upgrade' token not found in 'Connection' header", coder/websocket 426 "Connection
header \"websocket\" does not contain Upgrade" (observed through nginx 1.22.1).`,
		Fix: `Send "proxy_set_header Upgrade $http_upgrade;" in the location's own proxy_set_header list.`,
	},
	onLocation: func(p *pass, ws *wsLocation) {
		if ws.outer != nil || ws.headers.unknown {
			return
		}
		ups := ws.headers.get("upgrade")
		if len(ups) == 0 {
			p.report(ws.node, "WebSocket location %q sends no Upgrade header: nginx does not forward the client's, so the backend refuses the handshake (400); add \"proxy_set_header Upgrade $http_upgrade;\"%s", ws.name(), because(ws))
			p.fixLast("add proxy_set_header Upgrade $http_upgrade", func(r *repair) { r.addHeader(ws, "Upgrade", "$http_upgrade") })
			return
		}
		ok, known, bad := p.m.judge(ups, offersWebSocket)
		if ok || !known {
			return
		}
		hint := ""
		if p.m.swapped(ws.headers) {
			hint = " (Upgrade and Connection are swapped)"
		}
		p.report(bad.h.Site, "WebSocket location %q sends %s, not a WebSocket upgrade%s: the backend refuses the handshake (400); use \"proxy_set_header Upgrade $http_upgrade;\"%s", ws.name(), bad.describe("Upgrade"), hint, because(ws))
		p.fixLast("Upgrade "+bad.h.value+" -> $http_upgrade", func(r *repair) { r.replaceArg(bad.h.Node, 1, "$http_upgrade") })
	},
}
