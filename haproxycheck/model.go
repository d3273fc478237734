package haproxycheck

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/wscheck/wscheck/report"
)

// proxy is a defaults, frontend, backend or listen section with the
// defaults section it takes its initial settings from (manual section 4:
// the latest defaults before it, or the one named after "from").
type proxy struct {
	sec      *Section
	defaults *proxy
}

func (p *proxy) isBackend() bool  { return p.sec.Kind == "backend" || p.sec.Kind == "listen" }
func (p *proxy) isFrontend() bool { return p.sec.Kind == "frontend" || p.sec.Kind == "listen" }

// own returns the last directive of the section itself that matches.
func (p *proxy) own(match func(*Directive) bool) *Directive {
	for _, d := range slices.Backward(p.sec.Directives) {
		if match(d) {
			return d
		}
	}
	return nil
}

// setting returns the directive in effect: the section's own, else the
// one its defaults chain sets.
func (p *proxy) setting(match func(*Directive) bool) *Directive {
	for q := p; q != nil; q = q.defaults {
		if d := q.own(match); d != nil {
			return d
		}
	}
	return nil
}

func isTimeout(which string) func(*Directive) bool {
	return func(d *Directive) bool { return d.Keyword() == "timeout" && d.Arg(0) == which }
}

// mode is "tcp" (HAProxy's default, manual "mode") or "http".
func (p *proxy) mode() string {
	if d := p.setting(func(d *Directive) bool { return d.Keyword() == "mode" }); d != nil {
		return d.Arg(0)
	}
	return "tcp"
}

// route is a frontend's way to a backend: default_backend or use_backend.
type route struct {
	from *proxy
	d    *Directive
	// why: set when the route's condition selects WebSocket requests.
	why string
}

// config is one file's proxies and the routes between them.
type config struct {
	file    *File
	proxies []*proxy
	// routes by backend name; a listen section routes to itself.
	routes map[string][]route
	// wsRouting: some use_backend condition selects WebSocket requests,
	// so the other backends are not assumed to receive any.
	wsRouting bool
}

func buildConfig(f *File) (*config, []report.FileError) {
	c := &config{file: f, routes: map[string][]route{}}
	var last *proxy
	named := map[string]*proxy{}
	for _, s := range f.Sections {
		switch s.Kind {
		case "defaults", "frontend", "backend", "listen":
		default:
			continue
		}
		p := &proxy{sec: s}
		switch {
		case s.From != "":
			d, ok := named[s.From]
			if !ok {
				return nil, []report.FileError{{File: f.Path, Line: s.Line, Column: s.Col,
					Message: fmt.Sprintf("%s: defaults section '%s' is not defined above", s, s.From)}}
			}
			p.defaults = d
		case s.Kind != "defaults":
			p.defaults = last
		}
		if s.Kind == "defaults" {
			last = p
			if s.Name != "" {
				named[s.Name] = p
			}
		}
		c.proxies = append(c.proxies, p)
	}
	for _, p := range c.proxies {
		if !p.isFrontend() {
			continue
		}
		if p.sec.Kind == "listen" {
			c.routes[p.sec.Name] = append(c.routes[p.sec.Name], route{from: p})
		}
		acls := wsACLs(p)
		for _, d := range p.sec.Directives {
			switch d.Keyword() {
			case "default_backend":
				c.routes[d.Arg(0)] = append(c.routes[d.Arg(0)], route{from: p, d: d})
			case "use_backend":
				r := route{from: p, d: d, why: wsCondition(d.Words[2:], acls)}
				c.wsRouting = c.wsRouting || r.why != ""
				c.routes[d.Arg(0)] = append(c.routes[d.Arg(0)], r)
			}
		}
	}
	return c, nil
}

// backend is a proxy judged as carrying WebSocket traffic, with why.
type wsBackend struct {
	*proxy
	why string
}

// wsBackends lists the mode http backends and listens that WebSocket
// upgrades reach: those a WebSocket condition routes to or whose name
// says WebSocket, and, when nothing in the file routes WebSockets
// separately, every one (any HTTP request may ask to upgrade).
func (c *config) wsBackends() []wsBackend {
	var out []wsBackend
	for _, p := range c.proxies {
		if !p.isBackend() || p.mode() != "http" {
			continue
		}
		why := ""
		for _, r := range c.routes[p.sec.Name] {
			if r.why != "" {
				why = fmt.Sprintf("%s routes %s here", r.from.sec, r.why)
				break
			}
		}
		switch {
		case why != "":
		case wsName(p.sec.Name):
			why = fmt.Sprintf("its name %q says WebSocket", p.sec.Name)
		case !c.wsRouting:
			why = "a mode http " + p.sec.Kind + " passes on any request that asks to upgrade, and nothing in this file routes WebSocket requests elsewhere"
		default:
			continue
		}
		out = append(out, wsBackend{p, why})
	}
	return out
}

// wsEndpoints are path segments that name a WebSocket endpoint.
var wsEndpoints = map[string]bool{
	"ws": true, "wss": true, "websocket": true, "websockets": true, "socket.io": true, "sockjs": true,
	"cable": true, "xmpp-websocket": true, "live": true, "stream": true, "realtime": true, "hub": true, "hubs": true,
}

var wordSplit = regexp.MustCompile(`[^a-z0-9.]+`)

// wsName: a backend named "ws", "app_ws", "websocket-backend", ...
func wsName(name string) bool {
	for _, w := range wordSplit.Split(strings.ToLower(name), -1) {
		if w == "ws" || w == "wss" || strings.Contains(w, "websocket") || w == "socket.io" || w == "sockjs" {
			return true
		}
	}
	return false
}

// wsACLs maps the section's ACL names to why each selects WebSocket requests.
func wsACLs(p *proxy) map[string]string {
	acls := map[string]string{}
	for _, d := range p.sec.Directives {
		if d.Keyword() == "acl" && len(d.Words) >= 3 {
			if why := wsCriterion(d.Words[2:]); why != "" && acls[d.Arg(0)] == "" {
				acls[d.Arg(0)] = fmt.Sprintf("(acl %s: %s)", d.Arg(0), why)
			}
		}
	}
	return acls
}

var (
	upgradeFetch    = regexp.MustCompile(`(?i)hdr[a-z_]*\(\s*upgrade\s*[,)]`)
	connectionFetch = regexp.MustCompile(`(?i)hdr[a-z_]*\(\s*connection\s*[,)]`)
	pathFetch       = regexp.MustCompile(`(?i)^(?:path|url|base|capture\.req\.uri)(?:_[a-z]+)?(?:,|$)`)
)

// wsCriterion says why an ACL criterion ("hdr(Upgrade) -i websocket",
// "path_beg /ws") selects WebSocket requests, or "".
func wsCriterion(words []string) string {
	fetch, values := words[0], words[1:]
	switch {
	case upgradeFetch.MatchString(fetch):
		return "the Upgrade header"
	case connectionFetch.MatchString(fetch) && slices.ContainsFunc(values, func(v string) bool { return strings.Contains(strings.ToLower(v), "upgrade") }):
		return "Connection: upgrade"
	case pathFetch.MatchString(fetch):
		for _, v := range values {
			for _, seg := range strings.FieldsFunc(strings.ToLower(v), func(r rune) bool {
				return r == '/' || r == '^' || r == '$' || r == '\\' || r == '(' || r == ')' || r == '|'
			}) {
				if wsEndpoints[seg] {
					return fmt.Sprintf("the path %q", v)
				}
			}
		}
	}
	return ""
}

// wsCondition says why a use_backend condition selects WebSocket
// requests: it names a WebSocket ACL (not negated) or holds an anonymous
// one, "{ hdr(upgrade) -i websocket }".
func wsCondition(words []string, acls map[string]string) string {
	if len(words) == 0 || words[0] != "if" {
		return "" // no condition, or "unless": not a WebSocket selection
	}
	for i := 1; i < len(words); i++ {
		w := words[i]
		if w == "{" {
			j := i + 1
			for j < len(words) && words[j] != "}" {
				j++
			}
			if j > i+1 {
				if why := wsCriterion(words[i+1 : j]); why != "" && (i == 1 || words[i-1] != "!") {
					return "requests matching " + why
				}
			}
			i = j
			continue
		}
		if why, ok := acls[w]; ok {
			return "requests matching " + w + " " + why
		}
	}
	return ""
}

// parseTime reads an HAProxy time (manual 2.5): digits and a unit us, ms,
// s, m, h or d; no unit means milliseconds for timeouts.
func parseTime(v string) (time.Duration, bool) {
	i := strings.IndexFunc(v, func(r rune) bool { return r < '0' || r > '9' })
	if i == 0 {
		return 0, false
	}
	num, unit := v, ""
	if i > 0 {
		num, unit = v[:i], v[i:]
	}
	n, err := strconv.ParseInt(num, 10, 64)
	if err != nil {
		return 0, false
	}
	mult, ok := map[string]time.Duration{"": time.Millisecond, "us": time.Microsecond, "ms": time.Millisecond,
		"s": time.Second, "m": time.Minute, "h": time.Hour, "d": 24 * time.Hour}[unit]
	if !ok || n > int64(1<<62)/int64(mult) {
		return 0, false
	}
	return time.Duration(n) * mult, true
}
