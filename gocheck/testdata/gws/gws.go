package gws

import (
	"net/http"

	"github.com/lxzan/gws"
)

func dial(h gws.Event) {
	gws.NewClient(h, &gws.ClientOption{Addr: "wss://chat.example.com/ws"}) // want `lxzan/gws dial sends no Origin header: .*\(e.g. "https://chat.example.com"\)`
	gws.NewClient(h, &gws.ClientOption{
		Addr:          "wss://chat.example.com/ws",
		RequestHeader: http.Header{"Authorization": {"Bearer x"}}, // want `lxzan/gws dial sends no Origin header`
	})
	gws.NewClient(h, &gws.ClientOption{
		Addr:          "wss://chat.example.com/ws",
		RequestHeader: http.Header{"Origin": {"https://chat.example.com"}, "Sec-WebSocket-Key": {"abc"}}, // want `constant Sec-WebSocket-Key "abc" set by hand: lxzan/gws sends this spelling a second time`
	})
	opt := &gws.ClientOption{Addr: "wss://chat.example.com/ws", RequestHeader: http.Header{}}
	opt.RequestHeader.Set("Origin", "https://chat.example.com") // the pass does not follow the field: no finding
	gws.NewClient(h, opt)
}
