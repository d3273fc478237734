// Package gocheck is the Go half of wscheck: one go/analysis pass that
// finds WebSocket client code whose handshake will fail or leak.
//
// The rule that fired is the diagnostic's Category: dial-without-origin,
// hand-built-key, managed-handshake-header and origin-check-disabled.
// Rules documents them for the CLI and the README.
//
// The pass understands gorilla/websocket, fasthttp/websocket,
// github.com/coder/websocket, nhooyr.io/websocket,
// golang.org/x/net/websocket, github.com/gobwas/ws and github.com/lxzan/gws,
// and matches their functions by type, never by the text of a call.
// It reports only what it can prove: a header built in the function, or
// returned by a helper of the module whose every return path it can read,
// or handed to a function of the module that forwards it unchanged to a
// dial (go/analysis facts carry these across packages). A header that
// comes from a parameter or a field filled elsewhere is not flagged.
//
// # Flags
//
// The analyzer has one flag, stable for every driver (wscheck go, go vet
// -vettool, golangci-lint):
//
//	-origin-exempt list   comma-separated substrings of a constant dial URL
//	                      that exempt the dial from dial-without-origin
//	                      (default "/devtools/": Chrome's DevTools protocol
//	                      rejects Origins it does not allow)
//
// Files that build only for js (the browser sets Origin itself) are
// skipped. Whether _test.go files are analyzed is the driver's choice.
package gocheck
