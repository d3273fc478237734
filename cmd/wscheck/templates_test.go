package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// A text run over a repository of templates says how many templates it
// analyzed and how many WebSocket locations it judged in them; a template
// that cannot be made into nginx is an error at its construct.
func TestTemplateSummaryLine(t *testing.T) {
	dir, _ := filepath.Abs("../../testdata/repos/ansible-j2")
	broken, _ := filepath.Abs("../../testdata/repos/template-errors")
	t.Chdir(dir)
	_, stderr, code := wsRun(t, dir, "--no-config", ".")
	want := "wscheck: 1 nginx file, 3 WebSocket locations judged, 1 template (3 WebSocket locations in them); 3 findings, 0 errors\n"
	if !strings.HasSuffix(stderr, want) || code != 1 {
		t.Errorf("exit %d, stderr:\n got  %q\n want %q", code, stderr, want)
	}
	t.Chdir(broken)
	stdout, stderr, code := wsRun(t, broken, "--no-config", ".")
	stdout += stderr
	if code != 2 || !strings.Contains(stdout, "templates/ssl.conf.j2:4:1") || !strings.Contains(stdout, "{% else %} ends a branch of {% if ssl %} (1:1)") {
		t.Errorf("exit %d, stdout:\n%s", code, stdout)
	}
}
