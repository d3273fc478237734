package repo

import (
	"os"
	"path/filepath"
	"testing"
)

// TestClassify: nginx is told from the brace formats that share its
// words, and other proxies' configs are named, not dropped.
func TestClassify(t *testing.T) {
	cases := []struct {
		name, src string
		want      Kind
	}{
		{"site.conf", "server {\n    listen 80;\n    location /ws { proxy_pass http://a; }\n}\n", Nginx},
		{"sites-enabled/default", "server {\n  listen 80;\n  root /var/www;\n}\n", Nginx},
		{"mod/bbb/notes.nginx", "location /pad {\n    proxy_pass http://etherpad;\n}\n", Nginx},
		{"jvb.conf", "videobridge {\n  http-servers {\n    public {\n      port = 9090\n    }\n  }\n  websockets {\n    enabled = true\n    server-id = \"jvb1\"\n  }\n}\n", Other},
		{"application.conf", "akka {\n  loglevel = \"INFO\"\n  http {\n    server {\n      idle-timeout = 60 s\n    }\n  }\n}\n", Other},
		{"main.tf.conf", "resource \"x\" \"y\" {\n  port = 443\n  include = true\n}\n", Other},
		{"init.conf", "local server = {}\nfunction server.listen(port)\n  return port\nend\n", Other},
		{"redis.conf", "bind 127.0.0.1\nport 6379\n", Other},
		{"Caddyfile", "chat.example.com {\n\treverse_proxy /ws* app:3000\n}\n", NotAnalyzed},
		{"templates/haproxy.cfg.j2", "defaults\n    mode http\n{% for b in backends %}\nbackend {{ b.name }}\n    server a a:1\n{% endfor %}\n", NotAnalyzed},
		{"haproxy.cfg", "defaults\n    mode http\nfrontend www\n    bind :80\nbackend app\n    server a a:1\n", HAProxy},
		{"lb/haproxy.cfg", "frontend www\n    bind :80\n    use_backend ws if { hdr(upgrade) -i websocket }\nbackend ws\n    server a a:1\n", HAProxy},
		{"app/settings.cfg", "backend {\n  url = \"x\"\n}\n", Other},
		{"apache/vhost.conf", "<VirtualHost *:80>\n    ProxyPass /ws ws://app/ws\n</VirtualHost>\n", Apache},
		{"apache/plain.conf", "<VirtualHost *:80>\n    DocumentRoot /var/www\n</VirtualHost>\n", Apache},
		{"k8s/ingress.yaml", "apiVersion: networking.k8s.io/v1\nkind: Ingress\n", Kubernetes},
		{"k8s/route.yaml", "kind: HTTPRoute\n", Kubernetes},
		{"traefik/route.yaml", "kind: IngressRoute\n", NotAnalyzed},
		{"docker-compose.yml", "services: {}\n", LayoutFile},
		{"images/web/Containerfile", "FROM nginx\n", LayoutFile},
		{"values.yaml", "replicas: 1\n", Other},
	}
	for _, c := range cases {
		k, why := Classify(c.name, []byte(c.src))
		if k != c.want {
			t.Errorf("%s: kind %d (%s), want %d", c.name, k, why, c.want)
		}
		if k == NotAnalyzed && why == "" {
			t.Errorf("%s: not analyzed without a reason", c.name)
		}
	}
}

// TestClassifyCorpus: every real-world nginx config of the shared corpus
// is taken for nginx (no real config is mistaken for a decoy).
func TestClassifyCorpus(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("..", "..", "shared", "corpus", "nginx", "*.conf"))
	if len(files) == 0 {
		t.Skip("shared corpus not found beside the repository (it is there in CI)")
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if k, why := Classify(f, b); k != Nginx {
			t.Errorf("%s: kind %d (%s), want nginx", filepath.Base(f), k, why)
		}
	}
}

// TestDiscoverManifestBoth: one manifest with an Ingress, the nginx
// ConfigMap and the Deployment that mounts it feeds the Kubernetes half,
// the nginx strings and the layout alike.
func TestDiscoverManifestBoth(t *testing.T) {
	src := "kind: ConfigMap\ndata:\n  default.conf: |\n    server {\n      location /ws { proxy_pass http://a; }\n    }\n---\nkind: Deployment\n---\nkind: Ingress\n"
	mem := &Mem{Files: map[string]MemFile{"/r/app.yaml": {Data: src}}}
	inv := Discover(mem, "/r", WalkOptions{})
	if len(inv.Kubernetes) != 1 || len(inv.YAML) != 1 || len(inv.Layouts) != 1 || len(inv.NotAnalyzed) != 0 {
		t.Errorf("kubernetes %v, yaml %v, layouts %v, not analyzed %v", inv.Kubernetes, inv.YAML, inv.Layouts, inv.NotAnalyzed)
	}
}
