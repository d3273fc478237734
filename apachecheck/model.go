package apachecheck

import (
	"fmt"
	"regexp"
	"strings"
)

// mapping is one way a request reaches mod_proxy: ProxyPass,
// ProxyPassMatch (server level or inside <Location>/<LocationMatch>), or a
// RewriteRule with the [P] flag.
type mapping struct {
	n        *Node
	path     string // the local path, or the regexp of a Match form
	regex    bool
	target   string
	params   map[string]string // key=value parameters, keys lower-case
	location *Node             // the <Location> holding it, nil at server level
	rewrite  bool
	upgrade  bool // a RewriteRule under RewriteCond %{HTTP:Upgrade}
	unknown  bool // a balancer whose members no file read here defines
	wsWhy    string
}

func (m *mapping) scheme() string {
	s, _, _ := strings.Cut(strings.ToLower(m.target), "://")
	return s
}

// context is one virtual host, or the server config outside any.
type context struct {
	vhost     *Node // nil for the server config
	maps      []*mapping
	preserve  *Node // the ProxyPreserveHost written at this level
	inherited *Node // the server config's, for a virtual host
	unknown   bool  // an Include here named no readable file
}

func (c *context) name() string {
	if c.vhost == nil {
		return "the server config"
	}
	return "<VirtualHost " + strings.Join(c.vhost.Args, " ") + ">"
}

// conditional sections are read as applying (see the package doc).
var transparent = map[string]bool{"ifmodule": true, "ifdefine": true, "ifversion": true, "if": true, "elseif": true, "else": true, "ifdirective": true, "iffile": true, "ifsection": true}

type config struct {
	contexts  []*context
	balancers map[string][]string // balancer://name -> member URLs
}

// balancerKey names a balancer as <Proxy> and ProxyPass may both write it:
// lower case, without a trailing slash or path.
func balancerKey(u string) string {
	key := strings.ToLower(u)
	if i := strings.Index(key[min(len(key), len("balancer://")):], "/"); i >= 0 {
		key = key[:len("balancer://")+i]
	}
	return key
}

// Balancers collects the members of every balancer a tree defines. httpd's
// balancers are global: a vhost's ProxyPass may name one defined in any
// other file of the server's config, so a run pools those of all its files.
func Balancers(t *Tree, into map[string][]string) {
	var walk func([]*Node)
	walk = func(nodes []*Node) {
		for _, n := range nodes {
			switch {
			case n.Section && n.Is("Proxy") && strings.HasPrefix(strings.ToLower(n.Arg(0)), "balancer://"):
				for _, m := range n.Children {
					if m.Is("BalancerMember") {
						into[balancerKey(n.Arg(0))] = append(into[balancerKey(n.Arg(0))], m.Arg(0))
					}
				}
			case n.Section:
				walk(n.Children)
			case n.Is("BalancerMember") && strings.HasPrefix(strings.ToLower(n.Arg(0)), "balancer://"):
				into[balancerKey(n.Arg(0))] = append(into[balancerKey(n.Arg(0))], n.Arg(1))
			}
		}
	}
	walk(t.Root)
}

func buildConfig(t *Tree, balancers map[string][]string) *config {
	c := &config{balancers: balancers}
	server := &context{}
	c.contexts = append(c.contexts, server)
	unresolved := map[*Node]bool{}
	for _, n := range t.Unresolved {
		unresolved[n] = true
	}
	var walk func(nodes []*Node, ctx *context, loc *Node, conds *[]*Node)
	walk = func(nodes []*Node, ctx *context, loc *Node, conds *[]*Node) {
		for _, n := range nodes {
			name := strings.ToLower(n.Name)
			switch {
			case n.Section && name == "virtualhost":
				v := &context{vhost: n}
				c.contexts = append(c.contexts, v)
				var vc []*Node
				walk(n.Children, v, nil, &vc)
			case n.Section && transparent[name]:
				walk(n.Children, ctx, loc, conds)
			case n.Section && (name == "location" || name == "locationmatch"):
				var lc []*Node
				walk(n.Children, ctx, n, &lc)
			case n.Section:
				// <Proxy> (balancers: see Balancers), <Directory>, <Files>:
				// ProxyPass is not allowed there.
			case name == "proxypass" || name == "proxypassmatch":
				m := &mapping{n: n, regex: name == "proxypassmatch", location: loc, params: map[string]string{}}
				args := n.Args
				if loc != nil {
					m.path, m.regex = loc.Arg(0), loc.Is("LocationMatch") || m.regex
				} else if len(args) > 0 {
					m.path, args = args[0], args[1:]
				}
				if len(args) > 0 {
					m.target, args = args[0], args[1:]
				}
				for _, a := range args {
					if k, v, ok := strings.Cut(a, "="); ok {
						m.params[strings.ToLower(k)] = v
					}
				}
				ctx.maps = append(ctx.maps, m)
			case name == "rewritecond":
				*conds = append(*conds, n)
			case name == "rewriterule":
				flags := strings.ToUpper(n.Arg(2))
				if regexp.MustCompile(`[\[,]P(?:[,\]]|$)`).MatchString(flags) {
					m := &mapping{n: n, path: n.Arg(0), regex: true, target: n.Arg(1), rewrite: true, location: loc}
					for _, cn := range *conds {
						if strings.EqualFold(cn.Arg(0), "%{HTTP:Upgrade}") || strings.EqualFold(cn.Arg(0), "%{HTTP:Connection}") {
							m.upgrade = true
						}
					}
					ctx.maps = append(ctx.maps, m)
				}
				*conds = nil
			case name == "proxypreservehost":
				ctx.preserve = n
			case unresolved[n]:
				ctx.unknown = true
			}
		}
	}
	var sc []*Node
	walk(t.Root, server, nil, &sc)
	for _, ctx := range c.contexts {
		if ctx != server {
			ctx.inherited = server.preserve // a virtual host inherits the server config's
		}
		for _, m := range ctx.maps {
			m.wsWhy = c.wsTarget(m)
		}
	}
	return c
}

// wsTarget says why the mapping tunnels WebSockets, or "".
func (c *config) wsTarget(m *mapping) string {
	switch s := m.scheme(); s {
	case "ws", "wss":
		return "its target is " + s + "://"
	case "balancer":
		members, ok := c.balancers[balancerKey(m.target)]
		if !ok {
			m.unknown = true // defined in a file this run did not read
		}
		for _, u := range members {
			if l := strings.ToLower(u); strings.HasPrefix(l, "ws://") || strings.HasPrefix(l, "wss://") {
				return "the members of " + m.target + " are ws://"
			}
		}
	}
	if v, ok := m.params["upgrade"]; ok && !strings.EqualFold(v, "none") {
		return "it has upgrade=" + v
	}
	return ""
}

// wsEndpoints are path segments that name a WebSocket endpoint.
var wsEndpoints = map[string]bool{"ws": true, "wss": true, "websocket": true, "websockets": true, "socket.io": true,
	"sockjs": true, "cable": true, "xmpp-websocket": true, "api/websocket": true}

// wsPath: a path (or simple regexp) whose segments name a WebSocket endpoint.
func wsPath(p string) bool {
	for _, seg := range strings.FieldsFunc(strings.ToLower(p), func(r rune) bool { return strings.ContainsRune(`/^$()|?*+.\[]`, r) && r != '.' }) {
		if wsEndpoints[seg] {
			return true
		}
	}
	return false
}

// samplePath is a request path the mapping takes: its path, or a Match
// regexp that is a plain path once its anchors and groups are removed.
func (m *mapping) samplePath() (string, bool) {
	if !m.regex {
		return m.path, m.path != ""
	}
	p := strings.NewReplacer("^", "", "$", "", "(", "", ")", "", "/?", "/").Replace(m.path)
	if strings.ContainsAny(p, `.*+?[]{}|\`) {
		p = strings.ReplaceAll(p, `\.`, ".")
		if strings.ContainsAny(strings.ReplaceAll(p, ".", ""), `*+?[]{}|\`) {
			return "", false
		}
	}
	if !strings.HasPrefix(p, "/") {
		p = "/" + p
	}
	return p, true
}

// takes reports whether mapping m (earlier in the configuration) takes a
// request for path: ProxyPass by path prefix at a segment boundary
// (mod_proxy's alias_match), ProxyPassMatch by its regexp.
func (m *mapping) takes(path string) bool {
	if m.regex {
		re, err := regexp.Compile(m.path)
		return err == nil && re.MatchString(path)
	}
	a := m.path
	if a == "/" || a == path {
		return true
	}
	if !strings.HasPrefix(path, a) {
		return false
	}
	return strings.HasSuffix(a, "/") || path[len(a)] == '/'
}

func (m *mapping) String() string {
	if m.rewrite {
		return fmt.Sprintf("RewriteRule %s %s", m.path, m.target)
	}
	if m.location != nil {
		return fmt.Sprintf("ProxyPass %s (in <%s %s>)", m.target, m.location.Name, m.location.Arg(0))
	}
	return fmt.Sprintf("%s %s %s", m.n.Name, m.path, m.target)
}
