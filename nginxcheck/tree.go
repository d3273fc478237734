package nginxcheck

import (
	"path/filepath"

	"github.com/wscheck/wscheck/nginxcheck/load"
	"github.com/wscheck/wscheck/report"
)

// AnalyzeInTree is what a pre-commit hook needs: the changed files judged in
// the context of the repository's config tree (their includers, maps and
// server-level headers), reporting only findings and errors located in
// them. A changed file the tree walk does not reach is analyzed on its own,
// as a fragment.
func AnalyzeInTree(tree string, files []string, opts Options) report.Result {
	a := newAnalysis(load.OS{}, opts)
	a.within(filepath.Clean(tree))
	a.analyzeDir(filepath.Clean(tree))
	loaded := map[string]bool{}
	for f := range a.files {
		loaded[key(f.Path)] = true
	}
	wanted := map[string]bool{}
	for _, f := range files {
		f = filepath.Clean(f)
		wanted[key(f)] = true
		if !loaded[key(f)] {
			a.within(filepath.Dir(f))
			a.addTree(a.loader.Load(f))
		}
	}
	res := a.finish()
	var out report.Result
	for _, f := range res.Findings {
		if wanted[key(f.File)] {
			out.Findings = append(out.Findings, f)
		}
	}
	for _, e := range res.Errors {
		if wanted[key(e.File)] {
			out.Errors = append(out.Errors, e)
		}
	}
	return out
}

// key identifies a file however it was reached: sites-enabled/x is usually
// a symlink to sites-available/x, and both name the same config.
func key(p string) string {
	if real, err := filepath.EvalSymlinks(p); err == nil {
		p = real
	}
	if abs, err := filepath.Abs(p); err == nil {
		return abs
	}
	return filepath.Clean(p)
}
