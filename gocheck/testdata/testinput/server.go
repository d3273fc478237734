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
