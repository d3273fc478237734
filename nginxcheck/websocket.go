package nginxcheck

import (
	"fmt"
	"strings"

	"github.com/wscheck/wscheck/nginxcheck/load"
	"github.com/wscheck/wscheck/repo"
)

// wsLocation is a proxying location judged as a WebSocket location.
type wsLocation struct {
	*location
	headers headerSet
	reason  string
	// outer is the list the location would have inherited, when that list
	// carries Upgrade or Connection and the location's own list replaced it.
	outer *headerSet
	// byHeaders: judged by its Upgrade/Connection headers alone, so it may
	// serve plain HTTP as well.
	byHeaders bool
}

// isWellKnownEndpoint: the path names a WebSocket endpoint
// (repo.WebSocketEndpoint, shared with the Kubernetes half).
func isWellKnownEndpoint(path string) (string, bool) { return repo.WebSocketEndpoint(path) }

// endpoint is isWellKnownEndpoint remembered per path: a large config
// repeats a few location paths thousands of times, and each match splits
// the path into candidates (without the memo: 3% slower, 0.2 more
// allocations per directive on the generated tree).
func (m *model) endpoint(path string) (string, bool) {
	if e, ok := m.endpoints[path]; ok {
		return e.word, e.ok
	}
	word, ok := isWellKnownEndpoint(path)
	if m.endpoints == nil {
		m.endpoints = map[string]endpointMatch{}
	}
	m.endpoints[path] = endpointMatch{word, ok}
	return word, ok
}

type endpointMatch struct {
	word string
	ok   bool
}

// carriesUpgrade reports whether a header list asks the upstream to
// upgrade, and says how.
func (m *model) carriesUpgrade(hs headerSet) (string, bool) {
	if h := hs.get("upgrade"); len(h) > 0 {
		return fmt.Sprintf("it sets the Upgrade header (%s:%d)", h[0].Node.File.Path, h[0].Node.Line), true
	}
	for _, h := range hs.get("connection") {
		v := strings.ToLower(h.value)
		switch {
		case asksUpgrade(v) && !strings.Contains(v, "$"):
			return fmt.Sprintf("its Connection header asks for an upgrade (%s:%d)", h.Node.File.Path, h.Node.Line), true
		case strings.Contains(v, "$http_connection"):
			return fmt.Sprintf("it forwards the client's Connection header (%s:%d)", h.Node.File.Path, h.Node.Line), true
		}
		for _, name := range variables(v) {
			if md := m.maps[name]; md != nil && strings.EqualFold(md.source, "$http_upgrade") {
				return fmt.Sprintf("its Connection header comes from $%s, a map on $http_upgrade (%s:%d)", name, h.Node.File.Path, h.Node.Line), true
			}
			if strings.Contains(name, "upgrade") {
				return fmt.Sprintf("its Connection header comes from $%s (%s:%d)", name, h.Node.File.Path, h.Node.Line), true
			}
		}
	}
	return "", false
}

// marked reports a "# wscheck:websocket" comment on, just above, or just
// inside the location line.
func marked(n *load.Node) bool {
	if n == nil || n.File == nil {
		return false
	}
	for _, line := range []int{n.Line - 1, n.Line, n.Line + 1} {
		if c, ok := n.File.Comments[line]; ok && strings.HasPrefix(c.Text, "wscheck:websocket") {
			return true
		}
	}
	return false
}

// keepAliveOnly: the location sets a non-upgrade Connection and no Upgrade,
// the keep-alive or Server-Sent Events pattern.
func keepAliveOnly(hs headerSet) bool {
	if hs.from == nil || len(hs.get("upgrade")) > 0 {
		return false
	}
	for _, h := range hs.list {
		if h.name == "connection" && !strings.Contains(h.value, "$") && !asksUpgrade(h.value) {
			return true
		}
	}
	return false
}

// websocketLocations decides which proxying locations are judged, and why.
func (m *model) websocketLocations() []*wsLocation {
	var out []*wsLocation
	m.eachWebSocketLocation(func(w *wsLocation) { out = append(out, w) })
	return out
}

// letGo drops a judged location's level when the model is judged once
// (m.release): on a large config the levels of every location would
// otherwise outlive their judgement. Named locations are judged last,
// through the locations that hand requests to them, so they keep theirs.
func (m *model) letGo(loc *location) {
	if m.release && loc != nil && !strings.HasPrefix(loc.path(), "@") {
		loc.level = nil
	}
}

// eachWebSocketLocation calls fn with each judged location, in order.
func (m *model) eachWebSocketLocation(fn func(*wsLocation)) {
	judged := map[*location]bool{}
	add := func(loc *location, hs headerSet, reason string, outer *headerSet, byHeaders bool) {
		if !judged[loc] {
			judged[loc] = true
			fn(&wsLocation{location: loc, headers: hs, reason: reason, outer: outer, byHeaders: byHeaders})
		}
	}
	handOff := map[string]string{} // named location -> reason
	visit := func(loc *location) {
		hs := effectiveHeaders(loc.level)
		var reason string
		var outer *headerSet
		byHeaders := false
		if r, ok := m.carriesUpgrade(hs); ok {
			reason, byHeaders = r, true
		} else if o, ok := m.droppedOuter(hs); ok {
			outer = &o
			h := upgradeHeader(o)
			reason = fmt.Sprintf("an outer level sets %s (%s:%d) and its own proxy_set_header list drops it", headerTitle(h.name), h.Node.File.Path, h.Node.Line)
		} else if marked(loc.node) {
			reason = "a # wscheck:websocket comment marks it"
		} else if ep, ok := m.endpoint(loc.path()); ok && !keepAliveOnly(hs) {
			reason = fmt.Sprintf("its path ends in %q, a well-known WebSocket endpoint", ep)
		}
		if reason == "" {
			return
		}
		for _, v := range loc.via {
			handOff[v] = fmt.Sprintf("WebSocket location %q hands its requests to it", loc.name())
		}
		if loc.proxies {
			add(loc, hs, reason, outer, byHeaders)
		}
	}
	for _, loc := range m.locations {
		visit(loc)
		m.letGo(loc) // its rules ran
	}
	for name, reason := range handOff {
		if loc := m.named[name]; loc != nil && loc.proxies {
			add(loc, effectiveHeaders(loc.level), reason, nil, false)
		}
	}
}

// upgradeHeader returns the first Upgrade or Connection entry of a list.
func upgradeHeader(hs headerSet) header {
	for _, h := range hs.list {
		if h.name == "upgrade" || h.name == "connection" {
			return h
		}
	}
	return hs.list[0]
}

func headerTitle(name string) string {
	switch name {
	case "upgrade":
		return "Upgrade"
	case "host":
		return "Host"
	}
	return "Connection"
}

// droppedOuter finds the list a level would have inherited when its own
// list replaced one that carried Upgrade or Connection: upgrade.
func (m *model) droppedOuter(hs headerSet) (headerSet, bool) {
	if hs.from == nil || hs.unknown || hs.from.parent == nil {
		return headerSet{}, false
	}
	outer := effectiveHeaders(hs.from.parent)
	if outer.from == nil || outer.unknown {
		return headerSet{}, false
	}
	if _, ok := m.carriesUpgrade(outer); !ok {
		return headerSet{}, false
	}
	if _, ok := m.carriesUpgrade(hs); ok {
		return headerSet{}, false
	}
	return outer, true
}
