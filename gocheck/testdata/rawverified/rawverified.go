// Package rawverified implements the client handshake itself and checks
// the server's answer to its random key: correct, so not reported. A
// constant key is still reported: the check proves nothing then.
package rawverified

import (
	"bufio"
	"crypto/rand"
	"crypto/sha1"
	"encoding/base64"
	"errors"
	"net"
	"net/http"
	"net/url"
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

// A header literal whose key comes from a local that never changes: the
// same invalid key on every handshake, even though the answer is checked.
func literalHeader(c net.Conn, u *url.URL) error {
	key := "nil"
	req := &http.Request{Method: "GET", URL: u, Header: http.Header{
		"Upgrade":           {"websocket"},
		"Sec-WebSocket-Key": {key}, // want `constant Sec-WebSocket-Key "nil": every handshake is identical.*; it is not the base64 of 16 bytes either, so servers that check it \(gorilla/websocket's Upgrader\) refuse the handshake with 400; dial with`
	}}
	if err := req.Write(c); err != nil {
		return err
	}
	_, err := http.ReadResponse(bufio.NewReader(c), req)
	return err
}

// A key variable that changes is not a constant; and this function, not
// its package, is what must check the answer: it does not.
func reassigned(req *http.Request, fresh func() string) {
	key := "AAAAAAAAAAAAAAAAAAAAAA=="
	key = fresh()
	req.Header.Set("Upgrade", "websocket")
	req.Header.Set("Sec-WebSocket-Key", key) // want `^hand-built websocket handshake sets its own Sec-WebSocket-Key: nothing checks`
}

func newKey() string {
	b := make([]byte, 16)
	rand.Read(b)
	return base64.StdEncoding.EncodeToString(b)
}

// The response goes to a function that checks it.
func handedOn(c *http.Client, req *http.Request) error {
	key := newKey()
	req.Header.Set("Upgrade", "websocket")
	req.Header.Set("Sec-WebSocket-Key", key)
	resp, err := c.Do(req)
	if err != nil {
		return err
	}
	return checkAccept(resp, key)
}

func checkAccept(resp *http.Response, key string) error { // want checkAccept:`verifiesAccept`
	h := sha1.Sum([]byte(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"))
	if resp.Header.Get("Sec-WebSocket-Accept") != base64.StdEncoding.EncodeToString(h[:]) {
		return errors.New("bad handshake")
	}
	return nil
}

// A sibling in the same package that checks only the status code.
func statusOnly(c *http.Client, req *http.Request) error {
	req.Header.Set("Upgrade", "websocket")
	req.Header.Set("Sec-WebSocket-Key", newKey()) // want `^hand-built websocket handshake sets its own Sec-WebSocket-Key`
	resp, err := c.Do(req)
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusSwitchingProtocols {
		return errors.New("no upgrade")
	}
	return nil
}

// Built here, sent and checked by its caller.
func buildRequest(u *url.URL, key string) *http.Request {
	req := &http.Request{Method: "GET", URL: u, Header: http.Header{}}
	req.Header.Set("Upgrade", "websocket")
	req.Header.Set("Sec-WebSocket-Key", key)
	return req
}

func sendBuilt(c *http.Client, u *url.URL) error {
	key := newKey()
	resp, err := c.Do(buildRequest(u, key))
	if err != nil {
		return err
	}
	if resp.Header.Get("Sec-WebSocket-Accept") == "" {
		return errors.New("bad handshake")
	}
	return nil
}
