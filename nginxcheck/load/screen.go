package load

import (
	"bytes"
	"strings"
	"unicode/utf8"
)

// readsAlike reports whether gonginx provably reads the file as nginx
// does, so the cross-check can skip its parse (40% of a run's time: its
// lexer reads rune by rune). gonginx's lexer and nginx's tokenizer differ
// only on escapes, backticks (a quote to gonginx), NUL (its end of file), '{' or '}' inside a
// word, quote characters inside a word, a quoted name that a wrapper keys on, a word ending in _by_lua_block
// before '{', CR, and bytes that are not UTF-8; its parser differs, given
// the same tokens, only where a wrapper rewrites or refuses a directive
// (location, include, http, server, upstream and its server entries, Lua
// blocks). A file
// with none of these gets the same tokens and the same tree from both,
// so it is not parsed twice; every other file is cross-checked in full.
// TestReadsAlike and FuzzReadsAlike hold this to gonginx itself.
func readsAlike(src []byte, nodes []*Node, raw map[*Node][]string) bool {
	if bytes.ContainsAny(src, "\\`\r\x00") || !utf8.Valid(src) {
		return false
	}
	return nodesAlike(src, nodes, raw, "")
}

func nodesAlike(src []byte, nodes []*Node, raw map[*Node][]string, parent string) bool {
	for _, n := range nodes {
		if c := src[n.Start]; c == '"' || c == '\'' {
			if specialName(n.Name) {
				return false
			}
		} else if !plainWord(n.Name) {
			return false
		}
		toks, ok := raw[n]
		if !ok {
			toks = n.Args
		}
		for _, t := range toks {
			if t != "" && (t[0] == '"' || t[0] == '\'') {
				continue // a quoted token without backslashes ends at its quote in both
			}
			if !plainWord(t) {
				return false
			}
		}
		switch {
		case isLua(n):
			return false
		case n.Name == "location" && n.Block && (len(n.Args) < 1 || len(n.Args) > 2):
			return false // gonginx refuses it
		case n.Name == "include" && (n.Block || len(n.Args) != 1):
			return false
		case n.Name == "upstream" && n.Block && len(n.Args) != 1:
			return false // gonginx keeps the name alone
		case (n.Name == "http" || n.Name == "server") && n.Block && len(n.Args) > 0:
			return false // gonginx drops a block's arguments
		case n.Name == "server" && !n.Block && !upstreamServerAlike(n, parent):
			return false // gonginx rebuilds a server entry's parameters
		case n.Name == "server" && n.Block && parent == "upstream":
			return false // gonginx reads it as a server entry, without its block
		}
		if n.Block && !nodesAlike(src, n.Children, raw, n.Name) {
			return false
		}
	}
	return true
}

// specialName: a quoted directive name gonginx keeps with its quotes
// (the cross-check strips them), so the wrappers it keys on a bare name
// never see it while the scanner reads the unquoted name: such a name is
// left to the cross-check. Any other quoted name (a map's empty key) reads alike,
// the file holding no backslash.
func specialName(name string) bool {
	switch name {
	case "location", "include", "http", "server", "upstream":
		return true
	}
	return strings.HasSuffix(name, "_by_lua_block") || strings.HasSuffix(name, "_by_lua")
}

// plainWord: a bare word both tokenizers end at the same byte.
func plainWord(w string) bool {
	return !strings.ContainsAny(w, "{}\"'") && !strings.HasSuffix(w, "_by_lua_block")
}

// upstreamServerAlike: an upstream's server entry whose key=value
// parameters gonginx keeps (it stores them in a map by key, sorted; the
// cross-check compares them unordered inside upstream).
func upstreamServerAlike(n *Node, parent string) bool {
	if parent != "upstream" || len(n.Args) == 0 {
		return false
	}
	keys := map[string]bool{}
	for _, a := range n.Args[1:] {
		k, _, ok := strings.Cut(a, "=")
		if ok {
			if keys[k] {
				return false
			}
			keys[k] = true
		}
	}
	return true
}
