package nginxcheck

import (
	"github.com/wscheck/wscheck/report"
)

var missingConnectionHeader = &rule{
	doc: report.Rule{
		Name:     "missing-connection-header",
		Severity: report.Error,
		Title:    "WebSocket location does not send Connection: upgrade to the backend",
		Why: `Connection is hop-by-hop: nginx sends its own ("close" before 1.29.7, none after),
never the client's. Without a Connection header that carries the token "upgrade" the
backend refuses the handshake: gorilla answers 400 "'upgrade' token not found in
'Connection' header", coder/websocket 426 "Connection header \"close\" does not contain
Upgrade" (observed through nginx 1.22.1). Connection is a comma-separated token list
(RFC 9110): "keep-alive, Upgrade" asks for an upgrade, "upgrade-typo" or "upgraded" do
not. Values are judged with their variables evaluated for a browser's handshake, so
"Connection $http_upgrade" (Upgrade and Connection swapped) sends "Connection:
websocket" and fails the same way: gorilla 400, coder/websocket 426 "Connection header
\"websocket\" does not contain Upgrade" (observed). An empty value (which nginx drops)
fails too. A value from a map is judged by broken-upgrade-map.`,
		Fix: `Add "proxy_set_header Connection $connection_upgrade;" with a map on $http_upgrade
(default upgrade; '' close; from nginx 1.29.7 '' '') in http {}, or "proxy_set_header
Connection upgrade;" in a location that gets only handshakes.`,
	},
	onLocation: func(p *pass, ws *wsLocation) {
		if ws.outer != nil || ws.headers.unknown {
			return
		}
		var entries []header
		for _, h := range ws.headers.list {
			if h.name != "connection" {
				continue
			}
			if p.m.usesMap(h.value) {
				return // broken-upgrade-map's to judge
			}
			entries = append(entries, h)
		}
		fix := "use \"proxy_set_header Connection $connection_upgrade;\" (" + recommendedMap(p.opts.NginxVersion, "connection_upgrade") + ") or \"Connection upgrade\""
		if len(entries) == 0 {
			p.report(ws.node, "WebSocket location %q sends no Connection: upgrade (nginx sends its own Connection header instead): the backend refuses the handshake (400); %s%s", ws.name(), fix, because(ws))
			p.fixLast("add proxy_set_header Connection", func(r *repair) { r.addHeader(ws, "Connection", r.connectionValue()) })
			return
		}
		ok, known, bad := p.m.judge(entries, asksUpgrade)
		if ok || !known {
			return
		}
		hint := ""
		if p.m.swapped(ws.headers) {
			hint = " (Upgrade and Connection are swapped)"
		}
		p.report(bad.h.Site, "WebSocket location %q sends %s instead of an upgrade%s: the backend refuses the handshake (400); %s%s", ws.name(), bad.describe("Connection"), hint, fix, because(ws))
		p.fixLast("replace the Connection value", func(r *repair) { r.replaceArg(bad.h.Node, 1, r.connectionValue()) })
	},
}
