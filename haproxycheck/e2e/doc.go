// Package e2e proves the HAProxy rules against Debian's HAProxy: each
// rule's bad fixture must break or close a WebSocket through a real
// haproxy in front of real backends, and its good fixture must work. The
// tests skip without haproxy unless WSCHECK_E2E=1.
package e2e
