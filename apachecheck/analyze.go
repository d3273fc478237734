package apachecheck

import (
	"path/filepath"

	"github.com/wscheck/wscheck/repo"
	"github.com/wscheck/wscheck/report"
)

// Disk reads below the paths only, bounded as every half reads (see
// repo.NewDisk).
func Disk(paths []string) *repo.Disk { return repo.NewDisk(paths, false, repo.Limits{}) }

// Analyze checks each path: a file is read as an httpd config with what it
// includes; a directory is searched for the files repository discovery
// classifies as Apache configs (repo.Classify), and a file another found
// file includes is analyzed only through its includer.
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
			res.Merge(analyzeFiles(fsys, p, inv.Apache))
		default:
			res.Merge(analyzeFiles(fsys, filepath.Dir(p), []string{p}))
		}
	}
	return res
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
			res.Findings = append(res.Findings, check(t, balancers)...)
		}
		res.Summary.ApacheFiles += len(t.Files)
	}
	return res
}
