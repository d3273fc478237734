package nhooyr

import (
	"context"
	"net/http"

	"nhooyr.io/websocket"
)

func dial(ctx context.Context) {
	websocket.Dial(ctx, "ws://localhost:8080/ws", nil) // want `nhooyr.io/websocket dial sends no Origin header: .*\(e.g. "http://localhost:8080"\)`
	websocket.Dial(ctx, "ws://localhost:8080/ws", &websocket.DialOptions{HTTPHeader: http.Header{"Origin": {"http://localhost:8080"}}})
	websocket.Dial(ctx, "ws://localhost:8080/ws", &websocket.DialOptions{HTTPHeader: http.Header{
		"Origin":            {"http://localhost:8080"},
		"sec-websocket-key": {"x"}, // want `constant Sec-WebSocket-Key "x" set by hand: nhooyr.io/websocket sends this spelling a second time`
	}})
}

func accept(w http.ResponseWriter, r *http.Request) {
	websocket.Accept(w, r, &websocket.AcceptOptions{InsecureSkipVerify: true}) // want `InsecureSkipVerify: true turns off the Origin check`
	websocket.Accept(w, r, &websocket.AcceptOptions{OriginPatterns: []string{"chat.example.com"}})
	websocket.Accept(w, r, &websocket.AcceptOptions{InsecureSkipVerify: false})
}

func patterns(w http.ResponseWriter, r *http.Request) {
	websocket.Accept(w, r, &websocket.AcceptOptions{OriginPatterns: []string{"?*"}}) // want `entry "\?\*" matches every host \(nhooyr.io/websocket's authenticateOrigin matches it against the Origin's host with filepath.Match\)`
	// Clean: nhooyr matches the host alone, so a scheme pattern matches nothing.
	websocket.Accept(w, r, &websocket.AcceptOptions{OriginPatterns: []string{"https://*", "*.example.com"}})
}
