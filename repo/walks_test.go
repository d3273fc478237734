package repo

import (
	"io/fs"
	"testing"
)

type countingFS struct {
	FS
	reads map[string]int
}

func (c *countingFS) ReadDir(name string) ([]fs.DirEntry, error) {
	c.reads[name]++
	return c.FS.ReadDir(name)
}

// TestWalksShare: a directory is walked once however many halves ask,
// and its errors go to the first only, so one unreadable directory is one
// error of the run.
func TestWalksShare(t *testing.T) {
	mem := &countingFS{FS: &Mem{Files: map[string]MemFile{
		"/r/locked":      {Err: fs.ErrPermission, Mode: fs.ModeDir},
		"/r/haproxy.cfg": {Data: "defaults\n    mode http\n"},
	}}, reads: map[string]int{}}
	var w Walks
	first := w.Discover(mem, "/r", WalkOptions{})
	again := w.Discover(mem, "/r/", WalkOptions{})
	if mem.reads["/r"] != 1 {
		t.Errorf("/r read %d times, want once", mem.reads["/r"])
	}
	if len(first.Errors) != 1 || len(again.Errors) != 0 {
		t.Errorf("errors: first %v, again %v; want the unreadable directory once", first.Errors, again.Errors)
	}
	if len(again.HAProxy) != 1 {
		t.Errorf("the shared inventory lost its files: %+v", again)
	}
	var none *Walks // nil: every call walks
	none.Discover(mem, "/r", WalkOptions{})
	if mem.reads["/r"] != 2 {
		t.Errorf("a nil Walks must walk: /r read %d times", mem.reads["/r"])
	}
}
