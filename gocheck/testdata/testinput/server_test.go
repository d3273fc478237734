package testinput

import (
	"bufio"
	"net"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"

	"github.com/gorilla/websocket"
)

const sampleKey = "dGhlIHNhbXBsZSBub25jZQ=="

// Clean: requests handed to the code under test.

func TestRecorder(t *testing.T) {
	req := httptest.NewRequest(http.MethodGet, "/ws", nil)
	req.Header.Set("Upgrade", "websocket")
	req.Header.Set("Connection", "Upgrade")
	req.Header.Set("Sec-WebSocket-Key", sampleKey)
	rec := httptest.NewRecorder()
	http.HandlerFunc(Echo).ServeHTTP(rec, req)
}

func TestUpgraderLiteral(t *testing.T) {
	rec := httptest.NewRecorder()
	upgrader.Upgrade(rec, &http.Request{Method: http.MethodGet, Header: http.Header{
		"Upgrade":           {"websocket"},
		"Sec-Websocket-Key": {sampleKey},
	}}, nil)
}

func TestThroughWrapper(t *testing.T) {
	req, _ := http.NewRequest(http.MethodGet, "http://localhost/ws", nil)
	req.Header.Set("Sec-WebSocket-Key", sampleKey)
	req.Header.Set("Upgrade", "websocket")
	Proxy(httptest.NewRecorder(), trace(req))
}

func TestServerReader(t *testing.T) {
	raw := "GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: " + sampleKey + "\r\n\r\n"
	req, err := http.ReadRequest(bufio.NewReader(strings.NewReader(raw)))
	if err != nil {
		t.Fatal(err)
	}
	Echo(httptest.NewRecorder(), req)
}

func upgradeRequest(t *testing.T) *http.Request {
	req := httptest.NewRequest(http.MethodGet, "/ws", nil)
	req.Header.Set("Upgrade", "websocket")
	req.Header.Set("Sec-WebSocket-Key", sampleKey)
	return req
}

func TestBuiltByHelper(t *testing.T) {
	Echo(httptest.NewRecorder(), upgradeRequest(t))
}

// Clean: expected values of a table test.

func handshakeHeader(key string) http.Header { // want handshakeHeader:`returnsHeader$`
	return http.Header{"Upgrade": {"websocket"}, "Sec-WebSocket-Key": {key}}
}

func TestExpectedHeader(t *testing.T) {
	for _, tt := range []struct {
		key  string
		want http.Header
	}{
		{key: sampleKey, want: http.Header{"Upgrade": {"websocket"}, "Sec-WebSocket-Key": {sampleKey}}},
	} {
		if got := handshakeHeader(tt.key); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("got %v, want %v", got, tt.want)
		}
	}
}

// Reported: the same constant key in a request that is dialled.

func TestDialledRequest(t *testing.T) {
	req, _ := http.NewRequest(http.MethodGet, "http://localhost/ws", nil)
	req.Header.Set("Upgrade", "websocket")
	req.Header.Set("Sec-WebSocket-Key", sampleKey) // want `hand-built websocket handshake with constant Sec-WebSocket-Key "dGhlIHNhbXBsZSBub25jZQ==" \(the RFC 6455 sample nonce\)`
	resp, err := http.DefaultClient.Do(req)
	if err == nil {
		resp.Body.Close()
	}
}

func TestRawOverConn(t *testing.T) {
	c, err := net.Dial("tcp", "localhost:8080")
	if err != nil {
		t.Skip(err)
	}
	c.Write([]byte("GET /ws HTTP/1.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: " + sampleKey + "\r\n\r\n")) // want `constant Sec-WebSocket-Key "dGhlIHNhbXBsZSBub25jZQ==" \(the RFC 6455 sample nonce\)`
	http.ReadResponse(bufio.NewReader(c), nil)
}

func TestRecorderRequestWritten(t *testing.T) {
	c, err := net.Dial("tcp", "localhost:8080")
	if err != nil {
		t.Skip(err)
	}
	req := httptest.NewRequest(http.MethodGet, "/ws", nil)
	req.Header.Set("Upgrade", "websocket")
	req.Header.Set("Sec-WebSocket-Key", sampleKey) // want `constant Sec-WebSocket-Key`
	req.Write(c)
}

func TestTableOfRawRequests(t *testing.T) {
	c, err := net.Dial("tcp", "localhost:8080")
	if err != nil {
		t.Skip(err)
	}
	for _, raw := range []string{
		"GET /ws HTTP/1.1\r\nUpgrade: websocket\r\nSec-WebSocket-Key: AAAAAAAAAAAAAAAAAAAAAA==\r\n\r\n", // want `constant Sec-WebSocket-Key "AAAAAAAAAAAAAAAAAAAAAA=="`
	} {
		c.Write([]byte(raw))
	}
}

// A request passed where the pass does not follow stays a finding.
func TestUnknownFate(t *testing.T) {
	req, _ := http.NewRequest(http.MethodGet, "http://localhost/ws", nil)
	req.Header.Set("Upgrade", "websocket")
	req.Header.Set("Sec-WebSocket-Key", sampleKey) // want `constant Sec-WebSocket-Key`
	send(req)
}

func send(*http.Request) {}

func clientRequest(t *testing.T) *http.Request {
	req, err := http.NewRequest(http.MethodGet, "https://chat.example.com/ws", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Upgrade", "websocket")
	req.Header.Set("Sec-WebSocket-Key", sampleKey)
	return req
}

// Clean: the forwarder strips the key before it dials.
func TestForwardStripsKey(t *testing.T) {
	Forward(clientRequest(t), &websocket.Dialer{})
}

func TestForwardAllSendsKey(t *testing.T) {
	req, _ := http.NewRequest(http.MethodGet, "https://chat.example.com/ws", nil)
	req.Header.Set("Upgrade", "websocket")
	req.Header.Set("Sec-WebSocket-Key", sampleKey) // want `constant Sec-WebSocket-Key`
	ForwardAll(req, &websocket.Dialer{})
}

func requestWith(h http.Header) *http.Request {
	req, _ := http.NewRequest(http.MethodGet, "http://localhost/ws", nil)
	req.Header = h
	return req
}

// The same helper builds an expected value here and a sent request below:
// each call is judged by where its own result goes.
func TestExpectedRequest(t *testing.T) {
	for _, tt := range []struct{ want *http.Request }{
		{want: requestWith(http.Header{"Upgrade": {"websocket"}, "Sec-WebSocket-Key": {"some key"}})},
	} {
		if got := requestWith(nil); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("got %v, want %v", got, tt.want)
		}
	}
}

func TestSentRequest(t *testing.T) {
	resp, err := http.DefaultClient.Do(requestWith(http.Header{"Upgrade": {"websocket"}, "Sec-WebSocket-Key": {"some key"}})) // want `constant Sec-WebSocket-Key "some key": every handshake is identical.*; it is not the base64 of 16 bytes either`
	if err == nil {
		resp.Body.Close()
	}
}
