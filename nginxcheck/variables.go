package nginxcheck

import (
	"regexp"
	"slices"
	"strings"

	"github.com/wscheck/wscheck/nginxcheck/load"
)

// mapDef is a map block: source variable, entries, default.
type mapDef struct {
	node    *load.Node
	source  string // e.g. "$http_upgrade"
	entries []mapEntry
	def     string
	hasDef  bool
	defNode *load.Node
	// unknown: an unreadable include inside the map could add entries.
	unknown bool
}

type mapEntry struct {
	key, value string
	node       *load.Node
	// re is a regex key compiled once; badRegex: Go cannot compile it.
	re       *regexp.Regexp
	badRegex bool
}

var varRef = regexp.MustCompile(`\$(?:\{([A-Za-z0-9_]+)\}|([A-Za-z0-9_]+))`)

// variables lists the variable names a value refers to ($name or
// ${name}, as varRef reads them), lower-cased. A loop, not varRef: the
// rules ask it of every header value.
func variables(value string) []string {
	var out []string
	for i := 0; i < len(value); i++ {
		if value[i] != '$' {
			continue
		}
		if i+1 < len(value) && value[i+1] == '{' {
			end := i + 2 + nameLen(value[i+2:])
			if end > i+2 && end < len(value) && value[end] == '}' {
				out = append(out, strings.ToLower(value[i+2:end]))
				i = end
			}
			continue // "${" without a closed name refers to nothing
		}
		if n := nameLen(value[i+1:]); n > 0 {
			out = append(out, strings.ToLower(value[i+1:i+1+n]))
			i += n
		}
	}
	return out
}

// nameLen is the length of the variable name s starts with.
func nameLen(s string) int {
	for i := 0; i < len(s); i++ {
		if c := s[i]; (c < 'a' || c > 'z') && (c < 'A' || c > 'Z') && (c < '0' || c > '9') && c != '_' {
			return i
		}
	}
	return len(s)
}

// collectVariables records maps and every other way a config defines a
// variable, anywhere in the tree.
func (m *model) collectVariables() {
	load.Walk(m.tree.Root.Nodes, func(n *load.Node) bool {
		switch n.Name {
		case "map":
			if len(n.Args) == 2 && strings.HasPrefix(n.Args[1], "$") {
				name := strings.ToLower(strings.TrimPrefix(n.Args[1], "$"))
				m.maps[name] = parseMap(n)
				m.defined[name] = true
			}
			return false
		case "geo", "split_clients", "perl_set", "js_set", "set", "auth_request_set", "set_by_lua", "set_by_lua_block", "set_by_lua_file", "set_secure_random_alphanum", "set_real_ip_from_var", "set_md5", "set_sha1", "set_unescape_uri", "set_escape_uri", "set_if_empty", "map_hash", "ssl_preread", "js_var":
			for _, a := range n.Args {
				if strings.HasPrefix(a, "$") {
					m.defined[strings.ToLower(strings.Trim(a, "${}"))] = true
					if n.Name == "set" || n.Name == "perl_set" || n.Name == "js_set" || n.Name == "js_var" || strings.HasPrefix(n.Name, "set_") || n.Name == "auth_request_set" {
						break // only the first argument is defined
					}
				}
			}
		case "location", "if", "server_name", "rewrite":
			// Named regex captures define variables.
			for _, a := range n.Args {
				for _, c := range namedCapture.FindAllStringSubmatch(a, -1) {
					m.defined[strings.ToLower(c[1])] = true
				}
			}
		}
		return true
	})
}

var namedCapture = regexp.MustCompile(`\(\?P?<([A-Za-z0-9_]+)>`)

func parseMap(n *load.Node) *mapDef {
	md := &mapDef{node: n, source: n.Args[0]}
	for _, s := range load.Expand(n.Children) {
		c := s.Node
		switch {
		case c.Include != nil:
			if c.Include.Unknown {
				md.unknown = true
			}
		case load.IsPlaceholder(c.Name) || slices.ContainsFunc(c.Args, load.IsPlaceholder):
			md.unknown = true // template text or a condition decides the entries
		case c.Name == "default" && len(c.Args) == 1:
			md.def, md.hasDef, md.defNode = c.Args[0], true, c
		case c.Name == "hostnames" || c.Name == "volatile":
		case len(c.Args) == 1:
			e := mapEntry{key: c.Name, value: c.Args[0], node: c}
			if pat, ok := strings.CutPrefix(e.key, "~"); ok {
				if p, ci := strings.CutPrefix(pat, "*"); ci {
					pat = "(?i)" + p
				}
				re, err := regexp.Compile(pat)
				e.re, e.badRegex = re, err != nil
			}
			md.entries = append(md.entries, e)
		}
	}
	return md
}

// eval returns what the map yields for a source value, and whether that
// is known (a regex Go cannot compile, or an unseen entry, is not).
func (md *mapDef) eval(input string) (string, bool) {
	v, _, ok := md.match(input)
	return v, ok
}

// match is eval that also returns the entry that yielded the value (the
// default's node, nil for a missing default).
func (md *mapDef) match(input string) (string, *load.Node, bool) {
	if md.unknown {
		return "", nil, false
	}
	for _, e := range md.entries {
		if !strings.HasPrefix(e.key, "~") && strings.EqualFold(strings.TrimPrefix(e.key, `\`), input) {
			return e.value, e.node, true
		}
	}
	for _, e := range md.entries {
		if !strings.HasPrefix(e.key, "~") {
			continue
		}
		if e.badRegex {
			return "", nil, false
		}
		if e.re.MatchString(input) {
			return e.value, e.node, true
		}
	}
	return md.def, md.defNode, true // without default, a map yields ""
}

// builtinPrefixes are the families of variables nginx defines per request.
var builtinPrefixes = []string{"http_", "sent_http_", "sent_trailer_", "cookie_", "arg_", "upstream_http_", "upstream_trailer_", "upstream_cookie_", "jwt_", "ssl_", "geoip_", "geoip2_", "realip_", "proxy_protocol_", "limit_", "upstream_", "secure_link", "memcached_", "invalid_referer", "spdy", "http2", "http3", "quic", "fastcgi_", "gzip_", "mqtt_", "otel_"}

var builtinNames = map[string]bool{}

func init() {
	for _, v := range strings.Fields(`ancient_browser args binary_remote_addr body_bytes_sent bytes_received bytes_sent
		connection connection_requests connection_time connections_active connections_reading connections_waiting
		connections_writing content_length content_type date_gmt date_local document_root document_uri host
		hostname https is_args is_request_port limit_rate modern_browser msec nginx_version pid pipe
		proxy_add_x_forwarded_for proxy_host proxy_port query_string realpath_root remote_addr remote_port
		remote_user request request_body request_body_file request_completion request_filename request_id
		request_length request_method request_port request_time request_uri scheme server_addr server_name
		server_port server_protocol status tcpinfo_rtt tcpinfo_rttvar tcpinfo_snd_cwnd tcpinfo_rcv_space
		time_iso8601 time_local uid_got uid_reset uid_set uri binary_remote_addr`) {
		builtinNames[v] = true
	}
}

func isBuiltin(name string) bool {
	if builtinNames[name] || strings.Trim(name, "0123456789") == "" {
		return true
	}
	for _, p := range builtinPrefixes {
		if strings.HasPrefix(name, p) {
			return true
		}
	}
	return false
}
