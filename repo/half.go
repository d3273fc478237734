package repo

import (
	"path/filepath"

	"github.com/wscheck/wscheck/report"
)

// Half is a proxy half's reader as discovery feeds it: which files of an
// inventory are its own, and how it analyzes them together (below top, the
// directory that was walked, or a file's own directory).
type Half struct {
	Files   func(*Inventory) []string
	Analyze func(fsys FS, top string, files []string) report.Result
}

// Run checks each path argument: a file is the half's whatever its name, a
// directory is walked once and its files of the half's kind are analyzed
// together. A path or directory that cannot be read is an error, never a
// silent pass. Proxy configs of other kinds are not listed here: the nginx
// half's walk lists them.
func (h Half) Run(fsys FS, paths []string, opts WalkOptions) report.Result {
	var res report.Result
	for _, p := range paths {
		p = filepath.Clean(p)
		st, err := fsys.Stat(p)
		switch {
		case err != nil:
			res.Errors = append(res.Errors, report.FileError{File: p, Message: Reason(err)})
		case st.IsDir():
			inv := Discover(fsys, p, opts)
			res.Errors = append(res.Errors, inv.Errors...)
			res.Merge(h.Analyze(fsys, p, h.Files(&inv)))
		default:
			res.Merge(h.Analyze(fsys, filepath.Dir(p), []string{p}))
		}
	}
	return res
}
