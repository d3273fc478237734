package nginxcheck

import (
	"path/filepath"

	"github.com/wscheck/wscheck/report"
)

// AnalyzeInTree is what a pre-commit hook needs: the changed files judged in
// the context of the repository's config tree (their includers, maps and
// server-level headers), reporting only findings and errors located in
// them. A changed file the tree walk does not reach is analyzed on its own,
// as a fragment.
func AnalyzeInTree(tree string, files []string, opts Options) report.Result {
	fsys := Disk(append([]string{tree}, files...), opts)
	a := newAnalysis(fsys, opts)
	a.analyzeDir(fsys, filepath.Clean(tree))
	loaded := map[string]bool{}
	for f := range a.files {
		loaded[key(f.Path)] = true
	}
	wanted := map[string]bool{}
	for _, f := range files {
		f = filepath.Clean(f)
		wanted[key(f)] = true
		if !loaded[key(f)] {
			a.maps = nil
			a.within(filepath.Dir(f))
			a.addRoot(f)
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
