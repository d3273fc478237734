// Package wrapdial calls package wrappers' client: the forward fact
// crosses packages.
package wrapdial

import (
	"net/http"

	"fixture/wrappers"
)

func use() {
	c := &wrappers.Client{URL: "wss://chat.example.com/ws", Header: http.Header{}} // want `gorilla/websocket dial through \(\*Client\).Connect sends no Origin header`
	c.Connect()
}

func useOrigin() {
	c := &wrappers.Client{URL: "wss://chat.example.com/ws", Header: http.Header{"Origin": {"https://chat.example.com"}}}
	c.Connect()
}
