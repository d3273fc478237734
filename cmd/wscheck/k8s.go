package main

import (
	"github.com/wscheck/wscheck/k8scheck"
	"github.com/wscheck/wscheck/repo"
	"github.com/wscheck/wscheck/report"
)

// k8sCommand is a function for the reason haproxyCommand is.
func k8sCommand() command {
	return command{
		name: "k8s", usage: "wscheck k8s [flags] PATH...",
		summary: "analyze Kubernetes Ingress and Gateway API HTTPRoute manifests (files or directories)",
		about: "Analyze Kubernetes Ingress and HTTPRoute objects in manifests and Helm templates (template\n" +
			"syntax neutralized): which controller serves each Ingress and whether its annotations apply,\n" +
			"idle and request timeouts on WebSocket paths.",
		args: []argDoc{{"PATH", "a YAML manifest or Helm template (read whatever its name), or a directory to search\n" +
			"for manifests holding an Ingress or HTTPRoute"}},
		examples: []string{
			"wscheck k8s deploy/ingress.yaml",
			"wscheck k8s --format json charts/app/templates/",
		},
		run: runK8s,
	}
}

func runK8s(args []string, e *env) int {
	return runConfigHalf("k8s", analyzeK8s, args, e)
}

// analyzeK8s is the Kubernetes half over paths, for its command and the gate.
func analyzeK8s(paths []string, nf nginxFlags, walks *repo.Walks) report.Result {
	return k8scheck.Analyze(k8scheck.Disk(paths), paths, repo.WalkOptions{Include: nf.include, Exclude: nf.exclude, Walks: walks})
}
