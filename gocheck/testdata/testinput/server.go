// Package testinput is a server whose tests build handshakes by hand: a
// request handed to the code under test is its input, not a client's
// handshake; the same request dialled is.
package testinput

import (
	"net/http"

	"github.com/gorilla/websocket"
)

var upgrader = websocket.Upgrader{}

func Echo(w http.ResponseWriter, r *http.Request) {
	c, err := upgrader.Upgrade(w, r, nil)
	if err != nil {
		return
	}
	c.Close()
}

// traced wraps a request the way a tracing layer does.
type traced struct{ *http.Request }

func trace(r *http.Request) *traced { return &traced{r} }

// Proxy forwards a traced request; it takes a ResponseWriter like every
// handler.
func Proxy(w http.ResponseWriter, r *traced) { Echo(w, r.Request) }

// handshakeHeaders are the client's own handshake headers, which a
// forwarding dialer must not copy.
var handshakeHeaders = []string{"Upgrade", "Connection", "Sec-Websocket-Key", "Sec-Websocket-Version"}

func dialHeaders(r *http.Request) http.Header {
	h := http.Header{}
	for k, v := range r.Header {
		h[k] = v
	}
	for _, name := range handshakeHeaders {
		h.Del(name)
	}
	return h
}

// Forward dials the backend with the client's headers, minus its
// handshake headers.
func Forward(r *http.Request, d *websocket.Dialer) error {
	h := dialHeaders(r)
	h.Set("Origin", "https://chat.example.com")
	c, _, err := d.Dial("wss://backend.example.com/ws", h)
	if err == nil {
		c.Close()
	}
	return err
}

// ForwardAll copies everything, the client's key too.
func ForwardAll(r *http.Request, d *websocket.Dialer) error {
	c, _, err := d.Dial("wss://backend.example.com/ws", r.Header)
	if err == nil {
		c.Close()
	}
	return err
}
