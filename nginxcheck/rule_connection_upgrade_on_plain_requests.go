package nginxcheck

import (
	"regexp"
	"strings"

	"github.com/wscheck/wscheck/nginxcheck/load"
	"github.com/wscheck/wscheck/report"
)

var connectionUpgradeOnPlainRequests = &rule{
	doc: report.Rule{
		Name:     "connection-upgrade-on-plain-requests",
		Severity: report.Info,
		Title:    "a location that also serves plain HTTP sends a constant Connection: upgrade",
		Why: `A location such as "location /" that proxies the application and its WebSocket alike
sends its proxy_set_header values with every request. A constant
"proxy_set_header Connection upgrade;" makes every ordinary request reach the backend
with "Connection: upgrade" and no Upgrade header (observed through nginx 1.22.1: a plain
GET arrives at the backend with Connection "upgrade", Upgrade absent; gorilla answers it 400 and coder/websocket 426, as they answer any plain request). Servers that
take the token at its word refuse such requests (ASP.NET Core's Kestrel answering 400
is reported), and the request asks the backend to switch protocols it never names.
Only locations judged WebSocket by their headers, whose path is not a WebSocket
endpoint and holds no word that suggests one (ws, socket, hub, live, stream, chat, ...),
are reported: such a location may get nothing but handshakes.`,
		Fix: `Send Connection from a map on $http_upgrade, which yields "upgrade" only for handshakes:
"map $http_upgrade $connection_upgrade { default upgrade; '' close; }" in http {}
(from nginx 1.29.7: '' '') and "proxy_set_header Connection $connection_upgrade;".`,
	},
	onLocation: func(p *pass, ws *wsLocation) {
		if !ws.byHeaders || ws.headers.unknown || marked(ws.node) {
			return
		}
		if mayBeWebSocketOnly(ws.path()) || ws.node.Arg(0) == "=" || load.IsPlaceholder(ws.path()) {
			return // a WebSocket word, one exact URI, or a template's path (which may be one): likely handshakes only
		}
		for _, h := range ws.headers.get("connection") {
			if strings.Contains(h.value, "$") || !asksUpgrade(h.value) {
				continue
			}
			p.report(h.Site, "location %q has no WebSocket path, so it likely serves plain HTTP too, and it always sends \"Connection: %s\": plain requests reach the backend asking for an upgrade without Upgrade, which some servers (ASP.NET Core's Kestrel) refuse with 400; send \"proxy_set_header Connection $connection_upgrade;\" (%s)%s", ws.name(), h.value, recommendedMap(p.opts.NginxVersion, "connection_upgrade"), because(ws))
		}
	},
}

// webSocketWord matches a path word that suggests a location serves only
// WebSocket handshakes (or streams that may): "/colibri-ws/", "@api_websocket",
// "^/ws/chat/".
var webSocketWord = regexp.MustCompile(`^(wss?|.*socket.*|.*sock|sockjs.*|cable|hubs?|.*hub|signalr|hmr|live|stream|streaming|events?|realtime|rt|push|terminal|tty|shell|console|notifications?|subscriptions?|graphql|mqtt|chat|ws.+|.+ws)$`)

var nonWord = regexp.MustCompile(`[^a-z0-9]+`)

// mayBeWebSocketOnly reports a location path with a word that suggests
// WebSocket-only traffic; "/" or "/api/" have none.
func mayBeWebSocketOnly(path string) bool {
	for _, w := range nonWord.Split(strings.ToLower(path), -1) {
		if w != "" && webSocketWord.MatchString(w) {
			return true
		}
	}
	return false
}
