package nginxcheck

import (
	"strings"

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
426 "WebSocket protocol violation: Upgrade header ..."). A constant other than
"websocket" fails the same way.`,
		Fix: `Add "proxy_set_header Upgrade $http_upgrade;" to the location's own proxy_set_header list.`,
	},
	onLocation: func(p *pass, ws *wsLocation) {
		if ws.outer != nil || ws.headers.unknown {
			return
		}
		ups := ws.headers.get("upgrade")
		if len(ups) == 0 {
			p.report(ws.node, "WebSocket location %q sends no Upgrade header: nginx does not forward the client's, so the backend refuses the handshake (400); add \"proxy_set_header Upgrade $http_upgrade;\"%s", ws.name(), because(ws))
			return
		}
		for _, h := range ups {
			if strings.Contains(h.value, "$") || strings.EqualFold(h.value, "websocket") {
				return
			}
		}
		p.report(ws.node, "WebSocket location %q sends \"Upgrade: %s\", which is not a WebSocket upgrade: the backend refuses the handshake (400); use \"proxy_set_header Upgrade $http_upgrade;\"%s", ws.name(), ups[0].value, because(ws))
	},
}
