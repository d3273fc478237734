package client

import "github.com/gorilla/websocket"

// DialNoOrigin sends no Origin header at all.
func DialNoOrigin(url string) (*websocket.Conn, error) {
	c, _, err := websocket.DefaultDialer.Dial(url, nil)
	return c, err
}
