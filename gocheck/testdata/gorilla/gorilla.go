package gorilla

import (
	"context"
	"net/http"

	"github.com/gorilla/websocket"
)

const u = "wss://chat.example.com/ws"

func nilHeader() {
	websocket.DefaultDialer.Dial(u, nil) // want `gorilla/websocket dial sends no Origin header: .*answer 403; set Origin \(e.g. "https://chat.example.com"\)`
}

func dialContextNil(ctx context.Context) {
	d := &websocket.Dialer{}
	d.DialContext(ctx, u, nil) // want `gorilla/websocket dial sends no Origin header`
}

func literalWithoutOrigin() {
	websocket.DefaultDialer.Dial(u, http.Header{"Authorization": {"Bearer x"}}) // want `sends no Origin header`
}

func localWithoutOrigin() {
	h := http.Header{}
	h.Set("Authorization", "Bearer x")
	websocket.DefaultDialer.Dial(u, h) // want `sends no Origin header`
}

func makeWithoutOrigin() {
	h := make(http.Header)
	h.Add("Cookie", "a=b")
	websocket.DefaultDialer.Dial(u, h) // want `sends no Origin header`
}

func varZero() {
	var h http.Header
	websocket.DefaultDialer.Dial(u, h) // want `sends no Origin header`
}

// Clean: Origin through Set, Add, a literal (any case), an index.

func originSet() {
	h := http.Header{}
	h.Set("origin", "https://chat.example.com")
	websocket.DefaultDialer.Dial(u, h)
}

func originAdd() {
	h := make(http.Header)
	h.Add("Origin", "https://chat.example.com")
	websocket.DefaultDialer.Dial(u, h)
}

func originLiteral() {
	websocket.DefaultDialer.Dial(u, http.Header{"ORIGIN": {"https://chat.example.com"}})
}

func originIndex() {
	h := http.Header{}
	h["Origin"] = []string{"https://chat.example.com"}
	websocket.DefaultDialer.Dial(u, h)
}

// Clean: headers the pass cannot see are not flagged.

func fromParam(h http.Header) { // want fromParam:`dialForward\(\(\*github.com/gorilla/websocket.Dialer\).Dial\)`
	websocket.DefaultDialer.Dial(u, h)
}

func fromHelper() {
	websocket.DefaultDialer.Dial(u, buildHeader())
}

func buildHeader() http.Header { // want buildHeader:`returnsHeader\(Origin\)`
	h := http.Header{}
	h.Set("Origin", "https://chat.example.com")
	return h
}

func passedOn() {
	h := http.Header{}
	decorate(h)
	websocket.DefaultDialer.Dial(u, h)
}

func decorate(h http.Header) { h.Set("Origin", "https://chat.example.com") }

type client struct{ header http.Header }

func (c *client) fromField() { // want fromField:`dialForward`
	websocket.DefaultDialer.Dial(u, c.header)
}

func dynamicKey(k string) {
	h := http.Header{}
	h.Set(k, "https://chat.example.com")
	websocket.DefaultDialer.Dial(u, h)
}

// Hand-set handshake headers.

func canonicalKey() {
	h := http.Header{"Origin": {"https://chat.example.com"}}
	h.Set("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==") // want `constant Sec-WebSocket-Key "dGhlIHNhbXBsZSBub25jZQ==" \(the RFC 6455 sample nonce\) set by hand: gorilla/websocket fails the dial with "duplicate header not allowed"`
	websocket.DefaultDialer.Dial(u, h)
}

func nonCanonicalKey(key string) {
	websocket.DefaultDialer.Dial(u, http.Header{
		"Origin":            {"https://chat.example.com"},
		"Sec-WebSocket-Key": {key}, // want `^Sec-WebSocket-Key set by hand: this spelling slips past gorilla/websocket's duplicate check and replaces its key.*"bad handshake"`
	})
}

func managed() {
	h := http.Header{}
	h.Set("Origin", "https://chat.example.com")
	h.Set("Upgrade", "websocket")                           // want `Upgrade set by hand: gorilla/websocket fails the dial with "duplicate header not allowed"; remove it, gorilla/websocket writes it itself`
	h["Sec-WebSocket-Version"] = []string{"13"}             // want `Sec-WebSocket-Version set by hand: this spelling slips past`
	h.Add("Sec-WebSocket-Extensions", "permessage-deflate") // want `Sec-Websocket-Extensions set by hand`
	h.Set("Sec-WebSocket-Protocol", "chat")                 // the caller's to choose
	websocket.DefaultDialer.Dial(u, h)
}

func managedInLiteral() {
	websocket.DefaultDialer.Dial(u, http.Header{"Origin": {"https://chat.example.com"}, "Connection": {"Upgrade"}}) // want `Connection set by hand`
}

func twoDials(ctx context.Context) {
	h := http.Header{"Origin": {"https://chat.example.com"}}
	h.Set("Sec-WebSocket-Version", "13") // want `Sec-Websocket-Version set by hand`
	websocket.DefaultDialer.Dial(u, h)
	websocket.DefaultDialer.DialContext(ctx, u, h)
}
