package apachecheck

import (
	"regexp"

	"github.com/wscheck/wscheck/report"
)

var noWebSocketUpgrade = &rule{
	doc: report.Rule{
		Name:     "apache-no-websocket-upgrade",
		Severity: report.Error,
		Title:    "WebSocket path proxied to http:// without upgrade=websocket, a ws:// worker or a RewriteRule [P] to ws://",
		Why: `Upgrade and Connection are hop-by-hop headers: mod_proxy_http does not pass them on, so
the backend receives a plain GET and refuses the handshake (measured with Debian's Apache
2.4: gorilla/websocket answers 400). Since 2.4.47 mod_proxy_http tunnels an upgrade only
when the worker names the protocol with "upgrade=websocket" (mod_proxy_http,
"Protocol Upgrade"; mod_proxy's ProxyPass "upgrade" parameter); before that, only a ws://
or wss:// worker of mod_proxy_wstunnel does, or a "RewriteRule ... ws://... [P]" under
"RewriteCond %{HTTP:Upgrade} websocket [NC]" (the mod_proxy_wstunnel documentation's
pattern).

Which paths: a ProxyPass, ProxyPassMatch or <Location> ProxyPass whose path names a
WebSocket endpoint (/ws, /websocket, /socket.io, /sockjs, /cable, ...).`,
		Fix: `Add "upgrade=websocket" to the ProxyPass (httpd 2.4.47 or later), or proxy the path to
ws:// (wss:// for an https backend).`,
	},
	check: func(p *pass, c *context) {
		for _, m := range c.maps {
			if m.rewrite || m.wsWhy != "" || m.unknown || m.target == "!" || !wsPath(m.path) {
				continue
			}
			if s := m.scheme(); s != "http" && s != "https" && s != "balancer" {
				continue
			}
			path, _ := m.samplePath()
			if coveredByRewrite(c, path) {
				continue
			}
			p.report(m.n, "judged a WebSocket path because "+m.path+" names a WebSocket endpoint",
				"%s proxies a WebSocket path without an upgrade: mod_proxy_http drops Upgrade and Connection, so the handshake fails (400); add upgrade=websocket (httpd 2.4.47+) or use a ws:// target", m)
		}
	},
}

// coveredByRewrite: a RewriteRule [P] to ws:// under an Upgrade condition
// takes the path before ProxyPass does.
func coveredByRewrite(c *context, path string) bool {
	for _, m := range c.maps {
		if s := m.scheme(); !m.rewrite || !m.upgrade || (s != "ws" && s != "wss") {
			continue
		}
		re, err := regexp.Compile(m.path)
		if err != nil || path == "" || re.MatchString(path) {
			return true
		}
	}
	return false
}
