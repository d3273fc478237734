package nginxcheck

import (
	"fmt"
	"strings"

	"github.com/wscheck/wscheck/report"
)

var droppedInheritedHeaders = &rule{
	doc: report.Rule{
		Name:     "dropped-inherited-headers",
		Severity: report.Error,
		Title:    "a location's own proxy_set_header list drops the Upgrade/Connection headers set outside it",
		Why: `proxy_set_header is inherited all or nothing: a level that sets even one header
(directly, or through an include such as proxy_params) inherits none from outside.
The Upgrade and Connection headers set at the server or http level silently vanish,
the backend sees a plain request (and Host becomes the upstream address) and refuses
the handshake: gorilla 400 "'upgrade' token not found in 'Connection' header",
coder/websocket 426 "Connection header \"close\" does not contain Upgrade" (observed
through nginx 1.22.1).`,
		Fix: `Repeat "proxy_set_header Upgrade $http_upgrade;" and "proxy_set_header Connection
$connection_upgrade;" in the level that defines its own list, or move its extra headers
out to the outer level.`,
	},
	onLocation: func(p *pass, ws *wsLocation) {
		if ws.outer == nil {
			return
		}
		var dropped []string
		for _, h := range ws.outer.list {
			if h.name == "host" && len(ws.headers.get("host")) > 0 {
				continue
			}
			if (h.name == "upgrade" || h.name == "connection" || h.name == "host") && h.value != "" {
				dropped = append(dropped, fmt.Sprintf("%s (%s:%d)", headerTitle(h.name), h.Node.File.Path, h.Node.Line))
			}
		}
		first := ws.headers.list[0]
		p.report(first.Site, "WebSocket location %q defines its own proxy_set_header list here, so nginx drops %s set outside it: the backend refuses the handshake (400); repeat them in this list%s", ws.name(), strings.Join(dropped, " and "), because(ws))
		p.fixLast("repeat the dropped entries at the top of the location's list", func(r *repair) {
			own := map[string]bool{}
			for _, h := range ws.headers.list {
				own[h.name] = true
			}
			var repeat []string
			for _, h := range ws.outer.list {
				if !own[h.name] {
					repeat = append(repeat, r.text(h.Node))
				}
			}
			r.insertBefore(r.anchor(first), repeat...)
		})
	},
}
