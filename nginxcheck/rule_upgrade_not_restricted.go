package nginxcheck

import (
	"strings"

	"github.com/wscheck/wscheck/report"
)

var upgradeNotRestricted = &rule{
	doc: report.Rule{
		Name:     "upgrade-not-restricted",
		Severity: report.Info,
		Security: true,
		Off:      true,
		Title:    "Upgrade $http_upgrade forwards any protocol the client asks for, h2c included (off by default)",
		Why: `"proxy_set_header Upgrade $http_upgrade" copies whatever the client names: a client that
sends "Upgrade: h2c" gets h2c to the backend (observed through nginx 1.22.1), the first
half of an h2c smuggling attempt against a backend that speaks cleartext HTTP/2. nginx
declined to filter upgrade tokens itself, so the allow-list belongs in the config. Off
by default: the usual form is safe with backends that only speak WebSocket; turn it on
with --enable upgrade-not-restricted.`,
		Fix: `Allow-list the token: "map $http_upgrade $ws_upgrade { ~*^websocket$ websocket; default ''; }"
in http {} and "proxy_set_header Upgrade $ws_upgrade;" (any other token is then not sent).`,
	},
	onLocation: func(p *pass, ws *wsLocation) {
		if ws.headers.unknown {
			return
		}
		for _, h := range ws.headers.get("upgrade") {
			if v := strings.ToLower(strings.TrimSpace(h.value)); v == "$http_upgrade" || v == "${http_upgrade}" {
				p.report(h.Site, "Upgrade %s forwards whatever upgrade the client asks for, h2c included, which lets a client try h2c smuggling against the backend; allow only WebSocket with \"map $http_upgrade $ws_upgrade { ~*^websocket$ websocket; default ''; }\" and \"proxy_set_header Upgrade $ws_upgrade;\"%s", h.value, because(ws))
			}
		}
	},
}
