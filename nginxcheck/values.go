package nginxcheck

import (
	"fmt"
	"strings"

	"github.com/wscheck/wscheck/nginxcheck/load"
)

// Header values are judged as the backend reads them: the value nginx
// sends once its variables are evaluated for a browser's WebSocket
// handshake, split into RFC 9110 tokens.

// handshake is one browser's WebSocket handshake request, the input values
// are evaluated for. Browsers differ only in Connection.
type handshake struct {
	browser    string
	upgrade    string // what the client sends as Upgrade
	connection string
}

// handshakes: Chrome sends "Connection: Upgrade", Firefox
// "Connection: keep-alive, Upgrade"; both send "Upgrade: websocket".
var handshakes = []handshake{{"Chrome", "websocket", "Upgrade"}, {"Firefox", "websocket", "keep-alive, Upgrade"}}

// plainRequest is a browser's ordinary request: no Upgrade, keep-alive.
var plainRequest = handshake{"a plain request", "", "keep-alive"}

// maxEvalDepth bounds map-through-map evaluation (a map may yield another
// map's variable; a cycle must not hang).
const maxEvalDepth = 8

// evalFor returns what a header value becomes for a handshake, and whether
// it is known: any variable other than the client's Upgrade and Connection
// and maps over known inputs is unknown, and so is the whole value.
func (m *model) evalFor(value string, hs handshake) (string, bool) {
	// Remembered per value: a large config repeats a few header values
	// thousands of times, and evaluating one runs a regular expression.
	k := evalKey{value, hs}
	if r, ok := m.evaluated[k]; ok {
		return r.out, r.known
	}
	out, known := m.eval(value, hs, 0)
	if m.evaluated == nil {
		m.evaluated = map[evalKey]evalResult{}
	}
	m.evaluated[k] = evalResult{out, known}
	return out, known
}

type evalKey struct {
	value string
	hs    handshake
}

type evalResult struct {
	out   string
	known bool
}

func (m *model) eval(value string, hs handshake, depth int) (string, bool) {
	if depth > maxEvalDepth || load.IsPlaceholder(value) {
		return "", false // a template placeholder's value is unknown
	}
	known := true
	out := varRef.ReplaceAllStringFunc(value, func(ref string) string {
		sub := varRef.FindStringSubmatch(ref)
		name := strings.ToLower(sub[1] + sub[2])
		v, ok := m.variableFor(name, hs, depth)
		known = known && ok
		return v
	})
	return out, known
}

// variableFor is the value of one variable in the handshake request.
func (m *model) variableFor(name string, hs handshake, depth int) (string, bool) {
	switch name {
	case "http_upgrade":
		return hs.upgrade, true
	case "http_connection":
		return hs.connection, true
	}
	md := m.maps[name]
	if md == nil {
		return "", false
	}
	in, ok := m.eval(md.source, hs, depth+1)
	if !ok {
		return "", false
	}
	out, ok := md.eval(in)
	if !ok {
		return "", false
	}
	return m.eval(out, hs, depth+1)
}

// tokens splits a comma-separated header value into its trimmed,
// non-empty elements.
func tokens(v string) []string {
	var out []string
	for _, t := range strings.Split(v, ",") {
		if t = strings.TrimSpace(t); t != "" {
			out = append(out, t)
		}
	}
	return out
}

// hasToken reports whether a comma-separated list holds tok, in any case:
// how gorilla, coder/websocket and nginx itself read Connection and Upgrade.
func hasToken(list, tok string) bool {
	for _, t := range tokens(list) {
		if strings.EqualFold(t, tok) {
			return true
		}
	}
	return false
}

// asksUpgrade: a Connection value that asks for an upgrade (RFC 9110 7.6.1).
func asksUpgrade(connection string) bool { return hasToken(connection, "upgrade") }

// offersWebSocket: an Upgrade value that offers the WebSocket protocol
// (RFC 6455 4.1: the token "websocket").
func offersWebSocket(upgrade string) bool { return hasToken(upgrade, "websocket") }

// evaluated is one header entry's value for one handshake.
type evaluated struct {
	h   header
	hs  handshake
	out string
}

// describe says what the backend receives, and why when a variable made
// it so: `"Connection: websocket" ($http_upgrade is "websocket" in a
// WebSocket handshake)`.
func (e evaluated) describe(title string) string {
	if e.out == "" {
		if e.h.value == "" {
			return fmt.Sprintf("no %s header (nginx drops a header whose value is empty)", title)
		}
		return fmt.Sprintf("no %s header (%s is empty in a WebSocket handshake from %s, and nginx drops an empty header)", title, e.h.value, e.hs.browser)
	}
	s := fmt.Sprintf("%q", title+": "+e.out)
	if e.out != e.h.value {
		s += fmt.Sprintf(" (%s is %q in a WebSocket handshake", e.h.value, e.out)
		if strings.Contains(strings.ToLower(e.h.value), "$http_connection") || e.hs.connection != handshakes[0].connection {
			s += " from " + e.hs.browser
		}
		s += ")"
	}
	return s
}

// judge evaluates every entry of a header for every handshake: ok when
// some entry passes good in every handshake (the backend reads all
// entries), known when every entry could be evaluated. bad is the first
// failing entry and handshake.
func (m *model) judge(entries []header, good func(string) bool) (ok, known bool, bad evaluated) {
	known = true
	first := true
	for _, h := range entries {
		entryOK := true
		for _, hs := range handshakes {
			out, k := m.evalFor(h.value, hs)
			if !k {
				known, entryOK = false, false
				break
			}
			if !good(out) {
				entryOK = false
				if first {
					bad, first = evaluated{h, hs, out}, false
				}
				break
			}
		}
		if entryOK {
			return true, true, evaluated{}
		}
	}
	return false, known, bad
}

// usesMap reports whether a value reads a variable a map defines.
func (m *model) usesMap(value string) bool {
	for _, name := range variables(value) {
		if m.maps[name] != nil {
			return true
		}
	}
	return false
}

// swapped reports the classic mix-up: Upgrade gets the Connection value
// and Connection the Upgrade value.
func (m *model) swapped(hs headerSet) bool {
	up, _, _ := m.judge(hs.get("upgrade"), func(v string) bool { return asksUpgrade(v) && !offersWebSocket(v) })
	conn, _, _ := m.judge(hs.get("connection"), func(v string) bool { return offersWebSocket(v) && !asksUpgrade(v) })
	return up && conn
}

// recommendedMap is the map wscheck advises for Connection. From nginx
// 1.29.7, which keeps upstream connections alive by default, a plain
// request is better served by no Connection header than by "close".
func recommendedMap(v Version, name string) string {
	if v.AtLeast(http11Default) {
		return fmt.Sprintf(`map $http_upgrade $%s { default upgrade; '' ''; }`, name)
	}
	return fmt.Sprintf(`map $http_upgrade $%s { default upgrade; '' close; }`, name)
}
