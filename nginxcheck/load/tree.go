// Package load reads nginx configuration the way nginx does: statements
// with their file, line and column, includes spliced in place and resolved
// against the conf prefix, and every syntax error nginx would report.
package load

import "strings"

// Node is one directive. Nodes of an included file are shared by every
// include site, so the tree is read-only once loaded.
type Node struct {
	Name     string
	Args     []string // as nginx reads them: unquoted, escapes resolved
	File     *File
	Line     int
	Children []*Node
	Include  *Include // set on include directives
	// The rest is 32-bit: a large config has millions of nodes, and no
	// file the loader reads (repo.Limits, at most 2 GiB) needs more.
	Col, EndLine int32
	// Start and End are byte offsets in the file: src[Start:End] runs from
	// the directive's name through its ";" or closing "}"; Open is a
	// block's "{". Repairs edit the text there (nginxcheck/fix.go).
	Start, End, Open int32
	Block            bool
}

// Arg returns the i-th argument or "".
func (n *Node) Arg(i int) string {
	if i < len(n.Args) {
		return n.Args[i]
	}
	return ""
}

// Include is what an include directive brought in.
type Include struct {
	Files []*File
	// Unknown: the file could not be read, so whatever it could set at this
	// level is unknown to the rules.
	Unknown bool
	Reason  string // why it could not be read: "no such file or directory", ...
	// Broken: the file is there but unreadable or invalid, which is an
	// error of its own rather than an unresolved include.
	Broken bool
}

// File is one parsed config file.
type File struct {
	Path     string
	Nodes    []*Node
	Comments map[int]Comment // by line, for ignore and marker comments
}

// Comment is a '#' comment; Trailing when a statement precedes it on its line.
type Comment struct {
	Text     string
	Trailing bool
}

// Context is the nginx block a file's top level sits in.
type Context int

const (
	Main     Context = iota // a complete nginx.conf: http, events, ...
	HTTP                    // a conf.d-style fragment: server, upstream, map
	Server                  // a snippet of locations
	Location                // a snippet of bare directives
)

// ContextOf infers the context a file's top-level directives imply.
func ContextOf(nodes []*Node) Context {
	ctx := Location
	for _, n := range nodes {
		switch n.Name {
		case "http", "events", "stream", "worker_processes", "user", "pid", "load_module", "worker_rlimit_nofile":
			return Main
		case "server", "upstream", "map", "geo", "split_clients", "proxy_cache_path", "limit_req_zone", "limit_conn_zone", "log_format":
			if ctx > HTTP {
				ctx = HTTP
			}
		case "location", "listen", "server_name":
			if ctx > Server {
				ctx = Server
			}
		}
	}
	return ctx
}

// Walk visits nodes depth-first in source order, descending into blocks and
// included files; fn returning false skips a node's children.
func Walk(nodes []*Node, fn func(*Node) bool) {
	for _, n := range nodes {
		if !fn(n) {
			continue
		}
		if n.Include != nil {
			for _, f := range n.Include.Files {
				Walk(f.Nodes, fn)
			}
		}
		Walk(n.Children, fn)
	}
}

// Expand returns a level's directives with includes spliced in place, as
// nginx sees them; each result carries the node at this level it came
// through (itself, or the outermost include).
func Expand(nodes []*Node) []Spliced {
	// Sized exactly: every level of a large config is expanded, and the
	// model keeps the result.
	out := make([]Spliced, 0, expandedLen(nodes))
	var rec func(nodes []*Node, via *Node)
	rec = func(nodes []*Node, via *Node) {
		for _, n := range nodes {
			site := via
			if site == nil {
				site = n
			}
			out = append(out, Spliced{n, site})
			if n.Include != nil {
				for _, f := range n.Include.Files {
					rec(f.Nodes, site)
				}
			}
		}
	}
	rec(nodes, nil)
	return out
}

func expandedLen(nodes []*Node) int {
	n := len(nodes)
	for _, d := range nodes {
		if d.Include != nil {
			for _, f := range d.Include.Files {
				n += expandedLen(f.Nodes)
			}
		}
	}
	return n
}

// Spliced is a directive seen at a level, with the node at that level that
// brought it there.
type Spliced struct {
	Node *Node
	Site *Node
}

// IsTemplate reports template placeholders nginx would not accept.
func IsTemplate(src string) bool {
	return strings.Contains(src, "{{") || strings.Contains(src, "{%")
}
