package repo

import (
	"regexp"
	"strings"
)

// wellKnownEndpoint matches the last path segments WebSocket servers use.
// Generic words (stream, events, live) are left out: they are as often
// Server-Sent Events or plain HTTP.
var wellKnownEndpoint = regexp.MustCompile(`(?i)(^|/)(ws|wss|websocket|websockets|socket|socket\.io|engine\.io|sockjs|sockjs-node|cable|_stcore/stream|api/websocket|xmpp-websocket|api/live|websockify|signalr|hubs?|webpack-hmr|_next/webpack-hmr|vite-hmr|hmr|mqtt|graphql-ws|subscriptions-ws)$`)

// endpointCandidates reduces a location match to comparable paths: regex anchors
// and trailing slashes stripped, one path per branch of a final alternation.
func endpointCandidates(path string) []string {
	p := strings.TrimLeft(path, "^")
	p = strings.TrimRight(p, "/$")
	p = strings.ReplaceAll(p, `\.`, ".")
	p = strings.ReplaceAll(p, `\/`, "/")
	// "/(socket.io|ws)" style alternations: try each branch.
	if i := strings.LastIndex(p, "("); i >= 0 && strings.HasSuffix(p, ")") {
		var out []string
		for _, alt := range strings.Split(p[i+1:len(p)-1], "|") {
			out = append(out, strings.TrimRight(p[:i]+alt, "/"))
		}
		return out
	}
	return []string{strings.TrimRight(strings.TrimSuffix(p, ".*"), "/")}
}

// signalRHub matches SignalR's hub naming convention (/chatHub) and not
// words that merely end in "hub" (/oauthgithub).
var signalRHub = regexp.MustCompile(`(^|/)([a-z][A-Za-z0-9]*Hub)$`)

// WebSocketEndpoint reports whether a location or route path ends in an
// endpoint WebSocket servers use, and which.
func WebSocketEndpoint(path string) (string, bool) {
	for _, c := range endpointCandidates(path) {
		if m := wellKnownEndpoint.FindStringSubmatch(c); m != nil {
			return m[2], true
		}
		if m := signalRHub.FindStringSubmatch(c); m != nil {
			return m[2], true
		}
	}
	return "", false
}
