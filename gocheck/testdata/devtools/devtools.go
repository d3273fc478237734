package devtools

import (
	"github.com/gorilla/websocket"
)

func dial() {
	// Chrome's DevTools protocol rejects Origins it does not allow: exempt.
	websocket.DefaultDialer.Dial("ws://127.0.0.1:9222/devtools/browser/4f8e", nil)
	websocket.DefaultDialer.Dial("ws://127.0.0.1:9222/json", nil) // want `sends no Origin header`
}
