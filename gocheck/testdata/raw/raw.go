package raw

import (
	"crypto/rand"
	"encoding/base64"
	"fmt"
	mrand "math/rand"
	"net"
	"net/http"
	"strconv"
	"strings"
)

func constantKey() (*http.Request, error) {
	req, err := http.NewRequest("GET", "http://chat.example.com/ws", nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Upgrade", "websocket")
	req.Header.Set("Connection", "Upgrade")
	req.Header.Set("Sec-WebSocket-Version", "13")
	req.Header.Set("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==") // want `hand-built websocket handshake with constant Sec-WebSocket-Key "dGhlIHNhbXBsZSBub25jZQ==" \(the RFC 6455 sample nonce\): every handshake is identical`
	return req, nil
}

func mathRandKey(req *http.Request) {
	req.Header["Upgrade"] = []string{"websocket"}
	req.Header["Sec-WebSocket-Key"] = []string{strconv.Itoa(mrand.Int())} // want `hand-built websocket handshake sets its own Sec-WebSocket-Key: nothing checks the server's Sec-WebSocket-Accept`
}

func cryptoRandKey(req *http.Request) {
	b := make([]byte, 16)
	rand.Read(b)
	req.Header.Set("Upgrade", "WebSocket")
	req.Header.Add("Sec-WebSocket-Key", base64.StdEncoding.EncodeToString(b)) // want `hand-built websocket handshake sets its own Sec-WebSocket-Key`
}

func overConn(c net.Conn, host string) {
	fmt.Fprintf(c, "GET /ws HTTP/1.1\r\nHost: %s\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: x3JJHMbDL1EzLkh9GBhXDw==\r\nSec-WebSocket-Version: 13\r\n\r\n", host) // want `constant Sec-WebSocket-Key "x3JJHMbDL1EzLkh9GBhXDw=="`
}

func overConnSprintf(c net.Conn, key string) {
	c.Write([]byte("GET /ws HTTP/1.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
		fmt.Sprintf("Sec-WebSocket-Key: %s\r\n\r\n", key))) // want `hand-built websocket handshake sets its own Sec-WebSocket-Key`
}

// Clean: no websocket upgrade, or a server's answer.

func notWebsocket(req *http.Request) {
	req.Header.Set("Upgrade", "h2c")
	req.Header.Set("Sec-WebSocket-Key", "abc")
}

func serverAnswer(c net.Conn, accept string) {
	fmt.Fprintf(c, "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: %s\r\n\r\n", accept)
}

func readsKey(r *http.Request) string {
	if r.Header.Get("Upgrade") == "websocket" {
		return r.Header.Get("Sec-WebSocket-Key")
	}
	return ""
}

// A parser that names the headers is not a handshake.
func isKeyLine(line string) bool {
	l := strings.ToLower(line)
	return strings.HasPrefix(l, "sec-websocket-key:") || l == "upgrade: websocket"
}
