package repo

import (
	"regexp"
	"strings"
	"testing"
)

// referenceEndpoint is what the matcher replaced: the endpoints as one
// case-insensitive regular expression, and SignalR's hub convention.
var (
	referenceEndpoint = regexp.MustCompile(`(?i)(^|/)(` + quoteAll(wellKnownEndpoints) + `)$`)
	referenceHub      = regexp.MustCompile(`(^|/)([a-z][A-Za-z0-9]*Hub)$`)
)

func quoteAll(list []string) string {
	q := make([]string, len(list))
	for i, s := range list {
		q[i] = regexp.QuoteMeta(s)
	}
	return strings.Join(q, "|")
}

func referenceWebSocketEndpoint(path string) (string, bool) {
	for _, c := range endpointCandidates(path) {
		if m := referenceEndpoint.FindStringSubmatch(c); m != nil {
			return m[2], true
		}
		if m := referenceHub.FindStringSubmatch(c); m != nil {
			return m[2], true
		}
	}
	return "", false
}

var endpointSeeds = []string{
	"/ws", "/ws/", "/WS", "/api/ws", "^/socket\\.io/", "/socket.io", "/_next/webpack-hmr", "/x/_next/webpack-hmr",
	"/webpack-hmr", "/chatHub", "/ChatHub", "/oauthgithub", "/hub", "/Hubs/", "~ ^/(ws|api)$", "/(socket.io|sockjs)/",
	"/api/live", "/live", "/events", "/wss.*", "/_stcore/stream", "stream", "/cable$", "/aws", "/x-ws", "", "/", "Hub", "/aHub",
	"/graphql-ws", "/subscriptions-ws/", "/api/websocket", "/xmpp-websocket", "/a1Hub", "/a_Hub", "/vite-hmr", "/hmr",
}

// TestWebSocketEndpoint: the loop finds what the regular expressions
// found, on paths that hit and miss each endpoint.
func TestWebSocketEndpoint(t *testing.T) {
	for _, p := range append(endpointSeeds, wellKnownEndpoints...) {
		checkEndpoint(t, p)
		checkEndpoint(t, "/prefix/"+strings.ToUpper(p))
		checkEndpoint(t, "/prefix"+p)
	}
	if e, ok := WebSocketEndpoint("/app/_next/webpack-hmr"); !ok || e != "_next/webpack-hmr" {
		t.Errorf("/app/_next/webpack-hmr: %q, want the longest endpoint", e)
	}
}

func checkEndpoint(t *testing.T, path string) {
	t.Helper()
	got, ok := WebSocketEndpoint(path)
	want, wok := referenceWebSocketEndpoint(path)
	if got != want || ok != wok {
		t.Errorf("%q: %q %v, the reference finds %q %v", path, got, ok, want, wok)
	}
}

// FuzzWebSocketEndpoint holds the loop to the regular expressions on any
// ASCII path (beyond ASCII, only ASCII letters fold: see wellKnownEnd).
func FuzzWebSocketEndpoint(f *testing.F) {
	for _, p := range endpointSeeds {
		f.Add(p)
	}
	f.Fuzz(func(t *testing.T, path string) {
		for i := 0; i < len(path); i++ {
			if path[i] >= 0x80 {
				return
			}
		}
		checkEndpoint(t, path)
	})
}
