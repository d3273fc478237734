// Package client dials a WebSocket server.
package client

import (
	"net/http"

	"github.com/gorilla/websocket"
)

// Dial sends the Origin the server expects.
func Dial(url string) (*websocket.Conn, error) {
	h := http.Header{}
	h.Set("Origin", "https://app.example.com")
	c, _, err := websocket.DefaultDialer.Dial(url, h)
	return c, err
}
