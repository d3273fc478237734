package repo_test

import (
	"testing"

	"github.com/wscheck/wscheck/repo"
)

// Discovery takes templates by name and by content, judges them on the
// nginx text they leave, and still hands a template that cannot be
// neutralized to the loader, whose error names the construct.
func TestClassifyTemplates(t *testing.T) {
	cases := []struct {
		path, src string
		want      repo.Kind
	}{
		{"roles/x/templates/vhost.conf.j2", "server {\n{% if a %}\n  listen {{ port }};\n{% endif %}\n}\n", repo.Nginx},
		{"addon/rootfs/etc/nginx/nginx.conf", "server {\n  allow {{ .supervisor_ip }};\n  location / { proxy_pass http://x; }\n}\n", repo.Nginx},
		{"t/ingress.gtpl", "server {\n  listen {{ .port }};\n}\n", repo.Nginx},
		{"nginx/templates/default.conf.template", "server {\n  listen ${NGINX_PORT};\n}\n", repo.Nginx},
		{"cookbooks/c/templates/site.conf.erb", "server {\n<% if @a %>\n  listen <%= @port %>;\n<% end %>\n}\n", repo.Nginx},
		{"mod/nginx/bigbluebutton", "location /ws {\n  proxy_pass http://x;\n}\n", repo.Nginx},
		{"t/broken.conf.j2", "server {\n{% if a %}\n  listen 80;\n", repo.Nginx},
		// A Go template of HOCON stays a decoy once neutralized.
		{"jicofo/rootfs/defaults/jicofo.conf", "jicofo {\n  {{ if .Env.X }}\n  authentication {\n    enabled = true\n    type = {{ .Env.T }}\n  }\n  {{ end }}\n}\n", repo.Other},
		{"chart/templates/_helpers.tpl", "{{- define \"x.name\" -}}\n{{ .Chart.Name }}\n{{- end }}\n", repo.Other},
		{"chart/templates/configmap.yaml", "kind: ConfigMap\ndata:\n  default.conf: |\n    server {\n        proxy_pass http://x;\n    }\n", repo.NginxYAML},
		{"chart/values.yaml", "snippet: |\n  location /ws {\n    proxy_pass http://x;\n  }\n", repo.NginxYAML},
	}
	for _, c := range cases {
		if got, why := repo.Classify(c.path, []byte(c.src)); got != c.want {
			t.Errorf("%s: kind %v (%s), want %v", c.path, got, why, c.want)
		}
	}
}

func TestClassifyBIND(t *testing.T) {
	named := "include \"/etc/rndc.key\";\noptions {\n  listen-on port {{ port }} { any; };\n  directory \"/var/lib/named\";\n  allow-new-zones yes;\n};\n"
	if got, _ := repo.Classify("roles/designate/templates/named.conf.j2", []byte(named)); got != repo.Other {
		t.Errorf("BIND named.conf taken for %v", got)
	}
	// A stray "};" alone does not make an nginx file BIND: nginx's error stays.
	typo := "server {\n  listen 80;\n  location / { proxy_pass http://x; }\n};\n"
	if got, _ := repo.Classify("conf.d/site.conf", []byte(typo)); got != repo.Nginx {
		t.Errorf("nginx file with a stray ; taken for %v", got)
	}
}
