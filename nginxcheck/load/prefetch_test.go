package load

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/wscheck/wscheck/repo"
)

// describe writes down everything a tree holds that the analysis reads.
func describe(t *Tree) string {
	var b strings.Builder
	for _, f := range t.Files {
		fmt.Fprintf(&b, "file %s\n", f.Path)
		Walk(f.Nodes, func(n *Node) bool {
			fmt.Fprintf(&b, "  %s %q %d:%d-%d [%d,%d) block=%v include=%v\n", n.Name, n.Args, n.Line, n.Col, n.EndLine, n.Start, n.End, n.Block, n.Include != nil)
			return true
		})
	}
	for _, e := range t.Errors {
		fmt.Fprintf(&b, "error %v\n", e)
	}
	for _, n := range t.Unresolved {
		fmt.Fprintf(&b, "unresolved %s:%d\n", n.File.Path, n.Line)
	}
	return b.String()
}

// TestPrefetchSameTree: parsing a glob's files concurrently gives the tree
// parsing them one by one gives: the same files in the same order, nodes,
// errors (a broken file, an unreadable one, a budget run out) and includes.
func TestPrefetchSameTree(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("nginx.conf", "events {}\nhttp {\n    include conf.d/*.conf;\n    include again/*.conf;\n}\n")
	for i := range 24 {
		body := fmt.Sprintf("server {\n    listen %d;\n    location /ws%d { proxy_pass http://b; include snippets/s%d.conf; }\n}\n", 8000+i, i, i%3)
		switch i {
		case 5:
			body = "server { location / { proxy_pass http://b; }\n" // unclosed
		case 9:
			body = "server { location = /a b { } }\n" // gonginx is asked, and refuses
		case 13:
			body = "map $http_upgrade $c { default upgrade; '' close; }\n"
		}
		write(fmt.Sprintf("conf.d/%02d.conf", i), body)
	}
	write("snippets/s0.conf", "proxy_http_version 1.1;\n")
	write("snippets/s1.conf", "proxy_set_header Upgrade $http_upgrade;\n")
	write("again/00.conf", "server { listen 1; }\n")
	if err := os.Symlink("missing.conf", filepath.Join(dir, "conf.d", "50.conf")); err != nil {
		t.Fatal(err)
	}
	load := func(procs int, lim repo.Limits) string {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
		l := NewLoader(repo.NewDisk([]string{dir}, false, lim), Options{})
		return describe(l.Load(filepath.Join(dir, "nginx.conf")))
	}
	for _, lim := range []repo.Limits{repo.DefaultLimits, {MaxFileSize: 1 << 20, MaxTotal: 900}} {
		one, many := load(1, lim), load(4, lim)
		if one != many {
			t.Errorf("limits %+v: the tree differs when parsed concurrently\none by one:\n%s\nconcurrently:\n%s", lim, one, many)
		}
		if !strings.Contains(one, "error") || !strings.Contains(one, "file "+filepath.Join(dir, "conf.d", "23.conf")) && lim.MaxTotal > 900 {
			t.Errorf("limits %+v: the tree misses its errors or files:\n%s", lim, one)
		}
	}
}
