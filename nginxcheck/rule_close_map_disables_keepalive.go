package nginxcheck

import (
	"github.com/wscheck/wscheck/report"
)

var closeMapDisablesKeepalive = &rule{
	doc: report.Rule{
		Name:     "close-map-disables-keepalive",
		Severity: report.Info,
		Title:    "from nginx 1.29.7, the Connection map's close for plain requests switches off upstream keep-alive",
		Why: `nginx 1.29.7 made upstream keep-alive the default (CHANGES: "ngx_http_proxy_module
supports keepalive by default; the default value for proxy_http_version is 1.1; the
Connection proxy header is not sent by default anymore", and the upstream keepalive
directive is on by default). The classic map "default upgrade; '' close;" still sends
"Connection: close" with every request that has no Upgrade header, and an HTTP/1.1
server closes the connection after answering it (RFC 9112 9.6), so nginx opens a new
upstream connection for every plain request that passes through the WebSocket
location. Yielding an empty value instead makes nginx send no Connection header
(ngx_http_proxy_create_request skips a header whose value is empty), which keeps the
connection reusable. Reported only with --nginx-version 1.29.7 or newer: before that,
nginx sent Connection: close by default anyway. Read from nginx's source and CHANGES;
Debian's nginx 1.22.1 predates the change, so the e2e run only shows the handshake works.`,
		Fix: `Make the map yield an empty value for requests without Upgrade:
"map $http_upgrade $connection_upgrade { default upgrade; '' ''; }".`,
	},
	onLocation: func(p *pass, ws *wsLocation) {
		if !p.opts.NginxVersion.AtLeast(http11Default) || ws.headers.unknown {
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
					p.report(at, "$%s yields %q for requests without Upgrade: with nginx %s, which keeps upstream connections alive by default, every plain request through WebSocket location %q then sends Connection: close and the backend closes the connection after answering; yield '' instead (\"%s\"), so that nginx sends no Connection header%s",
						name, out, p.opts.NginxVersion, ws.name(), recommendedMap(p.opts.NginxVersion, name), because(ws))
				}
			}
		}
	},
}
