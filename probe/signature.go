package probe

import (
	"bytes"
	"regexp"
	"strings"
)

// A signature recognises who wrote a refusal. Each one is read from the
// library's or server's source; the function is named beside it.
type signature struct {
	server string // as answered_by shows it
	// match reports whether the response is this server's, and the cause
	// its text names ("" when it names none).
	match func(r *response) (bool, string)
}

var signatures = []signature{
	// coder/websocket accept.go, verifyClientRequest: http.Error(w,
	// err.Error(), code) with "WebSocket protocol violation: ..." (426 for a
	// missing Connection/Upgrade token or an HTTP/1.0 request), and
	// authenticateOrigin's 403 "request Origin %q is not authorized for Host %q".
	{"coder/websocket", func(r *response) (bool, string) {
		b := r.body
		switch {
		case bytes.Contains(b, []byte("handshake request must be at least HTTP/1.1")):
			return true, CauseHTTPVersion
		case bytes.Contains(b, []byte("WebSocket protocol violation: Connection header")),
			bytes.Contains(b, []byte("WebSocket protocol violation: Upgrade header")):
			return true, CauseUpgradeNotForwarded
		case bytes.Contains(b, []byte("is not authorized for Host")):
			return true, CauseOriginRejected
		case bytes.Contains(b, []byte("WebSocket protocol violation")):
			return true, ""
		}
		return false, ""
	}},
	// Python websockets server.py, ServerProtocol.accept: 426 "Failed to
	// open a WebSocket connection: invalid Connection header" (or missing)
	// with "You cannot access a WebSocket server directly with a browser",
	// 403 "... invalid Origin header".
	{"websockets (Python)", func(r *response) (bool, string) {
		if !bytes.Contains(r.body, []byte("Failed to open a WebSocket connection")) {
			return false, ""
		}
		switch {
		case bytes.Contains(r.body, []byte("Connection header")), bytes.Contains(r.body, []byte("Upgrade header")):
			return true, CauseUpgradeNotForwarded
		case bytes.Contains(r.body, []byte("Origin header")):
			return true, CauseOriginRejected
		}
		return true, ""
	}},
	// Socket.IO's engine.io, lib/server.ts: abortRequest / abortUpgrade
	// answer 400 (403 for code 4) with a JSON body {"code":N,"message":M},
	// M from Server.errorMessages ("Transport unknown", "Session ID
	// unknown", "Bad handshake method", "Bad request", "Forbidden",
	// "Unsupported protocol version").
	{"Socket.IO (engine.io)", func(r *response) (bool, string) {
		if engineIOError.Match(r.body) {
			return true, ""
		}
		return false, ""
	}},
	// Node ws lib/websocket-server.js: handleUpgrade's abortHandshake writes
	// "Invalid Upgrade header" or "Missing or invalid Sec-WebSocket-Key
	// header" as a text/html body; the server ws creates itself answers a
	// request without Upgrade with 426 and the body "Upgrade Required".
	{"ws (Node.js)", func(r *response) (bool, string) {
		b := bytes.TrimSpace(r.body)
		switch {
		case bytes.Equal(b, []byte("Invalid Upgrade header")):
			return true, CauseUpgradeNotForwarded
		case r.status == 426 && bytes.Equal(b, []byte("Upgrade Required")) && r.header.Get("Server") == "":
			return true, CauseUpgradeNotForwarded
		case bytes.HasPrefix(b, []byte("Missing or invalid Sec-WebSocket-")):
			return true, ""
		}
		return false, ""
	}},
	// gorilla/websocket server.go, Upgrader.returnError: without a custom
	// Error func it sets "Sec-Websocket-Version: 13" and writes
	// http.StatusText(status) ("Bad Request" for a missing Connection or
	// Upgrade token, "Forbidden" for CheckOrigin). coder/websocket sets the
	// same header only for a wrong version, which this probe never sends.
	{"gorilla/websocket", func(r *response) (bool, string) {
		if r.header.Get("Sec-Websocket-Version") == "" {
			return false, ""
		}
		switch r.status {
		case 400:
			return true, CauseUpgradeNotForwarded
		case 403:
			return true, CauseOriginRejected
		}
		return true, ""
	}},
}

var engineIOError = regexp.MustCompile(`^\s*\{"code":\d+,"message":"`)

// nginxPage: ngx_http_special_response.c ends every error page it writes
// with ngx_http_error_tail, "<hr><center>nginx</center>" (or the version
// with server_tokens on, ngx_http_error_full_tail).
var nginxPage = regexp.MustCompile(`<hr><center>nginx(/[0-9.]+)?</center>`)

// identify names who wrote the answer and the cause its text names. A
// library's text wins over the Server header: nginx replaces an
// upstream's Server with its own (proxy_hide_header's default list), so a
// backend's refusal relayed by nginx reads "coder/websocket via nginx".
func identify(r *response) (answeredBy, cause string) {
	server := r.header.Get("Server")
	var proxy string
	switch {
	case nginxPage.Match(r.body):
		proxy = "nginx"
		if m := nginxPage.FindSubmatch(r.body); len(m[1]) > 0 {
			proxy += string(m[1])
		}
		if strings.HasPrefix(server, "nginx") {
			proxy = server
		}
		return proxy + " (its own error page)", ""
	case server != "":
		proxy = server
	}
	for _, s := range signatures {
		if ok, c := s.match(r); ok {
			if proxy != "" {
				return s.server + " via " + proxy, c
			}
			return s.server, c
		}
	}
	return proxy, ""
}
