//go:build js && wasm

package jswasm

import "github.com/gorilla/websocket"

// In the browser the page's Origin is sent by the browser itself.
func dialInBrowser() {
	websocket.DefaultDialer.Dial("wss://chat.example.com/ws", nil)
}
