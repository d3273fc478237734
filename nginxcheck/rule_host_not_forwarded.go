package nginxcheck

import (
	"slices"
	"strings"

	"github.com/wscheck/wscheck/report"
)

var hostNotForwarded = &rule{
	doc: report.Rule{
		Name:     "host-not-forwarded",
		Severity: report.Info,
		Title:    "WebSocket location sends nginx's default Host ($proxy_host)",
		Why: `Without "proxy_set_header Host ...", nginx sends the upstream's address as Host
(127.0.0.1:9001). Backends that compare the browser's Origin with Host (gorilla's
default CheckOrigin, many frameworks) refuse the handshake with 403.`,
		Fix: `Add "proxy_set_header Host $host;", or on a server that listens on another port than
80/443 "proxy_set_header Host $http_host;" (see host-drops-port).`,
	},
	onLocation: func(p *pass, ws *wsLocation) {
		if ws.headers.unknown || ws.outer != nil { // dropped-inherited-headers names Host too
			return
		}
		hosts := ws.headers.get("host")
		for _, h := range hosts {
			if !strings.EqualFold(h.value, "$proxy_host") {
				return
			}
		}
		fix, value := `"proxy_set_header Host $host;"`, "$host"
		if ls := ws.level.server().listens(); ls.known && !slices.ContainsFunc(ls.ports, defaultPort) {
			fix = portKeepingHost(p.opts.NginxVersion) // $host would drop the port (host-drops-port)
			value = "$http_host"
			if p.opts.NginxVersion.AtLeast(requestPortVariables) {
				value = "$host$is_request_port$request_port"
			}
		}
		p.report(ws.node, "WebSocket location %q sends Host: $proxy_host (the upstream address): backends that check Origin against Host refuse the handshake with 403; add %s%s", ws.name(), fix, because(ws))
		p.fixLast("send Host "+value, func(r *repair) {
			if len(hosts) > 0 {
				r.replaceArg(hosts[0].Node, 1, value)
				return
			}
			r.addHeader(ws, "Host", value)
		})
	},
}
