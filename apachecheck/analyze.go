package apachecheck

import (
	"github.com/wscheck/wscheck/repo"
	"github.com/wscheck/wscheck/report"
)

// Disk reads below the paths only, bounded as every half reads (see
// repo.NewDisk).
func Disk(paths []string) *repo.Disk { return repo.NewDisk(paths, false, repo.Limits{}) }

// Reader is this half as discovery feeds it: the files it classifies as
// Apache configs (repo.Classify), analyzed together so that a file another
// includes is judged only through its includer, and balancers count for
// every vhost.
var Reader = repo.Half{
	Files:   func(inv *repo.Inventory) []string { return inv.Apache },
	Analyze: analyzeFiles,
}

// Analyze checks each path: a file is read as an httpd config with what it
// includes; a directory is searched for Apache configs (repo.Half.Run).
func Analyze(fsys repo.FS, paths []string, opts repo.WalkOptions) report.Result {
	return Reader.Run(fsys, paths, opts)
}

func analyzeFiles(fsys repo.FS, top string, files []string) report.Result {
	var res report.Result
	trees := map[string]*Tree{}
	included := map[string]bool{}
	for _, f := range files {
		t := Load(fsys, top, f)
		trees[f] = t
		for _, inc := range t.Files[min(1, len(t.Files)):] {
			included[inc] = true
		}
	}
	balancers := map[string][]string{}
	for _, f := range files {
		Balancers(trees[f], balancers)
	}
	for _, f := range files {
		if included[f] {
			continue
		}
		t := trees[f]
		res.Errors = append(res.Errors, t.Errors...)
		if len(t.Errors) == 0 {
			findings, judged := check(t, balancers)
			res.Findings = append(res.Findings, findings...)
			res.Summary.ApacheMappings += judged
		}
		res.Summary.ApacheFiles += len(t.Files)
	}
	return res
}
