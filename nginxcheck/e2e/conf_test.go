package e2e

import (
	"fmt"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
)

// This file turns a rule fixture (an http-context fragment) into a config
// a throwaway nginx can run: listens move to free loopback ports, proxy
// targets move to the backend under test, and the locations to request
// are found. It is a small lexer of its own so that the proof does not
// depend on the analyzer it is proving.

// token is one nginx word, with its byte span and line in the source.
type token struct {
	text       string // unquoted
	start, end int    // span in the source, quotes included
	line       int
}

// directive is a parsed nginx directive; block is nil for simple ones.
type directive struct {
	name      token
	args      []token
	block     []*directive
	hasBlock  bool
	line, end int // first line, and the line of the closing brace or ';'
	open      int // for a block: the offset just after its '{'
	stop      int // the offset just after its ';' or '}'
}

// parsed is a fixture's source and its directive tree.
type parsed struct {
	src       string
	top       []*directive
	wantLines []int // lines that carry a `# want "rule"` comment
}

var wantComment = regexp.MustCompile(`#\s*want\b`)

func parseConf(src string) (*parsed, error) {
	p := &parsed{src: src}
	var toks []token
	var specials []byte // parallel to toks: '{', '}', ';' or 0 for a word
	line := 1
	for i := 0; i < len(src); {
		c := src[i]
		switch c {
		case '\n':
			line++
			i++
		case ' ', '\t', '\r':
			i++
		case '#':
			j := strings.IndexByte(src[i:], '\n')
			if j < 0 {
				j = len(src) - i
			}
			if wantComment.MatchString(src[i : i+j]) {
				p.wantLines = append(p.wantLines, line)
			}
			i += j
		case '{', '}', ';':
			toks = append(toks, token{text: string(c), start: i, end: i + 1, line: line})
			specials = append(specials, c)
			i++
		case '"', '\'':
			startLine := line
			var b strings.Builder
			j := i + 1
			for ; j < len(src) && src[j] != c; j++ {
				if src[j] == '\\' && j+1 < len(src) {
					j++
				}
				if src[j] == '\n' {
					line++
				}
				b.WriteByte(src[j])
			}
			if j >= len(src) {
				return nil, fmt.Errorf("line %d: unterminated quote", startLine)
			}
			toks = append(toks, token{text: b.String(), start: i, end: j + 1, line: startLine})
			specials = append(specials, 0)
			i = j + 1
		default:
			j := i
			for j < len(src) && !strings.ContainsRune(" \t\r\n;{}#", rune(src[j])) {
				// A '{' inside a ${var} is part of the word.
				if src[j] == '$' && j+1 < len(src) && src[j+1] == '{' {
					k := strings.IndexByte(src[j:], '}')
					if k > 0 {
						j += k + 1
						continue
					}
				}
				j++
			}
			toks = append(toks, token{text: src[i:j], start: i, end: j, line: line})
			specials = append(specials, 0)
			i = j
		}
	}
	var pos int
	var parse func(depth int) ([]*directive, error)
	parse = func(depth int) ([]*directive, error) {
		var out []*directive
		for pos < len(toks) {
			if specials[pos] == '}' {
				if depth == 0 {
					return nil, fmt.Errorf("line %d: unexpected \"}\"", toks[pos].line)
				}
				return out, nil
			}
			if specials[pos] != 0 {
				return nil, fmt.Errorf("line %d: unexpected %q", toks[pos].line, toks[pos].text)
			}
			d := &directive{name: toks[pos], line: toks[pos].line}
			pos++
			for pos < len(toks) && specials[pos] == 0 {
				d.args = append(d.args, toks[pos])
				pos++
			}
			if pos >= len(toks) {
				return nil, fmt.Errorf("line %d: %s: unexpected end of file", d.line, d.name.text)
			}
			switch specials[pos] {
			case ';':
				d.end = toks[pos].line
				d.stop = toks[pos].end
				pos++
			case '{':
				d.open = toks[pos].end
				pos++
				d.hasBlock = true
				inner, err := parse(depth + 1)
				if err != nil {
					return nil, err
				}
				if pos >= len(toks) {
					return nil, fmt.Errorf("line %d: %s block not closed", d.line, d.name.text)
				}
				d.block = inner
				d.end = toks[pos].line
				d.stop = toks[pos].end
				pos++
			default:
				return nil, fmt.Errorf("line %d: unexpected \"}\"", toks[pos].line)
			}
			out = append(out, d)
		}
		if depth > 0 {
			return nil, fmt.Errorf("unexpected end of file: a block is not closed")
		}
		return out, nil
	}
	top, err := parse(0)
	if err != nil {
		return nil, err
	}
	p.top = top
	return p, nil
}

// walk visits every directive, depth first, with its parent chain.
func walk(ds []*directive, parents []*directive, f func(d *directive, parents []*directive)) {
	for _, d := range ds {
		f(d, parents)
		if d.hasBlock {
			walk(d.block, append(slices.Clip(parents), d), f)
		}
	}
}

// target is a location a client should request, and the server port
// (as written in the fixture's listen) that reaches it.
type target struct {
	listen string // the fixture's listen address, a key of site.ports
	path   string
	line   int // the location's line in the fixture
	wanted bool
}

func (t target) String() string { return fmt.Sprintf("location %s (line %d)", t.path, t.line) }

// site is a fixture ready to run, once ports and a backend are chosen.
type site struct {
	p         *parsed
	http      *directive // a complete nginx.conf's http block; nil for a fragment
	events    bool       // a complete nginx.conf has its own events block
	listens   []string   // distinct listen addresses, in order of appearance
	targets   []target
	upstreams map[string]bool
	// edits rewrite single tokens; the key is the token start.
	timeouts []token // proxy_read_timeout / proxy_send_timeout values
}

func prepareSite(src string) (*site, error) {
	p, err := parseConf(src)
	if err != nil {
		return nil, err
	}
	s := &site{p: p, upstreams: map[string]bool{}}
	// A fixture is an http-context fragment, or a whole nginx.conf when
	// the rule is about the whole file (a map nowhere defined).
	for _, d := range p.top {
		switch d.name.text {
		case "http":
			s.http = d
		case "events":
			s.events = true
		case "server", "upstream":
			if s.http != nil {
				return nil, fmt.Errorf("line %d: %s outside http {} in a complete config", d.line, d.name.text)
			}
		}
	}
	if s.events && s.http == nil {
		return nil, fmt.Errorf("events {} without http {}")
	}
	var problems []string
	walk(p.top, nil, func(d *directive, parents []*directive) {
		switch d.name.text {
		case "upstream":
			if len(d.args) == 1 {
				s.upstreams[d.args[0].text] = true
			}
		case "listen":
			if len(d.args) == 0 {
				problems = append(problems, fmt.Sprintf("line %d: listen without address", d.line))
				return
			}
			for _, a := range d.args[1:] {
				if a.text == "ssl" || a.text == "quic" {
					problems = append(problems, fmt.Sprintf("line %d: listen %s: the e2e test speaks plain HTTP only", d.line, a.text))
				}
			}
			if !slices.Contains(s.listens, d.args[0].text) {
				s.listens = append(s.listens, d.args[0].text)
			}
		case "proxy_read_timeout", "proxy_send_timeout":
			if len(d.args) == 1 {
				s.timeouts = append(s.timeouts, d.args[0])
			}
		case "location":
			if !proxies(d) {
				return
			}
			srv := enclosing(parents, "server")
			if srv == nil {
				problems = append(problems, fmt.Sprintf("line %d: location outside a server", d.line))
				return
			}
			listen := serverListen(srv)
			if listen == "" {
				problems = append(problems, fmt.Sprintf("line %d: server without listen", srv.line))
				return
			}
			path, ok := locationPath(d.args)
			if !ok {
				return
			}
			tg := target{listen: listen, path: path, line: d.line}
			for _, w := range p.wantLines {
				// The innermost proxying location around a want comment.
				if w >= d.line && w <= d.end && !hasInnerProxyingLocation(d, w) {
					tg.wanted = true
				}
			}
			s.targets = append(s.targets, tg)
		}
	})
	if len(problems) > 0 {
		return nil, fmt.Errorf("%s", strings.Join(problems, "; "))
	}
	if len(s.targets) == 0 {
		return nil, fmt.Errorf("no location with proxy_pass: nothing to hand a WebSocket to")
	}
	return s, nil
}

// proxies reports whether a location passes requests itself, directly or
// through an if block (not through a nested location).
func proxies(loc *directive) bool {
	for _, d := range loc.block {
		if d.name.text == "proxy_pass" {
			return true
		}
		if d.name.text == "if" && proxies(d) {
			return true
		}
	}
	return false
}

func hasInnerProxyingLocation(loc *directive, line int) bool {
	found := false
	walk(loc.block, nil, func(d *directive, _ []*directive) {
		if d.name.text == "location" && proxies(d) && line >= d.line && line <= d.end {
			found = true
		}
	})
	return found
}

func enclosing(parents []*directive, name string) *directive {
	for i := len(parents) - 1; i >= 0; i-- {
		if parents[i].name.text == name {
			return parents[i]
		}
	}
	return nil
}

func serverListen(srv *directive) string {
	for _, d := range srv.block {
		if d.name.text == "listen" && len(d.args) > 0 {
			return d.args[0].text
		}
	}
	return ""
}

func isAlnum(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// locationPath picks a request path that the location matches.
func locationPath(args []token) (string, bool) {
	if len(args) == 0 {
		return "", false
	}
	mod, arg := "", args[0].text
	if len(args) > 1 {
		mod, arg = args[0].text, args[1].text
	}
	if strings.HasPrefix(arg, "@") {
		return "", false // a named location is not reachable by URI
	}
	switch mod {
	case "", "=", "^~":
		return arg, true
	case "~", "~*":
		// The literal prefix of the expression: escaped characters are
		// literal, the first unescaped metacharacter ends it.
		var lit strings.Builder
		src := strings.TrimPrefix(arg, "^")
	scan:
		for i := 0; i < len(src); i++ {
			switch c := src[i]; {
			case c == '\\' && i+1 < len(src) && !isAlnum(src[i+1]):
				i++
				lit.WriteByte(src[i])
			case strings.IndexByte(`.*+?()[]{}|\\$`, c) >= 0:
				break scan
			default:
				lit.WriteByte(c)
			}
		}
		re := lit.String()
		if !strings.HasPrefix(re, "/") {
			re = "/" + re
		}
		expr := arg
		if mod == "~*" {
			expr = "(?i)" + arg
		}
		// Only a path the location really matches is a target.
		if rx, err := regexp.Compile(expr); err != nil || !rx.MatchString(re) {
			return "", false
		}
		return re, true
	}
	return "", false
}

// render produces a complete nginx.conf: the fixture with listens on the
// given loopback ports, every proxy target on backend (host:port), every
// proxy timeout passed through scale (nil: unchanged), and prelude at the
// top of http {}. An absolute include of a file this host lacks (a
// deployment file such as Certbot's) is left out; notes say which.
func (s *site) render(ports map[string]int, backend string, scale func(time.Duration) time.Duration, prelude string) (conf string, notes []string, err error) {
	type edit struct {
		start, end int
		text       string
	}
	var edits []edit
	var problems []string
	walk(s.p.top, nil, func(d *directive, parents []*directive) {
		switch d.name.text {
		case "listen":
			port, ok := ports[d.args[0].text]
			if !ok {
				problems = append(problems, fmt.Sprintf("line %d: no port for listen %s", d.line, d.args[0].text))
				return
			}
			edits = append(edits, edit{d.args[0].start, d.args[0].end, "127.0.0.1:" + strconv.Itoa(port)})
		case "proxy_pass":
			if len(d.args) != 1 {
				problems = append(problems, fmt.Sprintf("line %d: proxy_pass wants one argument", d.line))
				return
			}
			a := d.args[0]
			rest, ok := strings.CutPrefix(a.text, "http://")
			if !ok {
				problems = append(problems, fmt.Sprintf("line %d: proxy_pass %s: only http:// targets are run", d.line, a.text))
				return
			}
			hostport, path, _ := strings.Cut(rest, "/")
			if strings.Contains(hostport, "$") {
				problems = append(problems, fmt.Sprintf("line %d: proxy_pass %s: a variable target cannot be rewritten", d.line, a.text))
				return
			}
			if s.upstreams[hostport] {
				return // the upstream's servers are rewritten instead
			}
			if !isLoopbackTarget(hostport) {
				problems = append(problems, fmt.Sprintf("line %d: proxy_pass %s: the e2e only rewrites loopback targets", d.line, a.text))
				return
			}
			text := "http://" + backend
			if strings.Contains(rest, "/") {
				text += "/" + path
			}
			edits = append(edits, edit{a.start, a.end, text})
		case "server":
			if up := enclosing(parents, "upstream"); up != nil && len(d.args) > 0 {
				edits = append(edits, edit{d.args[0].start, d.args[0].end, backend})
			}
		case "include":
			if len(d.args) != 1 || !filepath.IsAbs(d.args[0].text) {
				return // relative: resolved in the temp dir, where siblings are copied
			}
			if _, err := os.Stat(d.args[0].text); err != nil {
				edits = append(edits, edit{d.name.start, d.stop, "# (e2e: left out, not on this host) include " + d.args[0].text + ";\n"})
				notes = append(notes, fmt.Sprintf("line %d: include %s left out: not on this host", d.line, d.args[0].text))
			}
		case "proxy_read_timeout", "proxy_send_timeout":
			if scale == nil || len(d.args) != 1 {
				return
			}
			v, err := parseNginxTime(d.args[0].text)
			if err != nil {
				problems = append(problems, fmt.Sprintf("line %d: %s: %v", d.line, d.name.text, err))
				return
			}
			edits = append(edits, edit{d.args[0].start, d.args[0].end, nginxTime(scale(v))})
		}
	})
	if len(problems) > 0 {
		return "", nil, fmt.Errorf("%s", strings.Join(problems, "; "))
	}
	if s.http != nil {
		edits = append(edits, edit{s.http.open, s.http.open, "\n" + prelude})
	}
	sort.SliceStable(edits, func(i, j int) bool { return edits[i].start > edits[j].start })
	out := s.p.src
	for _, e := range edits {
		out = out[:e.start] + e.text + out[e.end:]
	}
	switch {
	case s.http == nil:
		out = "events {}\nhttp {\n" + prelude + "# ---- fixture ----\n" + out + "\n# ---- end of fixture ----\n}\n"
	case !s.events:
		out = "events {}\n" + out
	}
	return "# generated by the wscheck e2e test\n" + out, notes, nil
}

func isLoopbackTarget(hostport string) bool {
	host, _, err := net.SplitHostPort(hostport)
	if err != nil {
		host = hostport
	}
	return host == "127.0.0.1" || host == "localhost"
}

// parseNginxTime reads nginx time values such as 60, 60s, 1m, 1h30m, 500ms.
func parseNginxTime(v string) (time.Duration, error) {
	if v == "" {
		return 0, fmt.Errorf("empty time")
	}
	units := map[string]time.Duration{
		"ms": time.Millisecond, "s": time.Second, "m": time.Minute, "h": time.Hour,
		"d": 24 * time.Hour, "w": 7 * 24 * time.Hour, "": time.Second,
	}
	var total time.Duration
	re := regexp.MustCompile(`^(\d+)(ms|s|m|h|d|w|)`)
	for rest := v; rest != ""; {
		m := re.FindStringSubmatch(rest)
		if m == nil {
			return 0, fmt.Errorf("bad nginx time %q", v)
		}
		n, _ := strconv.Atoi(m[1])
		total += time.Duration(n) * units[m[2]]
		rest = rest[len(m[0]):]
		if m[2] == "" && rest != "" {
			return 0, fmt.Errorf("bad nginx time %q", v)
		}
	}
	return total, nil
}

// nginxTime writes a duration in milliseconds, which nginx always accepts.
func nginxTime(d time.Duration) string {
	ms := d.Milliseconds()
	if ms < 1 {
		ms = 1
	}
	return strconv.FormatInt(ms, 10) + "ms"
}
