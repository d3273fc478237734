package apachecheck

import (
	"io/fs"
	"strings"
	"testing"

	"github.com/wscheck/wscheck/repo"
)

// TestUnreadableDirectory: a directory the walk cannot enter is an error
// of `wscheck apache DIR` too, never a silent pass.
func TestUnreadableDirectory(t *testing.T) {
	mem := &repo.Mem{Files: map[string]repo.MemFile{
		"/r/locked":    {Err: fs.ErrPermission, Mode: fs.ModeDir},
		"/r/site.conf": {Data: "<VirtualHost *:80>\n    ServerName a\n</VirtualHost>\n"},
	}}
	res := Analyze(mem, []string{"/r"}, repo.WalkOptions{})
	if len(res.Errors) != 1 || !strings.Contains(res.Errors[0].Message, "permission denied") {
		t.Errorf("want the unreadable directory as an error, got %v", res.Errors)
	}
}
