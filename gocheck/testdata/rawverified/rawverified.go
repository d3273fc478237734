// Package rawverified implements the client handshake itself and checks
// the server's answer to its random key: correct, so not reported. A
// constant key is still reported: the check proves nothing then.
package rawverified

import (
	"crypto/rand"
	"crypto/sha1"
	"encoding/base64"
	"errors"
	"net/http"
)

func handshake(c *http.Client, req *http.Request) error {
	b := make([]byte, 16)
	rand.Read(b)
	key := base64.StdEncoding.EncodeToString(b)
	req.Header.Set("Upgrade", "websocket")
	req.Header.Set("Sec-WebSocket-Key", key)
	resp, err := c.Do(req)
	if err != nil {
		return err
	}
	h := sha1.Sum([]byte(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"))
	if resp.Header.Get("Sec-WebSocket-Accept") != base64.StdEncoding.EncodeToString(h[:]) {
		return errors.New("bad handshake")
	}
	return nil
}

func fixedKey(req *http.Request) {
	req.Header.Set("Upgrade", "websocket")
	req.Header.Set("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==") // want `constant Sec-WebSocket-Key`
}
