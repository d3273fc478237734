// Package helpers dials with headers built by functions of the module, in
// this package and in package hdr.
package helpers

import (
	"context"
	"net/http"

	"github.com/coder/websocket"
	gorilla "github.com/gorilla/websocket"

	"fixture/hdr"
)

const u = "wss://chat.example.com/ws"

func direct() {
	gorilla.DefaultDialer.Dial(u, hdr.Token("t")) // want `gorilla/websocket dial sends no Origin header \(hdr.Token\(\) returns a header without one\)`
}

func throughLocal() {
	h := hdr.Token("t")
	h.Set("User-Agent", "bot")
	gorilla.DefaultDialer.Dial(u, h) // want `sends no Origin header \(hdr.Token\(\) returns a header without one\)`
}

func withError() error {
	h, err := hdr.Branches("t")
	if err != nil {
		return err
	}
	_, _, err = gorilla.DefaultDialer.Dial(u, h) // want `sends no Origin header \(hdr.Branches\(\) returns`
	return err
}

func chained(ctx context.Context) {
	websocket.Dial(ctx, u, &websocket.DialOptions{HTTPHeader: hdr.Chained()}) // want `coder/websocket dial sends no Origin header \(hdr.Chained\(\) returns a header without one\)`
}

func localHelper() http.Header { // want localHelper:`returnsHeader$`
	return http.Header{"Cookie": {"a=b"}}
}

func samePackage() {
	gorilla.DefaultDialer.Dial(u, localHelper()) // want `sends no Origin header \(localHelper\(\) returns`
}

// Clean: the helper sets Origin, or its result is unknown.

func site() {
	gorilla.DefaultDialer.Dial(u, hdr.Site("t"))
}

func siteThenMore() {
	h := hdr.Site("t")
	h.Add("Cookie", "a=b")
	gorilla.DefaultDialer.Dial(u, h)
}

func unknown(base http.Header) {
	gorilla.DefaultDialer.Dial(u, hdr.Extra(base))
}

func originAdded() {
	h := hdr.Token("t")
	h.Set("Origin", "https://chat.example.com")
	gorilla.DefaultDialer.Dial(u, h)
}
