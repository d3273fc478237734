package nginxcheck

import (
	"fmt"
	"strings"

	"github.com/wscheck/wscheck/report"
)

var brokenUpgradeMap = &rule{
	doc: report.Rule{
		Name:     "broken-upgrade-map",
		Severity: report.Error,
		Title:    "the map feeding Connection does not yield upgrade for a WebSocket handshake",
		Why: `The usual Connection value comes from a map on $http_upgrade. If the map's default,
or the entry matching "websocket", yields something other than "upgrade" (keep-alive,
close, ""), or the map reads the wrong source variable, every handshake reaches the
backend with that Connection value and is refused: gorilla 400 "'upgrade' token not
found in 'Connection' header", coder/websocket 426 "Connection header \"keep-alive\" does
not contain Upgrade" (observed through nginx 1.22.1).`,
		Fix: `Use "map $http_upgrade $connection_upgrade { default upgrade; '' close; }" in http {}.`,
	},
	onLocation: func(p *pass, ws *wsLocation) {
		if ws.headers.unknown {
			return
		}
		for _, h := range ws.headers.get("connection") {
			for _, name := range variables(h.value) {
				md := p.m.maps[name]
				if md == nil {
					continue
				}
				if problem := upgradeMapProblem(md); problem != "" {
					p.report(h.Site, "Connection comes from $%s, but the map at %s:%d %s: every WebSocket handshake is refused (400); use \"map $http_upgrade $%s { default upgrade; '' close; }\"%s",
						name, md.node.File.Path, md.node.Line, problem, name, because(ws))
				}
			}
		}
	},
}

// upgradeMapProblem evaluates the map for what browsers send.
func upgradeMapProblem(md *mapDef) string {
	var inputs []string
	switch strings.ToLower(md.source) {
	case "$http_upgrade":
		inputs = []string{"websocket"}
	case "$http_connection":
		inputs = []string{"Upgrade", "keep-alive, Upgrade"} // Chrome, Firefox
	default:
		if strings.Contains(md.source, "$") && !strings.Contains(strings.ToLower(md.source), "upgrade") {
			return fmt.Sprintf("reads %s instead of $http_upgrade", md.source)
		}
		return ""
	}
	for _, in := range inputs {
		out, known := md.eval(in)
		if !known || strings.Contains(out, "$") || strings.Contains(strings.ToLower(out), "upgrade") {
			continue
		}
		if out == "" {
			return fmt.Sprintf("yields nothing for %q (nginx then drops the header)", in)
		}
		return fmt.Sprintf("yields %q for %q", out, in)
	}
	return ""
}
