package nginxcheck

import (
	"fmt"
	"slices"
	"strings"

	"github.com/wscheck/wscheck/report"
)

var hostDropsPort = &rule{
	doc: report.Rule{
		Name:     "host-drops-port",
		Severity: report.Info,
		Title:    "WebSocket location sends Host $host (no port) from a server that listens only on non-default ports",
		Why: `$host is the request's host name without its port (ngx_http_validate_host splits the
port off), and $server_name is the configured name. A browser that reaches the server on
port 8080 sends "Host: name:8080" and "Origin: http://name:8080"; the backend receives
"Host: name" and an Origin check that compares the Origin's host[:port] with Host
refuses the handshake: gorilla's default CheckOrigin and coder/websocket's default
both answer 403 (observed through nginx 1.22.1: gorilla 403 "request origin not allowed
by Upgrader.CheckOrigin", coder 403 "request Origin \"app.example.test:PORT\" is not
authorized for Host \"app.example.test\""). This is why the "use $host instead of
$http_host" advice of other linters (aimed at Host spoofing) breaks WebSockets on
non-default ports. When a port mapping in front of nginx (a container's 80:8080)
makes browsers use port 80 or 443, nothing breaks: the finding is info.`,
		Fix: `Send "proxy_set_header Host $http_host;" (the client's Host, port included; on an HTTP/3
server see empty-host-on-http3), or from nginx 1.29.3
"proxy_set_header Host $host$is_request_port$request_port;".`,
	},
	onLocation: func(p *pass, ws *wsLocation) {
		if ws.headers.unknown {
			return
		}
		ls := ws.level.server().listens()
		if !ls.known {
			return
		}
		var ports []string
		for _, port := range ls.ports {
			if defaultPort(port) {
				return
			}
			if s := fmt.Sprint(port); !slices.Contains(ports, s) {
				ports = append(ports, s) // "listen 8080; listen [::]:8080;" is one port
			}
		}
		for _, h := range ws.headers.get("host") {
			v := strings.ToLower(h.value)
			if v != "$host" && v != "${host}" && v != "$server_name" && v != "${server_name}" {
				continue
			}
			p.report(h.Site, "WebSocket location %q sends Host %s without the port its server listens on (%s), while a browser's Origin has it: backends that compare Origin with Host (gorilla's and coder/websocket's defaults) refuse the handshake with 403; send %s%s",
				ws.name(), h.value, strings.Join(ports, ", "), portKeepingHost(p.opts.NginxVersion), because(ws))
		}
	},
}

// requestPortVariables is the first nginx with $request_port and $is_request_port.
var requestPortVariables = Version{1, 29, 3}

// portKeepingHost is the advice for a Host that keeps the client's port.
func portKeepingHost(v Version) string {
	if v.AtLeast(requestPortVariables) {
		return `"proxy_set_header Host $host$is_request_port$request_port;"`
	}
	return `"proxy_set_header Host $http_host;" (the client's Host, port included)`
}
