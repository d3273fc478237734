package nginxcheck

import (
	"fmt"
	"strings"

	"github.com/wscheck/wscheck/nginxcheck/load"
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
				dropped = append(dropped, fmt.Sprintf("%s (%s)", headerTitle(h.name), lineOf(h.Node, ws.headers.list[0].Site)))
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

// lineOf points at n from a finding at at: "line 12" in the same file,
// "path:12" in another, so a message does not repeat a long path.
func lineOf(n, at *load.Node) string {
	if n.File.Path == at.File.Path {
		return fmt.Sprintf("line %d", n.Line)
	}
	return fmt.Sprintf("%s:%d", n.File.Path, n.Line)
}
