package repo_test

import (
	"bytes"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/wscheck/wscheck/nginxcheck/load"
	"github.com/wscheck/wscheck/repo"
)

// loadText loads neutralized text as nginx, failing on any error.
func loadText(t *testing.T, name string, text []byte) *load.Tree {
	t.Helper()
	d := &load.Dump{Files: map[string][]byte{name: text}, Order: []string{name}}
	tree := load.NewLoader(d, load.Options{}).Load(name)
	for _, e := range tree.Errors {
		t.Errorf("%s does not load: %v", name, e)
	}
	return tree
}

func positions(tree *load.Tree) map[string][2]int {
	out := map[string][2]int{}
	if tree.Root == nil {
		return out
	}
	load.Walk(tree.Root.Nodes, func(n *load.Node) bool {
		if _, seen := out[n.Name]; !seen {
			out[n.Name] = [2]int{n.Line, int(n.Col)}
		}
		return true
	})
	return out
}

func TestExtractYAMLConfigMap(t *testing.T) {
	const name = "testdata/yaml/configmap.yaml"
	src, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	found, skipped, err := repo.ExtractYAML(name, src)
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, e := range found {
		keys = append(keys, e.Key)
		assertSameShape(t, src, e.Text)
	}
	if strings.Join(keys, " ") != "data.default.conf data.inline.conf" {
		t.Fatalf("found %v, want data.default.conf and data.inline.conf (not the script, not the annotation)", keys)
	}
	// Directives sit at the YAML file's own lines and columns.
	if got := positions(loadText(t, name, found[0].Text)); got["server"] != [2]int{12, 5} || got["proxy_pass"] != [2]int{15, 13} {
		t.Errorf("default.conf positions %v, want server 12:5, proxy_pass 15:13", got)
	}
	if got := positions(loadText(t, name, found[1].Text)); got["location"] != [2]int{18, 17} || got["proxy_pass"] != [2]int{18, 35} {
		t.Errorf("inline.conf positions %v, want location 18:17, proxy_pass 18:35", got)
	}
	if found[0].Line != 12 || found[0].Col != 1 || found[1].Line != 18 || found[1].Col != 17 {
		t.Errorf("text starts at %d:%d and %d:%d", found[0].Line, found[0].Col, found[1].Line, found[1].Col)
	}
	// Strings whose text is not the file's are named, with the reason.
	want := map[string]string{"data.folded.conf": "folded block scalar", "data.escaped.conf": "escapes"}
	if len(skipped) != len(want) {
		t.Fatalf("skipped %+v, want %v", skipped, want)
	}
	for _, s := range skipped {
		if !strings.Contains(s.Reason, want[s.Key]) || s.Line == 0 {
			t.Errorf("skipped %+v, want reason %q", s, want[s.Key])
		}
	}
}

// A Helm template is not YAML until its syntax is neutralized; the nginx
// text inside then keeps placeholders and condition markers at the
// template's own positions.
func TestExtractYAMLHelm(t *testing.T) {
	const name = "testdata/yaml/helm-configmap.yaml"
	src, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	found, skipped, err := repo.ExtractYAML(name, src)
	if err != nil {
		t.Fatal(err)
	}
	if len(found) != 1 || len(skipped) != 0 || found[0].Key != "data.default.conf" || found[0].Dialect != repo.GoTemplate {
		t.Fatalf("found %+v, skipped %+v", found, skipped)
	}
	e := found[0]
	assertSameShape(t, src, e.Text)
	golden := name + ".golden"
	if *update {
		if err := os.WriteFile(golden, e.Text, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	g, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(g, e.Text) {
		t.Errorf("text differs from %s:\n%s", golden, e.Text)
	}
	tree := loadText(t, name, e.Text)
	got := positions(tree)
	for n, w := range map[string][2]int{"upstream": {11, 5}, "server": {13, 9}, "listen": {17, 9}, load.MarkOpen: {12, 5}, "location": {19, 9}, "proxy_read_timeout": {21, 13}} {
		if got[n] != w {
			t.Errorf("%s at %v, want %v", n, got[n], w)
		}
	}
	if e.Placeholders != 3 || e.Conditions != 2 {
		t.Errorf("%d placeholders, %d conditions; want 3 and 2", e.Placeholders, e.Conditions)
	}
}

func TestExtractYAMLErrors(t *testing.T) {
	_, _, err := repo.ExtractYAML("bad.yaml", []byte("a: b\n c: d: e\n"))
	var ye *repo.YAMLError
	if !errors.As(err, &ye) || ye.Line != 2 {
		t.Errorf("got %v, want a YAML error at line 2", err)
	}
	_, _, err = repo.ExtractYAML("t.yaml", []byte("data:\n  x: |\n    server {\n      listen {{ .port ;\n    }\n"))
	var te *repo.TemplateError
	if !errors.As(err, &te) || te.Line != 4 || te.Col != 14 {
		t.Errorf("got %v, want a template error at 4:14", err)
	}
}
