package repo_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/wscheck/wscheck/repo"
)

// The loader reads templates neutralized and YAML strings as virtual
// files; reports get the YAML file's name back.
func TestTemplateFS(t *testing.T) {
	mem := &repo.Mem{Files: map[string]repo.MemFile{
		"site.conf.j2": {Data: "server { listen {{ port }}; }\n"},
		"plain.conf":   {Data: "server { listen 80; }\n"},
		"broken.j2":    {Data: "server {\n  listen {{ port ;\n}\n"},
		"cm.yaml":      {Data: "data:\n  a.conf: |\n    server { listen 80; }\n  b.conf: >\n    server { listen 81; }\n  c.conf: \"location / { proxy_pass http://x; }\"\n"},
	}}
	tfs := repo.NewTemplateFS(mem)
	b, err := tfs.ReadFile("site.conf.j2")
	if err != nil || string(b) != "server { listen ¤¤¤¤¤¤¤¤¤¤; }\n" {
		t.Errorf("template read as %q, %v", b, err)
	}
	if d, ok := tfs.Templated("site.conf.j2"); !ok || d != repo.Jinja {
		t.Errorf("site.conf.j2 not recorded as a Jinja template: %v %v", d, ok)
	}
	if b, _ := tfs.ReadFile("plain.conf"); string(b) != "server { listen 80; }\n" {
		t.Errorf("plain file changed: %q", b)
	}
	if _, ok := tfs.Templated("plain.conf"); ok {
		t.Error("plain.conf counted as a template")
	}
	_, err = tfs.ReadFile("broken.j2")
	var te *repo.TemplateError
	if !errors.As(err, &te) || te.Line != 2 || te.Col != 10 {
		t.Errorf("broken template: %v, want a TemplateError at 2:10", err)
	}
	names, skipped, err := tfs.AddYAML("cm.yaml")
	if err != nil || len(names) != 2 || len(skipped) != 1 {
		t.Fatalf("AddYAML: %q %+v %v", names, skipped, err)
	}
	if !strings.Contains(skipped[0].Reason, "data.b.conf (line 4)") || skipped[0].File != "cm.yaml" {
		t.Errorf("skipped %+v", skipped[0])
	}
	for _, n := range names {
		if repo.SourceName(n) != "cm.yaml" || n == "cm.yaml" {
			t.Errorf("virtual name %q: source %q", n, repo.SourceName(n))
		}
		text, err := tfs.ReadFile(n)
		if err != nil || strings.Count(string(text), "\n") != 6 {
			t.Errorf("virtual file %q: %q %v", n, text, err)
		}
	}
	if names[0] == names[1] {
		t.Errorf("two strings share the name %q", names[0])
	}
	if repo.SourceName("a/b.conf") != "a/b.conf" {
		t.Error("a real name is its own source")
	}
}
