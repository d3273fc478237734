package coder

import (
	"context"
	"net/http"

	"github.com/coder/websocket"
)

const u = "wss://chat.example.com/ws"

func nilOptions(ctx context.Context) {
	websocket.Dial(ctx, u, nil) // want `coder/websocket dial sends no Origin header`
}

func optionsWithoutHeader(ctx context.Context) {
	websocket.Dial(ctx, u, &websocket.DialOptions{Subprotocols: []string{"chat"}}) // want `coder/websocket dial sends no Origin header`
}

func headerWithoutOrigin(ctx context.Context) {
	h := http.Header{}
	h.Set("Authorization", "Bearer x")
	websocket.Dial(ctx, u, &websocket.DialOptions{HTTPHeader: h}) // want `coder/websocket dial sends no Origin header`
}

func localOptions(ctx context.Context) {
	opts := &websocket.DialOptions{}
	opts.Subprotocols = []string{"chat"}
	websocket.Dial(ctx, u, opts) // want `coder/websocket dial sends no Origin header`
}

func zeroOptions(ctx context.Context) {
	var opts websocket.DialOptions
	opts.Subprotocols = []string{"chat"}
	websocket.Dial(ctx, u, &opts) // want `coder/websocket dial sends no Origin header`
}

// Clean.

func zeroOptionsWithHeader(ctx context.Context) {
	var opts websocket.DialOptions
	opts.HTTPHeader = http.Header{"Origin": {"https://chat.example.com"}}
	websocket.Dial(ctx, u, &opts)
}

func withOrigin(ctx context.Context) {
	websocket.Dial(ctx, u, &websocket.DialOptions{HTTPHeader: http.Header{"Origin": {"https://chat.example.com"}}})
}

func localOptionsHeaderLater(ctx context.Context, h http.Header) {
	opts := &websocket.DialOptions{}
	opts.HTTPHeader = h
	websocket.Dial(ctx, u, opts)
}

func optionsParam(ctx context.Context, opts *websocket.DialOptions) { // want optionsParam:`dialForward\(github.com/coder/websocket.Dial\)`
	websocket.Dial(ctx, u, opts)
}

func keys(ctx context.Context) {
	h := http.Header{"Origin": {"https://chat.example.com"}}
	h.Set("Sec-WebSocket-Key", "AQIDBAUGBwgJCgsMDQ4PEC==") // want `constant Sec-WebSocket-Key "AQIDBAUGBwgJCgsMDQ4PEC==" set by hand: coder/websocket overwrites it, so this value is never sent`
	h["Sec-WebSocket-Version"] = []string{"13"}            // want `Sec-WebSocket-Version set by hand: coder/websocket sends this spelling a second time beside its own, and servers reject the duplicated header with 400`
	websocket.Dial(ctx, u, &websocket.DialOptions{HTTPHeader: h})
}
