package gobwas

import (
	"context"
	"net/http"

	"github.com/gobwas/ws"
)

const u = "wss://chat.example.com/ws"

func dial(ctx context.Context) {
	ws.Dial(ctx, u)                                     // want `ws.Dial cannot send an Origin header: .*; dial with ws.Dialer`
	ws.DefaultDialer.Dial(ctx, u)                       // want `gobwas/ws dial sends no Origin header`
	ws.Dialer{Protocols: []string{"chat"}}.Dial(ctx, u) // want `gobwas/ws dial sends no Origin header`

	d := ws.Dialer{Header: ws.HandshakeHeaderHTTP(http.Header{"Authorization": {"Bearer x"}})} // want `gobwas/ws dial sends no Origin header`
	d.Dial(ctx, u)
}

// Clean.

func withOrigin(ctx context.Context) {
	d := ws.Dialer{Header: ws.HandshakeHeaderHTTP(http.Header{"Origin": {"https://chat.example.com"}})}
	d.Dial(ctx, u)
}

func stringHeader(ctx context.Context) {
	ws.Dialer{Header: ws.HandshakeHeaderString("Origin: https://chat.example.com\r\n")}.Dial(ctx, u)
}

func dialerParam(ctx context.Context, d ws.Dialer) { // want dialerParam:`dialForward`
	d.Dial(ctx, u)
}

func handSet(ctx context.Context) {
	h := http.Header{"Origin": {"https://chat.example.com"}}
	h.Set("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==") // want `\(the RFC 6455 sample nonce\) set by hand: gobwas/ws writes it a second time beside its own`
	h.Set("Upgrade", "websocket")                          // want `Upgrade set by hand: gobwas/ws writes it a second time`
	ws.Dialer{Header: ws.HandshakeHeaderHTTP(h)}.Dial(ctx, u)
}
