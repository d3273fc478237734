package nginxcheck

import (
	"strings"

	"github.com/wscheck/wscheck/report"
)

var connectionFromClient = &rule{
	doc: report.Rule{
		Name:     "connection-from-client",
		Severity: report.Warning,
		Security: true,
		Title:    "Connection is copied from the client ($http_connection)",
		Why: `"proxy_set_header Connection $http_connection" forwards every hop-by-hop token the
client lists. The handshake works, but a client can send "Upgrade: h2c" with
"Connection: Upgrade, HTTP2-Settings" and upgrade the upstream connection to
cleartext HTTP/2, tunnelling requests past nginx's access rules (h2c smuggling,
CWE-444).`,
		Fix: `Derive Connection from a map on $http_upgrade ("map $http_upgrade $connection_upgrade
{ default upgrade; '' close; }", from nginx 1.29.7 '' '') and send "proxy_set_header
Connection $connection_upgrade;".`,
	},
	onLocation: func(p *pass, ws *wsLocation) {
		for _, h := range ws.headers.get("connection") {
			if strings.Contains(strings.ToLower(h.value), "$http_connection") {
				p.report(h.Site, "Connection is copied from the client's header ($http_connection): every hop-by-hop token the client lists reaches the backend, which allows h2c smuggling; send \"Connection $connection_upgrade\" from a map on $http_upgrade (%s)%s", recommendedMap(p.opts.NginxVersion, "connection_upgrade"), because(ws))
				p.fixLast("Connection $http_connection -> a map on $http_upgrade", func(r *repair) {
					if !strings.EqualFold(strings.TrimSpace(h.value), "$http_connection") {
						r.refuse("the value mixes $http_connection with other text: which part to keep is a choice")
						return
					}
					r.replaceArg(h.Node, 1, r.connectionValue())
				})
			}
		}
	},
}
