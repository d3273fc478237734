package fixes

import (
	"context"
	"net/http"

	"github.com/coder/websocket"
	"github.com/gobwas/ws"
	gorilla "github.com/gorilla/websocket"
	xnet "golang.org/x/net/websocket"
)

func nilHeader() {
	gorilla.DefaultDialer.Dial("wss://chat.example.com/ws", nil) // want `sends no Origin header`
}

func literal() {
	gorilla.DefaultDialer.Dial("ws://localhost:8080/ws", http.Header{"Authorization": {"Bearer x"}}) // want `sends no Origin header`
}

func local() {
	h := http.Header{}
	h.Set("Authorization", "Bearer x")
	gorilla.DefaultDialer.Dial("wss://chat.example.com:8443/ws", h) // want `sends no Origin header`
}

func coderNil(ctx context.Context) {
	websocket.Dial(ctx, "wss://chat.example.com/ws", nil) // want `sends no Origin header`
}

func coderOptions(ctx context.Context) {
	websocket.Dial(ctx, "wss://chat.example.com/ws", &websocket.DialOptions{Subprotocols: []string{"chat"}}) // want `sends no Origin header`
}

func gobwasDialer(ctx context.Context) {
	ws.Dialer{}.Dial(ctx, "wss://chat.example.com/ws") // want `sends no Origin header`
}

func xnetEmpty() {
	xnet.Dial("wss://chat.example.com/ws", "", "") // want `rejects an empty origin`
}

func removeKey() {
	h := http.Header{"Origin": {"https://chat.example.com"}}
	h.Set("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==") // want `set by hand`
	gorilla.DefaultDialer.Dial("wss://chat.example.com/ws", h)
}

func removeFromLiteral() {
	gorilla.DefaultDialer.Dial("wss://chat.example.com/ws", http.Header{
		"Origin":                {"https://chat.example.com"},
		"Sec-WebSocket-Version": {"13"}, // want `set by hand`
	})
	gorilla.DefaultDialer.Dial("wss://chat.example.com/ws", http.Header{"Upgrade": {"websocket"}, "Origin": {"https://chat.example.com"}}) // want `set by hand`
}
