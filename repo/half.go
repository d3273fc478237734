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
			inv := opts.Walks.Discover(fsys, p, opts)
			res.Errors = append(res.Errors, inv.Errors...)
			res.Merge(h.Analyze(fsys, p, h.Files(&inv)))
		default:
			res.Merge(h.Analyze(fsys, filepath.Dir(p), []string{p}))
		}
	}
	return res
}

// PerFile is a Half's Analyze for formats whose files stand alone: each
// file is read and checked on its own (CheckFile).
func PerFile(check func(name string, src []byte) report.Result) func(FS, string, []string) report.Result {
	return func(fsys FS, _ string, files []string) report.Result {
		var res report.Result
		for _, f := range files {
			res.Merge(CheckFile(fsys, f, check))
		}
		return res
	}
}

// CheckFile reads one file and checks its text; a file that cannot be
// read is an error of its own, with the reason.
func CheckFile(fsys FS, name string, check func(name string, src []byte) report.Result) report.Result {
	b, err := fsys.ReadFile(name)
	if err != nil {
		return report.Result{Errors: []report.FileError{{File: name, Message: Reason(err)}}}
	}
	return check(name, b)
}
