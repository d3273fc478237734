package fasthttp

import (
	"context"
	"net/http"

	"github.com/fasthttp/websocket"
)

func dial(ctx context.Context, url string) {
	websocket.DefaultDialer.DialContext(ctx, url, nil) // want `fasthttp/websocket dial sends no Origin header: .*set Origin to the site the websocket belongs to`
	websocket.DefaultDialer.DialContext(ctx, url, http.Header{"Origin": {"https://chat.example.com"}})
	h := http.Header{"Origin": {"https://chat.example.com"}}
	h.Set("Connection", "Upgrade") // want `Connection set by hand: fasthttp/websocket fails the dial with "duplicate header not allowed"`
	websocket.DefaultDialer.Dial(url, h)
}
