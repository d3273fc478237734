package k8scheck

import (
	"strconv"
	"strings"

	"github.com/wscheck/wscheck/report"
)

var websocketTimeout = &rule{
	doc: report.Rule{
		Name:     "ingress-websocket-timeout",
		Severity: report.Info,
		Title:    "an Ingress routes WebSockets through ingress-nginx with its 60 s proxy-read-timeout",
		Why: `ingress-nginx proxies WebSockets without any annotation, but keeps nginx's idle
timeouts on the tunnel: its docs (user-guide/miscellaneous.md, "Websockets") say the only
requirement to avoid the close of connections is raising proxy-read-timeout and
proxy-send-timeout, whose default is 60 seconds (config.NewDefault in
internal/ingress/controller/config/config.go: ProxyReadTimeout 60, ProxySendTimeout 60;
docs user-guide/nginx-configuration/configmap.md). A WebSocket that is silent for a minute
(no message, no ping) is closed by nginx (proxy_read_timeout; the nginx half's
short-read-timeout rule shows it with a real nginx). The annotation is read as whole
seconds: proxy.Parse (internal/ingress/annotations/proxy/main.go) takes
parser.GetIntAnnotation, which is strconv.Atoi, and falls back to the default on an error,
so "3600s" or "1h" leaves 60 s in place. (NGINX Inc's controller, which also defaults to
the class "nginx", keeps 60 s too: nginx.org/proxy-read-timeout, its docs' ConfigMap and
annotation tables.)

An Ingress is judged when ingress-nginx serves it (its class names nginx and no
nginx.org/* annotation says NGINX Inc's controller, or without a class its annotations are
ingress-nginx's) and a path ends in a WebSocket endpoint (/ws, /socket.io, /websocket,
/cable, /hub, ...) or goes to a Service named for WebSockets (chat-ws, websocket). A
timeout a template renders, a snippet setting proxy_read_timeout, or annotations a
template may add are unknown, never a finding. The controller's ConfigMap
(proxy-read-timeout) can raise the default for every Ingress: where it does, suppress
this rule or disable it.`,
		Fix: `Add nginx.ingress.kubernetes.io/proxy-read-timeout: "3600" and
nginx.ingress.kubernetes.io/proxy-send-timeout: "3600" (whole seconds, quoted), or have the
application ping more often than every 60 s.`,
	},
	check: checkWebsocketTimeout,
}

const defaultProxyTimeout = 60

func checkWebsocketTimeout(p *pass, o *object) {
	if o.kind != "Ingress" {
		return
	}
	s := o.servedBy()
	if s.family != ingressNginx {
		return
	}
	var why, path string
	for _, rp := range o.paths {
		if w := wsRoute(rp.path, rp.service); w != "" {
			why, path = w, rp.path.text
			break
		}
	}
	if why == "" {
		return
	}
	for _, snip := range []string{"configuration-snippet", "server-snippet"} {
		if a, ok := o.annotation(ingressNginx.prefixes[0] + snip); ok && (a.unknown || strings.Contains(a.text, "proxy_read_timeout")) {
			return
		}
	}
	reason := "judged a WebSocket route because its " + why + "; served by ingress-nginx because " + s.why
	if path == "" {
		path = "(default backend)"
	}
	const key = "nginx.ingress.kubernetes.io/proxy-read-timeout"
	a, ok := o.annotation(key)
	switch {
	case ok && a.unknown:
		return
	case ok:
		n, err := strconv.Atoi(a.text)
		switch {
		case err != nil:
			p.report(a.line, a.col, reason, "Ingress %s: %s %q is not whole seconds, so ingress-nginx ignores it and closes the WebSocket on %q after %d s of silence; write \"3600\"", quoted(o.name), key, a.text, path, defaultProxyTimeout)
		case n <= defaultProxyTimeout:
			p.report(a.line, a.col, reason, "Ingress %s: %s %d closes the WebSocket on %q after %d s of silence; raise it (\"3600\") with proxy-send-timeout", quoted(o.name), key, n, path, n)
		}
		return
	case o.openAnnotations:
		return
	}
	line, col := o.annLine, o.annCol
	if line == 0 {
		line, col = o.metaLine, o.metaCol
	}
	if line == 0 {
		line, col = o.line, o.col
	}
	p.report(line, col, reason, "Ingress %s routes WebSocket path %q through ingress-nginx with the default proxy-read-timeout of %d s: an idle WebSocket is closed after a minute; add %s and proxy-send-timeout (\"3600\")", quoted(o.name), path, defaultProxyTimeout, key)
}
