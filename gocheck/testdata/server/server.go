package server

import (
	"net/http"

	coder "github.com/coder/websocket"
	fws "github.com/fasthttp/websocket"
	"github.com/gorilla/websocket"
	"github.com/valyala/fasthttp"
)

var open = websocket.Upgrader{CheckOrigin: func(r *http.Request) bool { return true }} // want `CheckOrigin always returns true: any web page can open this websocket`

var named = websocket.Upgrader{CheckOrigin: allowAll} // want `CheckOrigin always returns true`

func allowAll(*http.Request) bool { return true }

var fast = fws.FastHTTPUpgrader{CheckOrigin: func(*fasthttp.RequestCtx) bool { return true }} // want `CheckOrigin always returns true`

func legacy(w http.ResponseWriter, r *http.Request) {
	websocket.Upgrade(w, r, nil, 1024, 1024) // want `websocket.Upgrade accepts every Origin \(its CheckOrigin returns true\)`
	fws.Upgrade(w, r, nil, 1024, 1024)       // want `fws.Upgrade accepts every Origin`
}

func assign() {
	var up websocket.Upgrader
	up.CheckOrigin = func(*http.Request) bool { return true } // want `CheckOrigin always returns true`
	opts := &coder.AcceptOptions{}
	opts.InsecureSkipVerify = true // want `InsecureSkipVerify: true turns off the Origin check`
	_ = opts
}

// Clean: the safe default and real checks.

var safe = websocket.Upgrader{}

var checked = websocket.Upgrader{CheckOrigin: func(r *http.Request) bool {
	return r.Header.Get("Origin") == "https://chat.example.com"
}}

var fastChecked = fws.Upgrader{CheckOrigin: func(r *http.Request) bool { return r.Host == "chat.example.com" }}

var patterns = coder.AcceptOptions{OriginPatterns: []string{"chat.example.com"}}
