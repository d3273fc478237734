package load

import (
	"testing"
)

// TestNodeOffsets: a node's Start and End delimit its directive in the
// source, from its name to its ";" or "}", blocks and Lua bodies included;
// an edit by offsets (an autofix) relies on it.
func TestNodeOffsets(t *testing.T) {
	src := "user www;\nhttp {\n  map $a $b { default \"x;y\"; }\n  server { location /ws { proxy_pass http://a; } }\n  content_by_lua_block { ngx.say(\"}\") }\n}\n"
	nodes, _, err := scan([]byte(src), &File{Path: "x.conf"})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"user":                 "user www;",
		"http":                 src[len("user www;\n") : len(src)-1],
		"map":                  "map $a $b { default \"x;y\"; }",
		"default":              "default \"x;y\";",
		"server":               "server { location /ws { proxy_pass http://a; } }",
		"location":             "location /ws { proxy_pass http://a; }",
		"proxy_pass":           "proxy_pass http://a;",
		"content_by_lua_block": "content_by_lua_block { ngx.say(\"}\") }",
	}
	seen := 0
	Walk(nodes, func(n *Node) bool {
		seen++
		if got := src[n.Start:n.End]; got != want[n.Name] {
			t.Errorf("%s: src[%d:%d] = %q, want %q", n.Name, n.Start, n.End, got, want[n.Name])
		}
		return true
	})
	if seen != len(want) {
		t.Errorf("walked %d nodes, want %d", seen, len(want))
	}
}
