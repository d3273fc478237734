package haproxycheck

import (
	"path/filepath"

	"github.com/wscheck/wscheck/repo"
	"github.com/wscheck/wscheck/report"
)

// Disk reads below the paths only, bounded as every half reads (see
// repo.NewDisk).
func Disk(paths []string) *repo.Disk { return repo.NewDisk(paths, false, repo.Limits{}) }

// Analyze checks each path: a file is read as an HAProxy config, a
// directory is searched for the files repository discovery classifies as
// HAProxy (repo.Classify). A broken file is an error of its own and never
// hides the findings of others. Proxy configs of other kinds that a
// directory holds are not listed here: the nginx half's walk lists them.
func Analyze(fsys repo.FS, paths []string, opts repo.WalkOptions) report.Result {
	var res report.Result
	for _, p := range paths {
		p = filepath.Clean(p)
		st, err := fsys.Stat(p)
		switch {
		case err != nil:
			res.Errors = append(res.Errors, report.FileError{File: p, Message: repo.Reason(err)})
		case st.IsDir():
			inv := repo.Discover(fsys, p, opts)
			res.Errors = append(res.Errors, inv.Errors...) // a directory it could not read
			for _, f := range inv.HAProxy {
				res.Merge(AnalyzeFile(fsys, f))
			}
		default:
			res.Merge(AnalyzeFile(fsys, p))
		}
	}
	return res
}

// AnalyzeFile checks one file known to be an HAProxy config.
func AnalyzeFile(fsys repo.FS, p string) report.Result {
	b, err := fsys.ReadFile(p)
	if err != nil {
		return report.Result{Errors: []report.FileError{{File: p, Message: repo.Reason(err)}}}
	}
	return AnalyzeSource(p, b)
}

// AnalyzeSource checks config text already read.
func AnalyzeSource(p string, b []byte) report.Result {
	f, errs := Parse(p, b)
	if len(errs) > 0 {
		return report.Result{Errors: errs}
	}
	res := check(f)
	res.Summary.HAProxyFiles = 1
	return res
}
