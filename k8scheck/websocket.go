package k8scheck

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/wscheck/wscheck/repo"
)

// wsService: a Service name with a word that says WebSocket (chat-ws,
// websocket, socket-server); "news" or "aws" are not.
var wsService = regexp.MustCompile(`(?i)(^|[-_.])(ws|wss|websockets?|socket|socketio|sockjs)([-_.]|$)|websocket`)

// regexTail is what an Ingress regex path (use-regex, rewrite-target)
// appends after its endpoint: "/socket.io(/|$)(.*)".
var regexTail = regexp.MustCompile(`(\(/\|\$\)|\(\.\*\)|\.\*|\(/\.\*\)|/|\$)+$`)

// wsRoute says why a path or its backend carries WebSockets, or "".
func wsRoute(path, service value) string {
	if !path.unknown && path.text != "" {
		p := regexTail.ReplaceAllString(path.text, "")
		if ep, ok := repo.WebSocketEndpoint(p); ok {
			return fmt.Sprintf("path %q ends in %q, a well-known WebSocket endpoint", path.text, ep)
		}
	}
	if !service.unknown && wsService.MatchString(service.text) {
		return fmt.Sprintf("its backend Service %q is named for WebSockets", service.text)
	}
	return ""
}

func quoted(s string) string {
	if strings.ContainsRune(s, repo.PlaceholderRune) {
		return "<template>"
	}
	return fmt.Sprintf("%q", s)
}
