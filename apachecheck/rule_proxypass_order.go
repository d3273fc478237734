package apachecheck

import "github.com/wscheck/wscheck/report"

var proxyPassOrder = &rule{
	doc: report.Rule{
		Name:     "apache-proxypass-order",
		Severity: report.Error,
		Title:    "plain ProxyPass earlier in the configuration takes the requests of a later WebSocket ProxyPass",
		Why: `mod_proxy checks server-level ProxyPass and ProxyPassMatch rules "in the order of
configuration. The first rule that matches wins" (mod_proxy documentation, ProxyPass,
"Ordering ProxyPass Directives"). A "ProxyPass / http://app/" written before
"ProxyPass /ws ws://app/ws" therefore takes the WebSocket request too, through a worker
that does not tunnel it: the backend never sees the Upgrade (measured with Debian's
Apache 2.4: gorilla/websocket answers 400).

Not a finding: a WebSocket ProxyPass inside <Location /ws> after a server-level
"ProxyPass /": a ProxyPass in a Location is evaluated before the server-level ones
(mod_proxy documentation: "the ProxyPass directive in the Location block will be evaluated
first"; measured 101).`,
		Fix: `Move the WebSocket ProxyPass (ws://, wss://, a balancer of ws:// members, or
upgrade=websocket) above the shorter path that hides it; the longest paths go first.`,
	},
	check: func(p *pass, c *context) {
		for j, w := range c.maps {
			if w.wsWhy == "" || w.location != nil || w.rewrite {
				continue
			}
			path, ok := w.samplePath()
			if !ok {
				continue
			}
			for _, e := range c.maps[:j] {
				if e.location != nil || e.rewrite || e.wsWhy != "" || e.unknown || e.target == "!" || !e.takes(path) {
					continue
				}
				p.report(w.n, "a WebSocket mapping because "+w.wsWhy,
					"%s is never used for %s: %s (line %d) comes first and takes the request without tunnelling the WebSocket (400); move this line above it",
					w, path, e, e.n.Line)
				break
			}
		}
	},
}
