package load

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// screenSeeds are the repository's configs, and the shared syntax corpus
// when it sits beside the repository.
func screenSeeds(tb testing.TB) map[string][]byte {
	tb.Helper()
	out := map[string][]byte{}
	for _, root := range []string{"../testdata/rules", "../../testdata", "../../../shared/corpus/syntax", "../../../shared/corpus/nginx"} {
		_ = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() && (strings.HasSuffix(p, ".conf") || strings.HasSuffix(p, ".nginx")) {
				if b, err := os.ReadFile(p); err == nil {
					out[p] = b
				}
			}
			return nil
		})
	}
	if len(out) == 0 {
		tb.Fatal("no config fixtures found")
	}
	return out
}

// agreesWithGonginx fails when the screen lets through a file gonginx
// reads differently: the cross-check would have refused it.
func agreesWithGonginx(t *testing.T, name string, src []byte) bool {
	nodes, sc, err := scan(src, &File{Path: name})
	if err != nil || sc.blankedLua || !readsAlike(src, nodes, sc.raw) {
		return false
	}
	if err := crossCheck(src, nodes, sc.raw); err != nil {
		t.Errorf("%s: the screen skipped gonginx, which disagrees: %v", name, err)
	}
	return true
}

// TestReadsAlike: on every fixture, a file the screen lets skip the
// gonginx parse is one gonginx reads exactly as nginx does, and every
// construct gonginx misreads is sent to the full cross-check.
func TestReadsAlike(t *testing.T) {
	alike := 0
	for name, src := range screenSeeds(t) {
		if agreesWithGonginx(t, name, src) {
			alike++
		}
	}
	if alike == 0 {
		t.Fatal("the screen let no fixture skip gonginx: it saves nothing")
	}
	plain := "http {\n  map $http_upgrade $c { default upgrade; '' close; \"~x\" y; }\n  upstream u { server 127.0.0.1:1 weight=2 max_fails=3 backup; }\n  server { listen 80; location ~ \"^/a{1,2}$\" { add_header X \"a; b\" always; proxy_pass http://u; } }\n}\n"
	if !agreesWithGonginx(t, "plain.conf", []byte(plain)) {
		t.Error("a plain config was sent to the full cross-check")
	}
	for _, trap := range []string{
		"add_header X a\\;b;\n",                        // gonginx splits the word at "\;"
		"add_header X a}b;\n",                          // gonginx ends a word at '}'
		"add_header X `a b`;\n",                        // a backtick is a quote to gonginx
		"set $a \"x\\\\\";\n",                          // an escaped backslash before the closing quote
		"location = /a b { }\n",                        // gonginx refuses three location arguments
		"upstream u { server a weight=1 weight=2; }\n", // gonginx keeps one weight
		"server { server a weight=1; }\n",              // gonginx rebuilds any server entry
		"content_by_lua_block { ngx.say(1) }\n",
		"server x { }\n", // gonginx drops a server block's arguments
		"upstream a b { }\n",
		"upstream u { server { listen 80; } }\n",
		"x a_by_lua_block { }\n",
		"\"location\" /a { }\n", // gonginx keeps the quotes: no location wrapper
		"http { '' x; }\n\"include\" a.conf;\n",
		"add_header X y;\r\n",
		"add_header X \xe9;\n",
		"add_header X a\x00b;\n",
	} {
		nodes, sc, err := scan([]byte(trap), &File{Path: "trap.conf"})
		if err != nil {
			continue // refused by nginx's own rules already
		}
		if readsAlike([]byte(trap), nodes, sc.raw) {
			t.Errorf("%q: the screen skips gonginx on a construct it may misread", trap)
		}
	}
}

// FuzzReadsAlike holds the screen to gonginx on any input: go test -fuzz
// FuzzReadsAlike ./nginxcheck/load.
func FuzzReadsAlike(f *testing.F) {
	for _, src := range screenSeeds(f) {
		f.Add(src)
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		agreesWithGonginx(t, "fuzz.conf", src)
	})
}
