package haproxycheck

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/wscheck/wscheck/report"
)

// FS is what the checker reads through; the repository layer's FS
// satisfies it.
type FS interface {
	ReadFile(name string) ([]byte, error)
	Stat(name string) (fs.FileInfo, error)
	ReadDir(name string) ([]fs.DirEntry, error)
}

// maxFile bounds one config read from disk (the largest real ones are a
// few hundred kilobytes).
const maxFile = 16 << 20

// Disk reads regular files only, each bounded, so a FIFO or a device
// named on the command line cannot hang or exhaust the run.
type Disk struct{}

func (Disk) Stat(name string) (fs.FileInfo, error)      { return os.Stat(name) }
func (Disk) ReadDir(name string) ([]fs.DirEntry, error) { return os.ReadDir(name) }

func (Disk) ReadFile(name string) ([]byte, error) {
	st, err := os.Stat(name)
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("not a regular file (%s)", st.Mode().Type())
	}
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxFile+1))
	if err == nil && len(b) > maxFile {
		err = fmt.Errorf("larger than %d MiB", maxFile>>20)
	}
	return b, err
}

var (
	proxySection = regexp.MustCompile(`(?m)^[ \t]*(?:frontend|backend|listen|defaults)(?:[ \t]|$)`)
	braceLine    = regexp.MustCompile(`(?m)[{;][ \t]*$|^[ \t]*\}[ \t]*$`)
)

// IsConfig tells an HAProxy config by name and content: haproxy.cfg, or a
// file whose name says haproxy or ends in .cfg, holding proxy sections and
// no line ending in "{" or ";" and no line of only "}" (nginx, HCL and
// other brace formats have them; HAProxy's anonymous ACLs close on their line).
func IsConfig(name string, b []byte) bool {
	base := strings.ToLower(filepath.Base(name))
	if !strings.HasSuffix(base, ".cfg") && !strings.Contains(base, "haproxy") {
		return false
	}
	return proxySection.Match(b) && !braceLine.Match(b)
}

// Analyze checks each path: a file is read as an HAProxy config, a
// directory is searched for files IsConfig accepts (skipping hidden
// directories, vendor and node_modules). A broken file is an error of its
// own and never hides the findings of others.
func Analyze(fsys FS, paths []string) report.Result {
	var res report.Result
	for _, p := range paths {
		p = filepath.Clean(p)
		st, err := fsys.Stat(p)
		switch {
		case err != nil:
			res.Errors = append(res.Errors, report.FileError{File: p, Message: readError(err)})
		case st.IsDir():
			walk(fsys, p, &res)
		default:
			res.Merge(AnalyzeFile(fsys, p))
		}
	}
	return res
}

// AnalyzeFile checks one file known to be an HAProxy config.
func AnalyzeFile(fsys FS, p string) report.Result {
	b, err := fsys.ReadFile(p)
	if err != nil {
		return report.Result{Errors: []report.FileError{{File: p, Message: readError(err)}}}
	}
	return AnalyzeSource(p, b)
}

// AnalyzeSource checks config text already read.
func AnalyzeSource(p string, b []byte) report.Result {
	f, errs := Parse(p, b)
	if len(errs) > 0 {
		return report.Result{Errors: errs}
	}
	return check(f)
}

func walk(fsys FS, dir string, res *report.Result) {
	ents, err := fsys.ReadDir(dir)
	if err != nil {
		res.Errors = append(res.Errors, report.FileError{File: dir, Message: "cannot read directory: " + readError(err)})
		return
	}
	for _, e := range ents {
		p := filepath.Join(dir, e.Name())
		switch {
		case e.IsDir():
			if !strings.HasPrefix(e.Name(), ".") && e.Name() != "vendor" && e.Name() != "node_modules" {
				walk(fsys, p, res)
			}
		case e.Type().IsRegular():
			b, err := fsys.ReadFile(p)
			if err != nil {
				res.Errors = append(res.Errors, report.FileError{File: p, Message: readError(err)})
				continue
			}
			if IsConfig(p, b) {
				res.Merge(AnalyzeSource(p, b))
			}
		}
	}
}

func readError(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return "no such file or directory"
	case errors.Is(err, fs.ErrPermission):
		return "permission denied"
	}
	return err.Error()
}
