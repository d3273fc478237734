package repo

import (
	"strings"
	"testing"
)

const helmConfigMap = `apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ include "a.fullname" . }}-nginx
data:
  default.conf: |
    server { listen 80; }
`

const helmDeployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: proxy
spec:
  template:
    spec:
      containers:
        - name: nginx
          volumeMounts:
            - name: conf
              mountPath: /etc/nginx/conf.d/default.conf
              subPath: default.conf
      volumes:
        - name: conf
          configMap:
            name: {{ include "NAME.fullname" . }}-nginx
`

// TestKubernetesMounts: a mounted ConfigMap key maps its mount path onto
// the key's text; Helm names are compared as written, so two different
// template expressions of the same length do not match.
func TestKubernetesMounts(t *testing.T) {
	for _, c := range []struct {
		name string
		want int
	}{{"a", 1}, {"b", 0}} {
		mem := &Mem{Files: map[string]MemFile{
			"/c/templates/configmap.yaml":  {Data: helmConfigMap},
			"/c/templates/deployment.yaml": {Data: strings.Replace(helmDeployment, "NAME", c.name, 1)},
		}}
		var l Layout
		l.kubernetes(mem, []string{"/c/templates/configmap.yaml", "/c/templates/deployment.yaml"})
		if len(l.Maps) != c.want {
			t.Fatalf("%s: %d mappings %+v, want %d", c.name, len(l.Maps), l.Maps, c.want)
		}
		if c.want == 1 {
			m := l.Maps[0]
			if m.From != "/etc/nginx/conf.d/default.conf" || m.To != VirtualName("/c/templates/configmap.yaml", "data.default.conf") || m.Origin != "/c/templates/deployment.yaml:11" {
				t.Errorf("mapping %+v", m)
			}
		}
	}
}
