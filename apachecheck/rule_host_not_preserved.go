package apachecheck

import (
	"strings"

	"github.com/wscheck/wscheck/report"
)

var hostNotPreserved = &rule{
	doc: report.Rule{
		Name:     "apache-host-not-preserved",
		Severity: report.Info,
		Title:    "WebSocket proxying without ProxyPreserveHost On: the backend sees the worker's host",
		Why: `ProxyPreserveHost is Off by default (mod_proxy documentation): the request to the backend
carries the host of the ProxyPass URL, not the browser's. A WebSocket server that checks
Origin against Host, as gorilla/websocket's default CheckOrigin and coder/websocket do,
then refuses the browser's handshake (measured with Debian's Apache 2.4: 403 from gorilla,
with Host 127.0.0.1:PORT; the handshake without Origin upgrades).`,
		Fix: `Add "ProxyPreserveHost On" to the virtual host (or the server config), or make the
backend accept the public origin explicitly.`,
	},
	check: func(p *pass, c *context) {
		if c.unknown || c.vhost == nil {
			// An Include this file could not read may set it; mappings
			// outside a <VirtualHost> are a fragment's, whose includer may.
			return
		}
		eff := c.preserve
		if eff == nil {
			eff = c.inherited
		}
		if eff != nil && strings.EqualFold(eff.Arg(0), "on") {
			return
		}
		for _, m := range c.maps {
			wsByPath := wsPath(m.path) && !m.rewrite
			if m.target == "!" || (m.wsWhy == "" && !wsByPath) {
				continue
			}
			site, why := c.vhost, "its WebSocket mapping "+m.String()
			if c.preserve != nil {
				site = c.preserve
			}
			p.report(site, "proxies WebSockets through "+why,
				"%s proxies WebSockets without ProxyPreserveHost On: the backend sees the worker's host, and a server checking Origin against Host (gorilla, coder) answers 403; add \"ProxyPreserveHost On\"", c.name())
			return
		}
	},
}
