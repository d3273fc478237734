package nginxcheck

import (
	"strings"

	"github.com/wscheck/wscheck/report"
)

var forwardedHostPort = &rule{
	doc: report.Rule{
		Name:     "forwarded-host-port",
		Severity: report.Info,
		Title:    "X-Forwarded-Host carries $server_port on a server that listens on 80/443",
		Why: `Browsers leave the default port out of Host and Origin: a page on https://name sends
"Origin: https://name". "proxy_set_header X-Forwarded-Host $host:$server_port" on a
server listening on 443 sends "X-Forwarded-Host: name:443". Backends that trust
X-Forwarded-Host as the host the browser used (code-server's origin check, n8n) compare
it with the Origin's host[:port], find "name:443" against "name" and refuse the
WebSocket with 403 (code-server: 'host "name:443" does not match origin "name"').
Observed through nginx 1.22.1 with a backend written for the test that checks Origin
against X-Forwarded-Host as code-server does: 403 with $server_port appended, 101
without. Backends that ignore X-Forwarded-Host are unaffected: the finding is info.`,
		Fix: `Send "proxy_set_header X-Forwarded-Host $http_host;" (what the browser sent, port included
only when it used one), or $host on a server that listens only on 80/443.`,
	},
	onLocation: func(p *pass, ws *wsLocation) {
		if ws.headers.unknown {
			return
		}
		ls := ws.level.server().listens()
		if !ls.known {
			return
		}
		onDefault := false
		for _, port := range ls.ports {
			onDefault = onDefault || defaultPort(port)
		}
		if !onDefault {
			return
		}
		for _, h := range ws.headers.get("x-forwarded-host") {
			if strings.Contains(strings.ToLower(h.value), "$server_port") || strings.Contains(strings.ToLower(h.value), "${server_port}") {
				p.report(h.Site, "X-Forwarded-Host %s adds the server's port, but its server listens on 80/443, where browsers send Origin without a port: backends that check Origin against X-Forwarded-Host (code-server, n8n) refuse the WebSocket with 403; send \"proxy_set_header X-Forwarded-Host $http_host;\"%s", h.value, because(ws))
			}
		}
	},
}
