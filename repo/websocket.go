package repo

import "strings"

// wellKnownEndpoints are the last path segments WebSocket servers use.
// Generic words (stream, events, live) are left out: they are as often
// Server-Sent Events or plain HTTP.
var wellKnownEndpoints = []string{"ws", "wss", "websocket", "websockets", "socket", "socket.io", "engine.io", "sockjs", "sockjs-node", "cable", "_stcore/stream", "api/websocket", "xmpp-websocket", "api/live", "websockify", "signalr", "hub", "hubs", "webpack-hmr", "_next/webpack-hmr", "vite-hmr", "hmr", "mqtt", "graphql-ws", "subscriptions-ws"}

// wellKnownEnd returns the longest of wellKnownEndpoints that path ends
// in at a segment boundary, as written there. Letters compare without
// case in ASCII only: no non-ASCII letter (the long s, the Kelvin sign)
// stands for an ASCII one in a URL path. A loop, not a regular
// expression: it runs on every location.
func wellKnownEnd(path string) (string, bool) {
	best := ""
	for _, e := range wellKnownEndpoints {
		at := len(path) - len(e)
		if at < 0 || len(e) <= len(best) || (at > 0 && path[at-1] != '/') {
			continue
		}
		if asciiEqualFold(path[at:], e) {
			best = path[at:]
		}
	}
	return best, best != ""
}

// asciiEqualFold: a is lower (lower-case ASCII) with any letters upper-case.
func asciiEqualFold[T string | []byte](a T, lower string) bool {
	if len(a) != len(lower) {
		return false
	}
	for i := 0; i < len(a); i++ {
		c := a[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != lower[i] {
			return false
		}
	}
	return true
}

// signalRHub: the last segment follows SignalR's hub naming convention
// (/chatHub: a lower-case letter, letters and digits, "Hub"), unlike
// words that merely end in "hub" (/oauthgithub).
func signalRHub(path string) (string, bool) {
	seg := path[strings.LastIndexByte(path, '/')+1:]
	if len(seg) < 4 || seg[0] < 'a' || seg[0] > 'z' || !strings.HasSuffix(seg, "Hub") {
		return "", false
	}
	for i := 0; i < len(seg); i++ {
		if c := seg[i]; (c < 'a' || c > 'z') && (c < 'A' || c > 'Z') && (c < '0' || c > '9') {
			return "", false
		}
	}
	return seg, true
}

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

// WebSocketEndpoint reports whether a location or route path ends in an
// endpoint WebSocket servers use, and which.
func WebSocketEndpoint(path string) (string, bool) {
	for _, c := range endpointCandidates(path) {
		if e, ok := wellKnownEnd(c); ok {
			return e, true
		}
		if e, ok := signalRHub(c); ok {
			return e, true
		}
	}
	return "", false
}
