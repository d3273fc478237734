package nginxcheck

import (
	"strings"

	"github.com/wscheck/wscheck/report"
)

var emptyHostOnHTTP3 = &rule{
	doc: report.Rule{
		Name:     "empty-host-on-http3",
		Severity: report.Warning,
		Title:    "Host $http_host in a server that speaks HTTP/3: requests over HTTP/3 reach the backend without their host",
		Why: `$http_host is the request's Host header (ngx_http_variables.c: http_host reads
headers_in.host). An HTTP/3 request carries its host in the ":authority" pseudo-header,
and browsers send no Host header; nginx's HTTP/3 module
(ngx_http_v3_process_pseudo_header, ngx_http_v3_init_pseudo_headers) records
":authority" only as the server name and, unlike HTTP/2
(ngx_http_v2_construct_host_header, "compatibility for $http_host"), builds no Host
header from it. $http_host is then empty, and ngx_http_proxy_create_request sends no
Host at all (an empty value is dropped; before nginx 1.31.4) or the upstream address,
$proxy_host (from 1.31.4 with an HTTP/1.1 upstream, commit dea68dbf1). The backend
either refuses the request (Go's net/http: 400 "missing required Host header") or sees
the wrong host, and Origin checks answer 403. WebSocket handshakes themselves arrive
over HTTP/1.1 (nginx speaks neither RFC 8441 nor RFC 9220), so this hits the plain
requests of locations that serve both; it is not reported for locations whose path is a
WebSocket endpoint. Read from nginx's source (1.25.0 to 1.31.5); Debian's nginx 1.22.1
has no HTTP/3 to run it.`,
		Fix: `Fall back to $host when there is no Host header: "map $http_host $forwarded_host
{ '' $host; default $http_host; }" in http {} and "proxy_set_header Host $forwarded_host;",
or from nginx 1.29.3 "proxy_set_header Host $host$is_request_port$request_port;" (the
port comes from ":authority" too).`,
	},
	onTree: func(p *pass) {
		for _, loc := range p.m.locations {
			if !loc.proxies {
				continue
			}
			if _, ok := isWellKnownEndpoint(loc.path()); ok {
				continue // WebSocket handshakes only: those come over HTTP/1.1
			}
			ls := loc.level.server().listens()
			if !ls.quic {
				continue
			}
			hs := effectiveHeaders(loc.level)
			for _, h := range hs.get("host") {
				if v := strings.ToLower(h.value); v == "$http_host" || v == "${http_host}" {
					p.report(h.Site, "Host %s is empty for HTTP/3 requests (browsers send only \":authority\", and nginx builds no Host header from it for HTTP/3): this server listens with quic, so those requests reach the backend with no Host (before nginx 1.31.4) or the upstream address; send a map that falls back to $host (\"map $http_host $forwarded_host { '' $host; default $http_host; }\")%s", h.value, alsoRequestPort(p.opts.NginxVersion))
				}
			}
		}
	},
}

func alsoRequestPort(v Version) string {
	if v.AtLeast(requestPortVariables) {
		return ` or "proxy_set_header Host $host$is_request_port$request_port;"`
	}
	return ""
}
