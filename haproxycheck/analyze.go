package haproxycheck

import (
	"github.com/wscheck/wscheck/repo"
	"github.com/wscheck/wscheck/report"
)

// Disk reads below the paths only, bounded as every half reads (see
// repo.NewDisk).
func Disk(paths []string) *repo.Disk { return repo.NewDisk(paths, false, repo.Limits{}) }

// Reader is this half as discovery feeds it: the files it classifies as
// HAProxy (repo.Classify), each analyzed on its own.
var Reader = repo.Half{
	Files:   func(inv *repo.Inventory) []string { return inv.HAProxy },
	Analyze: repo.PerFile(AnalyzeSource),
}

// Analyze checks each path: a file is read as an HAProxy config, a
// directory is searched for HAProxy configs (repo.Half.Run). A broken file
// is an error of its own and never hides the findings of others.
func Analyze(fsys repo.FS, paths []string, opts repo.WalkOptions) report.Result {
	return Reader.Run(fsys, paths, opts)
}

// AnalyzeFile checks one file known to be an HAProxy config.
func AnalyzeFile(fsys repo.FS, p string) report.Result { return repo.CheckFile(fsys, p, AnalyzeSource) }

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
