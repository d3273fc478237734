package nginxcheck

import (
	"fmt"
	"strings"

	"github.com/wscheck/wscheck/nginxcheck/load"
	"github.com/wscheck/wscheck/report"
)

var closeMapDisablesKeepalive = &rule{
	doc: report.Rule{
		Name:     "close-map-disables-keepalive",
		Severity: report.Info,
		Title:    "the Connection map's close for plain requests switches off upstream keep-alive (default from nginx 1.29.7)",
		Why: `nginx 1.29.7 made upstream keep-alive the default (CHANGES: "ngx_http_proxy_module
supports keepalive by default; the default value for proxy_http_version is 1.1; the
Connection proxy header is not sent by default anymore", and the upstream keepalive
directive is on by default). The classic map "default upgrade; '' close;" still sends
"Connection: close" with every request that has no Upgrade header, and an HTTP/1.1
server closes the connection after answering it (RFC 9112 9.6), so nginx opens a new
upstream connection for every plain request that passes through the WebSocket
location. Yielding an empty value instead makes nginx send no Connection header
(ngx_http_proxy_create_request skips a header whose value is empty), which keeps the
connection reusable. Observed through nginx 1.22.1 with the keepalive written out: three
plain requests reached the backend on three upstream connections with the close map,
on one with ''. Reported with --nginx-version 1.29.7 or newer, and under any version
for a location that proxies to an upstream block with its own keepalive directive;
otherwise nginx before 1.29.7 does not keep upstream connections alive anyway.`,
		Fix: `Make the map yield an empty value for requests without Upgrade:
"map $http_upgrade $connection_upgrade { default upgrade; '' ''; }".`,
	},
	onLocation: func(p *pass, ws *wsLocation) {
		if ws.headers.unknown || !p.opts.NginxVersion.AtLeast(http11Default) && !p.m.keepaliveUpstream(ws.location) {
			return
		}
		for _, h := range ws.headers.get("connection") {
			for _, name := range variables(h.value) {
				md := p.m.maps[name]
				if md == nil {
					continue
				}
				in, ok := p.m.evalFor(md.source, plainRequest)
				if !ok {
					continue
				}
				out, at, ok := md.match(in)
				if !ok || at == nil {
					continue
				}
				if v, ok := p.m.evalFor(out, plainRequest); ok && hasToken(v, "close") {
					p.report(at, "$%s yields %q for requests without Upgrade: with %s, every plain request through WebSocket location %q then sends Connection: close and the backend closes the connection after answering; yield '' instead (\"%s\"), so that nginx sends no Connection header%s",
						name, out, keepaliveBy(p, ws.location), ws.name(), recommendedMap(Version{1, 29, 7}, name), because(ws))
				}
			}
		}
	},
}

// keepaliveBy says what keeps the location's upstream connections alive.
func keepaliveBy(p *pass, loc *location) string {
	if p.opts.NginxVersion.AtLeast(http11Default) {
		return fmt.Sprintf("nginx %s, which keeps upstream connections alive by default", p.opts.NginxVersion)
	}
	return "its upstream's keepalive directive"
}

// keepaliveUpstream reports whether a location proxies to an upstream
// block that sets keepalive.
func (m *model) keepaliveUpstream(loc *location) bool {
	if m.keepalive == nil {
		// One walk per tree, not one per location: a large config has
		// tens of thousands of WebSocket locations.
		m.keepalive = map[string]bool{}
		load.Walk(m.tree.Root.Nodes, func(n *load.Node) bool {
			if n.Name == "upstream" {
				for _, c := range load.Expand(n.Children) {
					m.keepalive[n.Arg(0)] = m.keepalive[n.Arg(0)] || c.Node.Name == "keepalive"
				}
				return false
			}
			return true
		})
	}
	for _, s := range loc.level.own("proxy_pass") {
		target := s.Node.Arg(0)
		if i := strings.Index(target, "://"); i >= 0 {
			target = target[i+3:]
		}
		target, _, _ = strings.Cut(target, "/")
		if m.keepalive[target] {
			return true
		}
	}
	return false
}
