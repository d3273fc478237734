package xnet

import "golang.org/x/net/websocket"

func dial(origin, u string) {
	websocket.Dial(u, "", "")                                                   // want `websocket.Dial fails at run time with "empty url"; pass the origin of the site the websocket belongs to, such as "https://chat.example.com"$`
	websocket.Dial("wss://chat.example.com/ws", "", "")                         // want `x/net/websocket rejects an empty origin: websocket.Dial fails at run time with "empty url"; pass the site's origin \(e.g. "https://chat.example.com"\)`
	websocket.NewConfig("ws://chat.example.com/ws", "")                         // want `x/net/websocket rejects an empty origin: websocket.NewConfig fails`
	websocket.Dial("wss://chat.example.com/ws", "", "https://chat.example.com") // a real origin
	websocket.Dial("wss://chat.example.com/ws", "", origin)                     // not visible here
	websocket.NewConfig("ws://chat.example.com/ws", "http://chat.example.com")
}
