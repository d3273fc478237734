// Package wrappers dials through wrappers: gobwas's DebugDialer and
// the module's own client types and functions.
package wrappers

import (
	"context"
	"net/http"

	"github.com/gobwas/ws"
	"github.com/gobwas/ws/wsutil"
	"github.com/gorilla/websocket"
)

const u = "wss://chat.example.com/ws"

func debugDialer(ctx context.Context) {
	d := wsutil.DebugDialer{Dialer: ws.Dialer{Header: ws.HandshakeHeaderHTTP(http.Header{"Cookie": {"a=b"}})}} // want `gobwas/ws dial sends no Origin header`
	d.Dial(ctx, u)
}

func debugDialerZero(ctx context.Context) {
	d := &wsutil.DebugDialer{OnRequest: func([]byte) {}}
	d.Dial(ctx, u) // want `gobwas/ws dial sends no Origin header`
}

func debugDialerOrigin(ctx context.Context) {
	d := wsutil.DebugDialer{Dialer: ws.Dialer{Header: ws.HandshakeHeaderHTTP(http.Header{"Origin": {"https://chat.example.com"}})}}
	d.Dial(ctx, u)
}

func debugDialerParam(ctx context.Context, dd ws.Dialer) {
	d := wsutil.DebugDialer{Dialer: dd}
	d.Dial(ctx, u)
}

// Client keeps its header in a field and dials in a method.
type Client struct {
	URL    string
	Header http.Header
}

func (c *Client) Connect() error { // want Connect:`dialForward`
	conn, _, err := websocket.DefaultDialer.Dial(c.URL, c.Header)
	if err == nil {
		conn.Close()
	}
	return err
}

// connect forwards its parameter.
func connect(url string, h http.Header) error { // want connect:`dialForward`
	_, _, err := websocket.DefaultDialer.Dial(url, h)
	return err
}

// connectTwice forwards through connect.
func connectTwice(h http.Header) { // want connectTwice:`dialForward`
	connect(u, h)
	connect(u, h)
}

func useClient() {
	c := &Client{URL: u, Header: http.Header{"Authorization": {"Bearer x"}}} // want `gorilla/websocket dial through \(\*Client\).Connect sends no Origin header`
	c.Connect()
}

func useClientNoHeader() {
	c := Client{URL: u}
	c.Connect() // want `through \(\*Client\).Connect sends no Origin header`
}

func useConnect() {
	connect(u, nil)                                                                             // want `gorilla/websocket dial through connect sends no Origin header: .*set Origin \(e.g. "https://chat.example.com"\)`
	connectTwice(http.Header{"Cookie": {"a=b"}})                                                // want `through connectTwice sends no Origin header`
	connect(u, http.Header{"Sec-WebSocket-Key": {"x"}, "Origin": {"https://chat.example.com"}}) // want `constant Sec-WebSocket-Key "x" set by hand`
}

// Clean: Origin set, or a header the pass cannot see.

func useClientOrigin() {
	c := &Client{URL: u, Header: http.Header{"Origin": {"https://chat.example.com"}}}
	c.Connect()
}

func useClientLater(h http.Header) {
	c := &Client{URL: u}
	c.Header = h
	c.Connect()
}

func useConnectParam(h http.Header) { // want useConnectParam:`dialForward`
	connect(u, h)
}

// Lazy fills its header itself: no forward, nothing to judge at the call.
type Lazy struct{ Header http.Header }

func (l *Lazy) Connect() {
	if l.Header == nil {
		l.Header = http.Header{"Origin": {"https://chat.example.com"}}
	}
	websocket.DefaultDialer.Dial(u, l.Header)
}

func useLazy() {
	l := &Lazy{}
	l.Connect()
}

// mutating adds Origin to what it is given.
func mutating(h http.Header) {
	h.Set("Origin", "https://chat.example.com")
	websocket.DefaultDialer.Dial(u, h)
}

func useMutating() {
	mutating(http.Header{})
}

// DialFunc dials url when called.
type DialFunc func(ctx context.Context, url string) (*websocket.Conn, error)

// NewDialFunc returns a closure that dials with the header it was given.
func NewDialFunc(d *websocket.Dialer, h http.Header) DialFunc { // want NewDialFunc:`dialForward`
	return func(ctx context.Context, url string) (*websocket.Conn, error) {
		c, _, err := d.DialContext(ctx, url, h)
		return c, err
	}
}

// DefaultDialFunc dials with an empty header.
var DefaultDialFunc = NewDialFunc(websocket.DefaultDialer, make(http.Header)) // want `gorilla/websocket dial through NewDialFunc sends no Origin header`

var OriginDialFunc = NewDialFunc(websocket.DefaultDialer, http.Header{"Origin": {"https://chat.example.com"}})
