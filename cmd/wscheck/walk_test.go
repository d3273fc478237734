package main

import (
	"io/fs"
	"testing"

	"github.com/wscheck/wscheck/apachecheck"
	"github.com/wscheck/wscheck/haproxycheck"
	"github.com/wscheck/wscheck/k8scheck"
	"github.com/wscheck/wscheck/nginxcheck"
	"github.com/wscheck/wscheck/repo"
	"github.com/wscheck/wscheck/report"
)

type countingFS struct {
	repo.FS
	reads map[string]int
}

func (c *countingFS) ReadDir(name string) ([]fs.DirEntry, error) {
	c.reads[name]++
	return c.FS.ReadDir(name)
}

// TestOneWalkFeedsEveryHalf: the gate's halves share one repo.Walks, so
// each directory of the repository is read once and every half still
// finds its files in that one inventory.
func TestOneWalkFeedsEveryHalf(t *testing.T) {
	cfs := &countingFS{FS: &repo.Mem{Files: map[string]repo.MemFile{
		"/r/nginx/site.conf":       {Data: "server {\n    location /ws {\n        proxy_pass http://app;\n    }\n}\n"},
		"/r/lb/haproxy.cfg":        {Data: "defaults\n    mode http\nbackend app\n    server a 10.0.0.1:80\n"},
		"/r/httpd/chat.conf":       {Data: "<VirtualHost *:80>\n    ProxyPass /ws ws://app/ws\n</VirtualHost>\n"},
		"/r/k8s/ingress.yaml":      {Data: "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: a\n"},
		"/r/deploy/deep/README.md": {Data: "x"},
	}}, reads: map[string]int{}}
	walks := &repo.Walks{}
	paths := []string{"/r"}
	res := nginxcheck.AnalyzeFS(cfs, paths, nginxcheck.Options{Walks: walks})
	wo := repo.WalkOptions{Walks: walks}
	for _, half := range []func() report.Result{
		func() report.Result { return haproxycheck.Analyze(cfs, paths, wo) },
		func() report.Result { return apachecheck.Analyze(cfs, paths, wo) },
		func() report.Result { return k8scheck.Analyze(cfs, paths, wo) },
	} {
		res.Merge(half())
	}
	for _, dir := range []string{"/r", "/r/nginx", "/r/lb", "/r/httpd", "/r/k8s", "/r/deploy/deep"} {
		if cfs.reads[dir] != 1 {
			t.Errorf("%s read %d times, want once", dir, cfs.reads[dir])
		}
	}
	s := res.Summary
	if s.Files != 1 || s.HAProxyFiles != 1 || s.ApacheFiles != 1 || s.KubernetesFiles != 1 {
		t.Errorf("every half must find its file in the shared walk: %+v", s)
	}
}
