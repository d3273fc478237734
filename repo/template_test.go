package repo_test

import (
	"bytes"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/wscheck/wscheck/nginxcheck/load"
	"github.com/wscheck/wscheck/repo"
)

var update = flag.Bool("update", false, "rewrite the .golden files")

// Each file under testdata/neutralize is neutralized and compared with its
// .golden twin; the result must keep every line's length in characters
// (so every line and column is the template's own) and load as nginx.
func TestNeutralizeGolden(t *testing.T) {
	want := map[string]repo.Dialect{
		"jinja.conf.j2":         repo.Jinja,
		"gotemplate.gtpl":       repo.GoTemplate,
		"vhost.conf.erb":        repo.ERB,
		"default.conf.template": repo.Envsubst,
		"site.conf.tpl":         repo.Terraform,
		"percent.conf":          repo.Percent,
	}
	ents, err := os.ReadDir("testdata/neutralize")
	if err != nil {
		t.Fatal(err)
	}
	seen := 0
	for _, e := range ents {
		name := e.Name()
		if strings.HasSuffix(name, ".golden") {
			continue
		}
		seen++
		t.Run(name, func(t *testing.T) {
			p := filepath.Join("testdata/neutralize", name)
			src, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			nz, err := repo.ReadTemplate(name, src)
			if err != nil {
				t.Fatal(err)
			}
			if d, ok := want[name]; !ok || nz.Dialect != d {
				t.Errorf("dialect %s, want %s", nz.Dialect, d)
			}
			assertSameShape(t, src, nz.Text)
			if nz.Placeholders == 0 {
				t.Errorf("no placeholder found")
			}
			golden := p + ".golden"
			if *update {
				if err := os.WriteFile(golden, nz.Text, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			g, err := os.ReadFile(golden)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(g, nz.Text) {
				t.Errorf("neutralized text differs from %s (go test -run Golden -update to accept):\n%s", golden, nz.Text)
			}
			d := &load.Dump{Files: map[string][]byte{p: nz.Text}, Order: []string{p}}
			tree := load.NewLoader(d, load.Options{}).Load(p)
			for _, e := range tree.Errors {
				t.Errorf("neutralized text does not load: %v", e)
			}
		})
	}
	if seen != len(want) {
		t.Errorf("%d inputs, want %d", seen, len(want))
	}
}

// assertSameShape: same lines, each with as many characters as the source.
func assertSameShape(t *testing.T, src, out []byte) {
	t.Helper()
	a, b := strings.Split(string(src), "\n"), strings.Split(string(out), "\n")
	if len(a) != len(b) {
		t.Fatalf("%d lines, source has %d", len(b), len(a))
	}
	for i := range a {
		if utf8.RuneCountInString(a[i]) != utf8.RuneCountInString(b[i]) {
			t.Errorf("line %d: %d characters, source has %d:\n%q\n%q", i+1, utf8.RuneCountInString(b[i]), utf8.RuneCountInString(a[i]), a[i], b[i])
		}
	}
}

// Directives keep the template's line and column, and template values are
// placeholders the model can recognise.
func TestNeutralizePositions(t *testing.T) {
	src := "server {\n\tlisten {{ port }};\n    location /ws {\n        proxy_pass http://{{ up }}/é;  proxy_read_timeout {{ t }};\n    }\n}\n"
	nz, err := repo.Neutralize(repo.Jinja, []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	d := &load.Dump{Files: map[string][]byte{"f": nz.Text}, Order: []string{"f"}}
	tree := load.NewLoader(d, load.Options{}).Load("f")
	if len(tree.Errors) > 0 {
		t.Fatal(tree.Errors[0])
	}
	type pos struct {
		line, col   int
		placeholder bool
	}
	got := map[string]pos{}
	load.Walk(tree.Root.Nodes, func(n *load.Node) bool {
		got[n.Name] = pos{n.Line, int(n.Col), len(n.Args) > 0 && load.IsPlaceholder(n.Args[len(n.Args)-1])}
		return true
	})
	want := map[string]pos{"server": {1, 1, false}, "listen": {2, 2, true}, "location": {3, 5, false},
		"proxy_pass": {4, 9, true}, "proxy_read_timeout": {4, 40, true}}
	for name, w := range want {
		if got[name] != w {
			t.Errorf("%s at %+v, want %+v", name, got[name], w)
		}
	}
}

// Where a control tag sits decides what it becomes: a marker between
// statements, an opaque word inside a value, nothing inside a comment.
func TestControlTagPlacement(t *testing.T) {
	cases := []struct {
		d        repo.Dialect
		src      string
		contains []string
	}{
		{repo.Jinja, "{% if a %}\nlisten 80;\n{% endif %}\n", []string{load.MarkOpen + ";", load.MarkEnd + ";"}},
		{repo.Jinja, "{% if a %}listen 80;{% else %}listen 81;{% endif %}\n", []string{load.MarkOpen + ";", load.MarkElse + ";", load.MarkEnd + ";"}},
		{repo.Jinja, "proxy_read_timeout {% if a %}1h{% else %}30s{% endif %};\n", []string{"1h¤", "30s¤"}},
		{repo.Jinja, "# {% if a %} not a condition {% endif %}\n", []string{"#            not a condition"}},
		{repo.GoTemplate, "{{- if .a }}\nlisten 80;\n{{- end }}\n", []string{load.MarkOpen + ";", load.MarkEnd + ";"}},
		{repo.GoTemplate, "{{ .Values.extra }}\n", []string{"¤¤¤¤¤¤¤¤¤¤¤¤¤¤¤¤¤¤;"}},
		{repo.GoTemplate, "{{ $x := 1 }}{{/* c */}}listen 80;\n", []string{"                       listen 80;"}},
		{repo.ERB, "<% if @a %>\nlisten 80;\n<% end %>\n", []string{load.MarkOpen + ";", load.MarkEnd + ";"}},
		{repo.ERB, "<% x = 1 if y %>listen <%= @port %>;\n", []string{"                listen ¤¤¤¤¤¤¤¤¤¤¤¤;"}},
		{repo.Terraform, "%{ if a ~}\nlisten 80;\n%{ endif ~}\n", []string{load.MarkOpen + ";", load.MarkEnd + ";"}},
		{repo.Envsubst, "set $x ${host}${HOST};\n", []string{"set $x ${host}¤¤¤¤¤¤¤;"}},
		{repo.Percent, "listen %%port%%;\n", []string{"listen ¤¤¤¤¤¤¤¤;"}},
	}
	for _, c := range cases {
		nz, err := repo.Neutralize(c.d, []byte(c.src))
		if err != nil {
			t.Errorf("%q: %v", c.src, err)
			continue
		}
		for _, s := range c.contains {
			if !strings.Contains(string(nz.Text), s) {
				t.Errorf("%s %q gave %q, want it to contain %q", c.d, c.src, nz.Text, s)
			}
		}
		assertSameShape(t, []byte(c.src), nz.Text)
	}
}

// Template syntax that no nginx tree can stand for is an error naming the
// construct and its own line and column.
func TestNeutralizeErrors(t *testing.T) {
	cases := []struct {
		d         repo.Dialect
		src       string
		line, col int
		msg       string
	}{
		{repo.Jinja, "server {\n  listen {{ port ;\n}\n", 2, 10, "{{ port ; is never closed by }}"},
		{repo.Jinja, "{% if ssl %}\nserver { listen 443;\n{% else %}\nserver { listen 80;\n{% endif %}\n}\n", 3, 1, "ends a branch of {% if ssl %} (1:1) that opens 1 nginx block"},
		{repo.GoTemplate, "server {\n{{ if .a }}\n}\n{{ end }}\n", 4, 1, "closes 1 nginx block"},
		{repo.GoTemplate, "listen 80;\n  {{ end }}\n", 2, 3, "never opened"},
		{repo.ERB, "<% if @a %>\nlisten 80;\n", 1, 1, "<% if @a %> is never closed"},
		{repo.Terraform, "%{ if a }\nlisten ${port;\n%{ endif }\n", 2, 8, "is never closed by }"},
	}
	for _, c := range cases {
		_, err := repo.Neutralize(c.d, []byte(c.src))
		var te *repo.TemplateError
		if !errors.As(err, &te) {
			t.Errorf("%q: got %v, want a repo.TemplateError", c.src, err)
			continue
		}
		if te.Line != c.line || te.Col != c.col || !strings.Contains(err.Error(), c.msg) {
			t.Errorf("%q: got %v (at %d:%d), want %d:%d %q", c.src, err, te.Line, te.Col, c.line, c.col, c.msg)
		}
	}
}

func TestDetectTemplate(t *testing.T) {
	cases := []struct {
		name, src string
		want      repo.Dialect
	}{
		{"nginx.conf", "server { allow {{ .supervisor_ip }}; }", repo.GoTemplate},
		{"site.conf.erb", "server { listen <%= @port %>; }", repo.ERB},
		{"site.conf", "server { listen {{ port }}; }", repo.Jinja},
		{"x.j2", "{% if a %}server {}{% endif %}", repo.Jinja},
		{"x.tpl", "server { listen ${port}; }", repo.Terraform},
		{"x.conf", "server { listen ${host}; }", repo.NoTemplate},
		{"x.conf", "server { listen ${PORT}; }", repo.Envsubst},
		{"default.conf.template", "server { listen $PORT; }", repo.Envsubst},
		{"default.conf", "server { set $x $HOST; }", repo.NoTemplate},
		{"x.conf", "server { listen %%port%%; }", repo.Percent},
		{"x.conf", "server { location ~ ^/a{2}$ { return 204; } }", repo.NoTemplate},
	}
	for _, c := range cases {
		if got := repo.DetectTemplate(c.name, []byte(c.src)); got != c.want {
			t.Errorf("%s %q: %s, want %s", c.name, c.src, got, c.want)
		}
	}
	if base, ok := repo.TemplateName("templates/vhost.conf.j2"); !ok || base != "templates/vhost.conf" {
		t.Errorf("TemplateName: %q %v", base, ok)
	}
	if _, ok := repo.TemplateName("nginx.conf"); ok {
		t.Error("nginx.conf is not a template name")
	}
}

// For line-based formats, control lines and stand-alone expressions are
// blanked and values become placeholders, at the same positions.
func TestNeutralizeText(t *testing.T) {
	src := "{% for b in backends %}\nbackend {{ b.name }}\n  timeout tunnel {{ t }}\n{{ extra }}\n{% endfor %}\n"
	out, err := repo.NeutralizeText(repo.Jinja, []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	want := "                       \nbackend ¤¤¤¤¤¤¤¤¤¤¤¤\n  timeout tunnel ¤¤¤¤¤¤¤\n           \n            \n"
	if string(out) != want {
		t.Errorf("got %q\nwant %q", out, want)
	}
	if _, err := repo.NeutralizeText(repo.Jinja, []byte("{% if a %}\n")); err == nil {
		t.Error("an unclosed {% if %} is an error in every mode")
	}
}
