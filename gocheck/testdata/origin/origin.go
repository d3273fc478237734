package origin

import (
	"fmt"
	"log"
	"log/slog"
	"net/http"
	"strings"

	coder "github.com/coder/websocket"
	fws "github.com/fasthttp/websocket"
	"github.com/gorilla/websocket"
	"github.com/valyala/fasthttp"
)

// CheckOrigin functions that log or read the request before an
// unconditional `return true` accept every Origin all the same.

var logged = websocket.Upgrader{CheckOrigin: func(r *http.Request) bool { // want `CheckOrigin always returns true`
	origin := r.Header.Get("Origin")
	log.Printf("websocket from %q", origin)
	return true
}}

var fastLogged = fws.FastHTTPUpgrader{CheckOrigin: func(ctx *fasthttp.RequestCtx) bool { // want `CheckOrigin always returns true`
	fmt.Println("origin", string(ctx.Request.Header.Peek("Origin")))
	return true
}}

type logger interface{ Infof(string, ...any) }

type hub struct{ log logger }

func (h *hub) allowAll(r *http.Request) bool {
	var host = strings.ToLower(r.Host)
	seen := 0
	seen++
	{
		h.log.Infof("upgrade %s %d %v", host, seen, r.Header["Origin"])
	}
	return true
}

func (h *hub) upgraders() {
	_ = websocket.Upgrader{CheckOrigin: h.allowAll} // want `CheckOrigin always returns true`
	var up fws.Upgrader
	up.CheckOrigin = func(r *http.Request) bool { // want `CheckOrigin always returns true`
		slog.Info("websocket", "origin", r.Header.Get("Origin"))
		_ = r
		return true
	}
	_ = up
}

// Clean twins: a real check, or anything that could make it return false
// or never return (a branch, a helper, a panic, a defer).

var compared = websocket.Upgrader{CheckOrigin: func(r *http.Request) bool {
	origin := r.Header.Get("Origin")
	log.Printf("websocket from %q", origin)
	if origin != "https://chat.example.com" {
		return false
	}
	return true
}}

var fastCompared = fws.FastHTTPUpgrader{CheckOrigin: func(ctx *fasthttp.RequestCtx) bool {
	switch string(ctx.Request.Header.Peek("Origin")) {
	case "https://chat.example.com":
		return true
	}
	return false
}}

var returnsCheck = fws.Upgrader{CheckOrigin: func(r *http.Request) bool {
	log.Println("checking", r.Host)
	return allowedOrigin(r.Header.Get("Origin"))
}}

func allowedOrigin(o string) bool { return o == "https://chat.example.com" }

var helperMayPanic = websocket.Upgrader{CheckOrigin: func(r *http.Request) bool {
	mustAllow(r)
	return true
}}

func mustAllow(r *http.Request) {
	if !allowedOrigin(r.Header.Get("Origin")) {
		panic("origin not allowed")
	}
}

var fatal = websocket.Upgrader{CheckOrigin: func(r *http.Request) bool {
	log.Panicf("unexpected websocket from %s", r.Header.Get("Origin"))
	return true
}}

var deferred = websocket.Upgrader{CheckOrigin: func(r *http.Request) (ok bool) {
	defer func() { ok = allowedOrigin(r.Header.Get("Origin")) }()
	return true
}}

// OriginPatterns entries that match every host.

const anyHost = "*"

func accept(w http.ResponseWriter, r *http.Request) {
	coder.Accept(w, r, &coder.AcceptOptions{OriginPatterns: []string{"*"}})                                             // want `OriginPatterns entry "\*" matches every host \(coder/websocket's authenticateOrigin matches it against the Origin's host with path.Match\): any web page can open this websocket`
	coder.Accept(w, r, &coder.AcceptOptions{OriginPatterns: []string{"chat.example.com", "*:*", "HTTPS://*", anyHost}}) // want `entry "\*:\*" matches every host` `entry "HTTPS://\*" matches every host` `entry "\*" matches every host`
	opts := &coder.AcceptOptions{}
	opts.OriginPatterns = []string{"*.*"} // want `entry "\*\.\*" matches every host`
	coder.Accept(w, r, opts)

	// Clean: patterns of real hosts.
	coder.Accept(w, r, &coder.AcceptOptions{OriginPatterns: []string{"*.example.com", "localhost:*", "https://chat.example.com", "[a-"}})
}
