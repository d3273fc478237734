package main

import (
	"strings"
	"testing"
)

// TestFixUsage: contradictory repair flags are bad usage, refused before
// anything is read or written.
func TestFixUsage(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{"app.conf": "server { location /ws { proxy_pass http://b; } }\n"})
	for _, args := range [][]string{
		{"nginx", "--diff", "--fix", "app.conf"},
		{"nginx", "--fix-info", "app.conf"},
		{"nginx", "--fix", "--locations", "app.conf"},
		{"nginx", "--fix", "-"},
		{"--diff", "--fix", "."},
	} {
		_, stderr, code := wsRun(t, dir, args...)
		if code != 2 || !strings.Contains(stderr, "--") {
			t.Errorf("%v: exit %d, stderr %q; want 2 and the flag named", args, code, stderr)
		}
	}
}
