package repo

import (
	"io/fs"
	"path"
	"slices"
	"strings"
	"sync"
	"testing/fstest"
	"time"
)

// Mem is an in-memory FS for tests: it proves what a run reads (Reads)
// and gives failures a root user never sees on disk (permission denied).
// Names are slash paths; directories are implied by the files below them.
type Mem struct {
	Files  map[string]MemFile
	Limits Limits // zero: DefaultLimits

	mu    sync.Mutex
	reads []string
}

// MemFile is one entry: its data, its type bits (fs.ModeNamedPipe, say)
// and an error every access returns instead.
type MemFile struct {
	Data string
	Mode fs.FileMode
	Err  error
}

// Reads returns every name ReadFile, Stat, ReadDir or Glob was asked for.
func (m *Mem) Reads() []string {
	m.mu.Lock()
	defer m.mu.Unlock()
	return slices.Clone(m.reads)
}

func (m *Mem) note(name string) {
	m.mu.Lock()
	m.reads = append(m.reads, name)
	m.mu.Unlock()
}

func (m *Mem) ReadFile(name string) ([]byte, error) {
	m.note(name)
	name = path.Clean(name)
	f, ok := m.Files[name]
	switch {
	case ok && f.Err != nil:
		return nil, &ReadError{name, Reason(f.Err), f.Err}
	case !ok && m.isDir(name):
		return nil, &ReadError{name, "is a directory", ErrIsDir}
	case !ok:
		return nil, &ReadError{name, "no such file or directory", fs.ErrNotExist}
	case !f.Mode.IsRegular():
		return nil, &ReadError{name, "not a regular file (" + kind(f.Mode) + ")", ErrNotRegular}
	case int64(len(f.Data)) > m.Limits.OrDefault().MaxFileSize:
		return nil, &ReadError{name, "too large", ErrTooLarge}
	}
	b := []byte(f.Data)
	if err := CheckText(name, b); err != nil {
		return nil, err
	}
	return b, nil
}

func (m *Mem) isDir(name string) bool {
	for n := range m.Files {
		if within(name, n) && n != name {
			return true
		}
	}
	return false
}

func (m *Mem) Stat(name string) (fs.FileInfo, error) {
	m.note(name)
	name = path.Clean(name)
	if f, ok := m.Files[name]; ok {
		if f.Err != nil {
			return nil, &ReadError{name, Reason(f.Err), f.Err}
		}
		return fstest.MapFS{"f": {Data: []byte(f.Data), Mode: f.Mode, ModTime: time.Time{}}}.Stat("f")
	}
	if m.isDir(name) {
		return fstest.MapFS{"d/x": {}}.Stat("d")
	}
	return nil, &ReadError{name, "no such file or directory", fs.ErrNotExist}
}

func (m *Mem) ReadDir(name string) ([]fs.DirEntry, error) {
	m.note(name)
	name = path.Clean(name)
	if f, ok := m.Files[name]; ok && f.Err != nil {
		return nil, &ReadError{name, Reason(f.Err), f.Err}
	}
	if !m.isDir(name) {
		return nil, &ReadError{name, "no such file or directory", fs.ErrNotExist}
	}
	sub := fstest.MapFS{}
	for n, f := range m.Files {
		if rel, ok := strings.CutPrefix(n, strings.TrimSuffix(name, "/")+"/"); ok {
			sub[rel] = &fstest.MapFile{Data: []byte(f.Data), Mode: f.Mode}
		}
	}
	return sub.ReadDir(".")
}

func (m *Mem) Glob(pattern string) ([]string, error) {
	m.note(pattern)
	var out []string
	for n := range m.Files {
		if ok, err := path.Match(pattern, n); err != nil {
			return nil, &ReadError{pattern, "bad pattern", err}
		} else if ok {
			out = append(out, n)
		}
	}
	slices.Sort(out)
	return out, nil
}
