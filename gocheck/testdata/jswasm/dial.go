package jswasm

import "github.com/gorilla/websocket"

func dialEverywhere() {
	websocket.DefaultDialer.Dial("wss://chat.example.com/ws", nil) // want `sends no Origin header`
}
