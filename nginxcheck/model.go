package nginxcheck

import (
	"slices"
	"strconv"
	"strings"

	"github.com/wscheck/wscheck/nginxcheck/load"
)

// level is one http, server or location block as nginx merges them: its
// directives with includes spliced in, and the level it inherits from.
type level struct {
	kind   string     // http, server, location
	node   *load.Node // nil for a context a fragment implies
	parent *level
	dirs   []load.Spliced
	byName map[string][]load.Spliced // dirs indexed, for levels that hold many (http levels hold thousands)
	// unknown: an include at this level named no readable file, or a
	// template expression renders directives here, so any directive they
	// could hold is unknown here.
	unknown bool
	// conditional names the simple directives that exist here only under
	// a template condition or loop (see load.MarkOpen): their value at this
	// level is unknown. A block under a condition is still judged.
	conditional map[string]bool
}

func newLevel(kind string, node *load.Node, parent *level, children []*load.Node) *level {
	l := &level{kind: kind, node: node, parent: parent}
	depth := 0
	all := load.Expand(children)
	l.dirs = all[:0] // filtered in place: the markers are left out
	for _, s := range all {
		switch n := s.Node; {
		case n.Name == load.MarkOpen:
			depth++
			continue
		case n.Name == load.MarkEnd:
			depth = max(0, depth-1)
			continue
		case n.Name == load.MarkElse:
			continue
		case load.IsPlaceholder(n.Name):
			l.unknown = true
		case depth > 0 && !n.Block:
			if l.conditional == nil {
				l.conditional = map[string]bool{}
			}
			l.conditional[n.Name] = true
		}
		l.dirs = append(l.dirs, s)
		if s.Node.Include != nil && s.Node.Include.Unknown {
			l.unknown = true
		}
	}
	return l
}

// indexAbove is the number of directives from which a level is indexed.
const indexAbove = 32

// own returns this level's directives of a name, in order.
func (l *level) own(name string) []load.Spliced {
	if len(l.dirs) <= indexAbove {
		// A location holds a handful of directives: a map per level
		// would cost more memory than the whole config text.
		var out []load.Spliced
		for _, s := range l.dirs {
			if s.Node.Name == name {
				out = append(out, s)
			}
		}
		return out
	}
	if l.byName == nil {
		l.byName = map[string][]load.Spliced{}
		for _, s := range l.dirs {
			l.byName[s.Node.Name] = append(l.byName[s.Node.Name], s)
		}
	}
	return l.byName[name]
}

// header is one proxy_set_header entry.
type header struct {
	name, value string
	load.Spliced
}

// headerSet is the effective proxy_set_header list of a location.
type headerSet struct {
	list []header
	// from is the level whose own list this is; nil for nginx's defaults.
	from    *level
	unknown bool
}

// effectiveHeaders applies nginx's all-or-nothing rule: a level inherits
// the outer list only if it defines no proxy_set_header of its own.
func effectiveHeaders(l *level) headerSet {
	for ; l != nil; l = l.parent {
		if own := l.own("proxy_set_header"); len(own) > 0 {
			hs := headerSet{from: l, unknown: l.unknown || l.conditional["proxy_set_header"]}
			for _, s := range own {
				h := header{strings.ToLower(s.Node.Arg(0)), s.Node.Arg(1), s}
				if load.IsPlaceholder(h.name) || (load.IsPlaceholder(h.value) && (h.name == "upgrade" || h.name == "connection" || h.name == "host")) {
					hs.unknown = true // a template value decides what is sent
				}
				hs.list = append(hs.list, h)
			}
			return hs
		}
		if l.unknown {
			return headerSet{from: l, unknown: true}
		}
	}
	return headerSet{}
}

// get returns the entries for a header name that are actually sent:
// entries with an empty value are dropped by nginx.
func (hs headerSet) get(name string) []header {
	var out []header
	for _, h := range hs.list {
		if h.name == name && h.value != "" {
			out = append(out, h)
		}
	}
	return out
}

// setting is an inherited scalar directive such as proxy_http_version.
type setting struct {
	node    *load.Node // nil: nginx's default
	site    *load.Node
	at      *level
	unknown bool
}

// effective finds the nearest level that sets a normally inherited directive.
func effective(l *level, name string) setting {
	for ; l != nil; l = l.parent {
		if l.conditional[name] {
			return setting{unknown: true}
		}
		if own := l.own(name); len(own) > 0 {
			last := own[len(own)-1]
			if slices.ContainsFunc(last.Node.Args, load.IsPlaceholder) {
				return setting{unknown: true} // a template value
			}
			return setting{node: last.Node, site: last.Site, at: l}
		}
		if l.unknown {
			return setting{unknown: true}
		}
	}
	return setting{}
}

// location is a location block with the levels it inherits from.
type location struct {
	level   *level
	node    *load.Node
	proxies bool
	// via lists the named locations its requests are handed to.
	via []string
}

func (loc *location) name() string {
	return strings.Join(loc.node.Args, " ")
}

// path is the location's match without modifier.
func (loc *location) path() string {
	return loc.node.Args[len(loc.node.Args)-1]
}

// model is the effective configuration of one loaded tree.
type model struct {
	tree      *load.Tree
	locations []*location
	named     map[string]*location
	maps      map[string]*mapDef // by variable name, without '$'
	defined   map[string]bool    // variables defined by set, geo, map, ...
	// keepalive: upstream name -> whether it sets keepalive; built on
	// first use (see keepaliveUpstream).
	keepalive map[string]bool
	endpoints map[string]endpointMatch // see endpoint
	evaluated map[evalKey]evalResult   // see evalFor
	// included counts how often each file is included (see inclusions).
	included map[*load.File]int
	// release: nothing reads a location's level after its rules ran (no
	// explain view keeps the model), see letGo.
	release bool
}

func buildModel(t *load.Tree) *model {
	m := &model{tree: t, named: map[string]*location{}, maps: map[string]*mapDef{}, defined: map[string]bool{}}
	var top *level // the outermost level a fragment implies
	switch t.Context {
	case load.Main:
		for _, s := range load.Expand(t.Root.Nodes) {
			if s.Node.Name == "http" && s.Node.Block {
				m.walk(newLevel("http", s.Node, nil, s.Node.Children))
			}
		}
	case load.HTTP:
		top = newLevel("http", nil, nil, t.Root.Nodes)
	case load.Server:
		top = newLevel("server", nil, newLevel("http", nil, nil, nil), t.Root.Nodes)
	case load.Location:
		top = newLevel("location", nil, newLevel("server", nil, newLevel("http", nil, nil, nil), nil), t.Root.Nodes)
		m.addLocation(top, nil)
	}
	if top != nil {
		m.walk(top)
	}
	m.collectVariables()
	return m
}

// walk descends from a level into its server and location blocks.
func (m *model) walk(l *level) {
	for _, s := range l.dirs {
		n := s.Node
		if !n.Block {
			continue
		}
		switch {
		case n.Name == "server" && l.kind == "http":
			m.walk(newLevel("server", n, l, n.Children))
		case n.Name == "location" && len(n.Args) > 0 && (l.kind == "server" || l.kind == "location"):
			child := newLevel("location", n, l, n.Children)
			m.addLocation(child, n)
			m.walk(child)
		}
	}
}

func (m *model) addLocation(l *level, n *load.Node) {
	loc := &location{level: l, node: n}
	for _, s := range l.dirs {
		switch s.Node.Name {
		case "proxy_pass":
			loc.proxies = true
		case "if":
			for _, c := range load.Expand(s.Node.Children) {
				if c.Node.Name == "proxy_pass" {
					loc.proxies = true
				}
			}
		case "try_files", "error_page":
			if last := s.Node.Args; len(last) > 0 && strings.HasPrefix(last[len(last)-1], "@") {
				loc.via = append(loc.via, last[len(last)-1])
			}
		}
	}
	if n == nil {
		// A snippet of bare directives: judged only if it proxies.
		loc.node = &load.Node{Name: "location", Args: []string{"(snippet)"}, File: m.tree.Root, Line: 1, Col: 1}
	}
	if strings.HasPrefix(loc.path(), "@") {
		m.named[loc.path()] = loc
	}
	m.locations = append(m.locations, loc)
}

// server returns the server level a location belongs to, or nil.
func (l *level) server() *level {
	for ; l != nil; l = l.parent {
		if l.kind == "server" {
			return l
		}
	}
	return nil
}

// listening is what a server's listen directives say.
type listening struct {
	ports []int
	quic  bool // a listen with the quic parameter: HTTP/3 is on unless "http3 off"
	// known: every listen was read (no unix socket, placeholder or unseen
	// include) and there is at least one.
	known bool
}

// listens reads the ports a server accepts connections on.
func (l *level) listens() listening {
	var out listening
	if l == nil || l.node == nil || l.unknown || l.conditional["listen"] {
		return out
	}
	out.known = true
	for _, s := range l.own("listen") {
		port, ok := listenPort(s.Node.Arg(0))
		if !ok || slices.ContainsFunc(s.Node.Args, load.IsPlaceholder) {
			out.known = false
		}
		out.ports = append(out.ports, port)
		for i, a := range s.Node.Args { // "listen ;" has no address: the loop must not slice
			if i > 0 && a == "quic" {
				out.quic = true
			}
		}
	}
	if len(out.ports) == 0 {
		out.known = false // nginx's default (*:80 or *:8000) depends on how it runs
	}
	if h := effective(l, "http3"); h.node != nil && h.node.Arg(0) == "off" {
		out.quic = false
	}
	return out
}

// listenPort reads the port of a listen address: "8080", "127.0.0.1:8080",
// "[::]:443", "localhost" (80).
func listenPort(addr string) (int, bool) {
	if addr == "" || strings.HasPrefix(addr, "unix:") || strings.ContainsAny(addr, "${}%") || load.IsPlaceholder(addr) {
		return 0, false
	}
	if i := strings.LastIndex(addr, "]"); i >= 0 { // [::]:443
		addr = addr[i+1:]
		if addr == "" {
			return 80, true
		}
		addr = strings.TrimPrefix(addr, ":")
	} else if i := strings.LastIndex(addr, ":"); i >= 0 {
		addr = addr[i+1:]
	} else if !allDigits(addr) {
		return 80, true // a host name or address alone
	}
	if !allDigits(addr) {
		return 0, false
	}
	n, err := strconv.Atoi(addr)
	if err != nil || n <= 0 || n > 65535 {
		return 0, false
	}
	return n, true
}

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// defaultPort: a browser's Host and Origin carry no port for these.
func defaultPort(p int) bool { return p == 80 || p == 443 }
