package k8scheck

import (
	"errors"

	"github.com/wscheck/wscheck/repo"
	"github.com/wscheck/wscheck/report"
)

// Disk reads below the paths only, bounded as every half reads (see
// repo.NewDisk).
func Disk(paths []string) *repo.Disk { return repo.NewDisk(paths, false, repo.Limits{}) }

// Reader is this half as discovery feeds it: the manifests it classifies
// as holding an Ingress or HTTPRoute, each analyzed on its own.
var Reader = repo.Half{
	Files:   func(inv *repo.Inventory) []string { return inv.Kubernetes },
	Analyze: repo.PerFile(AnalyzeSource),
}

// Analyze checks each path: a file is read as Kubernetes YAML, a directory
// is searched for the manifests and Helm templates with Ingress or
// HTTPRoute objects (repo.Classify).
func Analyze(fsys repo.FS, paths []string, opts repo.WalkOptions) report.Result {
	return Reader.Run(fsys, paths, opts)
}

// AnalyzeFile checks one YAML file.
func AnalyzeFile(fsys repo.FS, p string) report.Result { return repo.CheckFile(fsys, p, AnalyzeSource) }

// AnalyzeSource checks YAML text already read: every document, Helm
// template syntax neutralized. A file without an Ingress or HTTPRoute is
// not counted and not an error; one that does not parse is an error at
// its line.
func AnalyzeSource(p string, b []byte) report.Result {
	f, err := repo.ReadYAML(p, b)
	var te *repo.TemplateError
	var ye *repo.YAMLError
	switch {
	case errors.As(err, &te):
		return report.Result{Errors: []report.FileError{{File: p, Line: te.Line, Column: te.Col, Message: te.Reason()}}}
	case errors.As(err, &ye):
		return report.Result{Errors: []report.FileError{{File: p, Line: ye.Line, Message: "YAML: " + ye.Msg}}}
	case err != nil:
		return report.Result{Errors: []report.FileError{{File: p, Message: err.Error()}}}
	}
	r := newReader(f)
	var objs []*object
	for _, d := range f.Docs {
		objs = append(objs, r.objects(d)...)
	}
	if len(objs) == 0 && repo.IsHelmValues(p) {
		for _, d := range f.Docs {
			objs = append(objs, r.valuesAnnotations(d, "")...)
		}
	}
	if len(objs) == 0 {
		return report.Result{}
	}
	res := report.Result{Findings: report.ApplyIgnores(check(p, objs), collectIgnores(p, f))}
	res.Summary.KubernetesFiles = 1
	return res
}
