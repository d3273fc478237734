// Package e2e proves the Apache rules against Debian's Apache httpd: each
// rule's bad fixture must break a WebSocket handshake through a real
// apache2 in front of a gorilla/websocket backend, and its good fixture
// must work. The tests skip without apache2 unless WSCHECK_E2E=1.
package e2e
