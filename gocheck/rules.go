package gocheck

import (
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/wscheck/wscheck/report"
)

// Rule names are the diagnostics' Category; they are stable IDs.
const (
	ruleNoOrigin      = "dial-without-origin"
	ruleHandKey       = "hand-built-key"
	ruleManagedHeader = "managed-handshake-header"
	ruleOriginOff     = "origin-check-disabled"
)

// xnetEmptyOrigin starts every message about x/net/websocket's empty
// origin, the one dial-without-origin case that always fails.
const xnetEmptyOrigin = "x/net/websocket rejects an empty origin"

// Rules documents the Go half's rules, in the order they are listed.
func Rules() report.Rules {
	return report.Rules{
		{
			Name:     ruleNoOrigin,
			Half:     "go",
			Severity: report.Warning,
			Title:    "a websocket client dial sends no Origin header",
			Why: `Non-browser clients send no Origin unless the code sets one. Servers that enforce an
allowed-origin list (Socket.IO with CORS, Phoenix check_origin, ActionCable
allowed_request_origins, golang.org/x/net/websocket's server) answer 400 or 403 to such a
handshake. gorilla/websocket, fasthttp/websocket, coder/websocket, nhooyr.io/websocket,
gobwas/ws and lxzan/gws add no Origin themselves; gobwas's ws.Dial cannot carry one at all.
golang.org/x/net/websocket's Dial and NewConfig take the origin as an argument, and an empty
one always fails ("empty url"): that case is reported as an error.`,
			Fix:  `Set an Origin the server allows, usually the https:// form of the site the websocket belongs to.`,
			Bad:  `conn, _, err := websocket.DefaultDialer.Dial("wss://chat.example.com/ws", nil)`,
			Good: `conn, _, err := websocket.DefaultDialer.Dial("wss://chat.example.com/ws", http.Header{"Origin": {"https://chat.example.com"}})`,
		},
		{
			Name:     ruleHandKey,
			Half:     "go",
			Severity: report.Error,
			Title:    "a Sec-WebSocket-Key set by hand, or a hand-built handshake",
			Why: `The client library generates Sec-WebSocket-Key and checks the server's
Sec-WebSocket-Accept against it. A key set by hand makes gorilla/fasthttp fail the dial
("duplicate header not allowed") or, spelled non-canonically, replace the library's key so
the Accept check fails ("bad handshake"); coder/nhooyr/gws overwrite a canonical key and send a
non-canonical one twice; gobwas/ws always sends it twice. A handshake built by hand (an
http.Request or raw bytes carrying Upgrade: websocket) with its own key is reported unless the
function that builds it reads the server's Sec-WebSocket-Accept, hands the response to a
function that does, or is called by one that does; a constant key such as the RFC 6455 sample
dGhlIHNhbXBsZSBub25jZQ== is always reported when the request may reach a client (a dial, an
http.Client, a write to a connection), because it makes every handshake the same, so a cached
or replayed upgrade response passes the check. A request handed to server code (a handler, an
Upgrader, http.ReadRequest; httptest.NewRequest's requests, which net/http's client refuses to
send) or a header only compared as an expected value is test input and is not reported.`,
			Fix: `Remove the header and let a websocket client library generate and verify the key.`,
			Bad: `h := http.Header{}
h.Set("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==")
conn, _, err := websocket.DefaultDialer.Dial(u, h)`,
			Good: `h := http.Header{}
h.Set("Origin", "https://chat.example.com")
conn, _, err := websocket.DefaultDialer.Dial(u, h)`,
			Security: true,
		},
		{
			Name:     ruleManagedHeader,
			Half:     "go",
			Severity: report.Error,
			Title:    "a handshake header the websocket library manages is set by hand",
			Why: `Upgrade, Connection, Sec-WebSocket-Version and Sec-WebSocket-Extensions are written by the
client library. Setting them on the request header makes gorilla/fasthttp fail the dial
("duplicate header not allowed") or, spelled non-canonically, send the caller's value in place
of the library's; coder/nhooyr/gws overwrite canonical keys and send non-canonical ones twice;
gobwas/ws writes them a second time. Servers answer 400 to duplicated handshake headers, and an
extension the library did not negotiate corrupts frames.`,
			Fix:  `Remove the header; use the library's own options (Subprotocols, EnableCompression, CompressionMode) instead.`,
			Bad:  `h := http.Header{"Sec-WebSocket-Version": {"13"}, "Origin": {"https://chat.example.com"}}`,
			Good: `h := http.Header{"Origin": {"https://chat.example.com"}}`,
		},
		{
			Name:     ruleOriginOff,
			Half:     "go",
			Severity: report.Warning,
			Title:    "a websocket server accepts every Origin",
			Why: `A gorilla or fasthttp Upgrader (or fasthttp FastHTTPUpgrader) whose CheckOrigin can only
return true, coder/nhooyr AcceptOptions{InsecureSkipVerify: true} or an OriginPatterns entry
that matches every host, or the deprecated package-level websocket.Upgrade function of gorilla
and fasthttp, accepts handshakes from any web page. Browsers send the visitor's cookies with a
websocket handshake, so any site the visitor opens can talk to the server as that visitor
(cross-site WebSocket hijacking). A CheckOrigin is reported when every return is the constant
true and the statements before it only log (fmt, log, slog, logger methods such as Infof),
read the request or assign plain variables; a branch, loop, defer, panic or call of another
helper could reject, so it is not reported. coder's and nhooyr's authenticateOrigin accept
an Origin whose host matches an OriginPatterns entry, lowercased, with path.Match (coder;
against scheme://host when the entry contains "://") or filepath.Match (nhooyr): "*", "*:*",
"*.*" or "https://*" match every host, since * matches any run of characters but "/". The
libraries' defaults are safe and not reported: Upgrader.Upgrade uses checkSameOrigin (Origin
host equal to Host) when CheckOrigin is nil, and authenticateOrigin accepts only the same host
when OriginPatterns is empty.`,
			Fix: `Compare the Origin header with an allow-list (coder/nhooyr: list the real hosts in OriginPatterns), or leave CheckOrigin nil.`,
			Bad: `var up = websocket.Upgrader{CheckOrigin: func(r *http.Request) bool { return true }}`,
			Good: `var up = websocket.Upgrader{CheckOrigin: func(r *http.Request) bool {
	return r.Header.Get("Origin") == "https://chat.example.com"
}}`,
			Security: true,
		},
	}
}

// SeverityOf is the severity of one diagnostic of this analyzer: its
// rule's default, except x/net/websocket's empty origin, which always
// fails and is therefore an error.
func SeverityOf(d analysis.Diagnostic) report.Severity {
	if d.Category == ruleNoOrigin && strings.HasPrefix(d.Message, xnetEmptyOrigin) {
		return report.Error
	}
	if r, ok := Rules().Lookup(d.Category); ok {
		return r.Severity
	}
	return report.Warning
}
