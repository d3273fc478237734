// Package e2e proves the nginx rules against a real nginx: each rule's
// failing fixture must break a WebSocket handshake through nginx in front
// of real backends, and its clean fixture must work. The tests live in
// the _test.go files; they skip without nginx unless WSCHECK_E2E=1.
package e2e
