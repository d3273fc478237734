package repo_test

import (
	"fmt"
	"slices"
	"testing"

	"github.com/wscheck/wscheck/repo"
)

// ConfigMap keys map onto where a workload in the same directory mounts
// them: a subPath mount is one file, a directory mount one file per key;
// Helm names match on the same template expression; a ConfigMap in
// another directory, or a key that holds no nginx, maps nothing.
func TestKubeMounts(t *testing.T) {
	mem := &repo.Mem{Files: map[string]repo.MemFile{
		"chart/templates/cm.yaml":     {Data: "kind: ConfigMap\nmetadata:\n  name: {{ include \"c.name\" . }}-nginx\ndata:\n  default.conf: |\n    server { location /ws { proxy_pass http://x; } }\n  script.sh: |\n    echo hi\n"},
		"chart/templates/deploy.yaml": {Data: "kind: Deployment\nspec:\n  template:\n    spec:\n      containers:\n        - name: n\n          volumeMounts:\n            - name: conf\n              mountPath: /etc/nginx/conf.d\n      volumes:\n        - name: conf\n          configMap:\n            name: {{ include \"c.name\" . }}-nginx\n"},
		"other/deploy.yaml":           {Data: "kind: Pod\nspec:\n  containers:\n    - volumeMounts:\n        - name: conf\n          mountPath: /etc/nginx/nginx.conf\n          subPath: default.conf\n  volumes:\n    - name: conf\n      configMap:\n        name: {{ include \"c.name\" . }}-nginx\n"},
	}}
	tfs := repo.NewTemplateFS(mem)
	if _, _, err := tfs.AddYAML("chart/templates/cm.yaml"); err != nil {
		t.Fatal(err)
	}
	maps := repo.KubeMounts(mem, []string{"chart/templates/cm.yaml", "chart/templates/deploy.yaml", "other/deploy.yaml"}, tfs.Virtual)
	var got []string
	for _, m := range maps {
		got = append(got, fmt.Sprintf("%s -> %s (%s, %s)", m.From, repo.DisplayName(m.To), m.Scope, m.Origin))
	}
	want := []string{"/etc/nginx/conf.d/default.conf -> chart/templates/cm.yaml#data.default.conf (chart/templates, chart/templates/deploy.yaml:8)"}
	if !slices.Equal(got, want) {
		t.Errorf("got  %q\nwant %q", got, want)
	}
}

// The official image renders /etc/nginx/templates/X.template into
// /etc/nginx/conf.d/X, subdirectories kept; other files are not rendered.
func TestEnvsubstOutputs(t *testing.T) {
	mem := &repo.Mem{Files: map[string]repo.MemFile{
		"nginx/templates/default.conf.template": {Data: "server {}\n"},
		"nginx/templates/sub/api.conf.template": {Data: "server {}\n"},
		"nginx/templates/README.md":             {Data: "x\n"},
		"other/templates/ignored.conf.template": {Data: "server {}\n"},
	}}
	maps := repo.EnvsubstOutputs(mem, []repo.Mapping{
		{From: "/etc/nginx/templates", To: "nginx/templates", Scope: ".", Origin: "compose.yaml:9"},
		{From: "/etc/nginx/other", To: "other/templates", Scope: ".", Origin: "compose.yaml:10"},
	})
	var got []string
	for _, m := range maps {
		got = append(got, m.From+" -> "+m.To+" "+m.Origin)
	}
	slices.Sort(got)
	want := []string{"/etc/nginx/conf.d/default.conf -> nginx/templates/default.conf.template compose.yaml:9", "/etc/nginx/conf.d/sub/api.conf -> nginx/templates/sub/api.conf.template compose.yaml:9"}
	if !slices.Equal(got, want) {
		t.Errorf("got  %q\nwant %q", got, want)
	}
}
