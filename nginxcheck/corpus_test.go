package nginxcheck

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestRealWorldCorpus analyzes every real-world config of the shared corpus:
// no panic, no hang, and every file either loads or gets a located error.
// Templates and the few files broken the way real files break are the only
// ones allowed to fail.
func TestRealWorldCorpus(t *testing.T) {
	dir := filepath.Join("..", "..", "shared", "corpus", "nginx")
	files, _ := filepath.Glob(filepath.Join(dir, "*.conf"))
	if len(files) == 0 {
		t.Skipf("shared corpus not found at %s (it sits beside the repository in CI)", dir)
	}
	if len(files) != 96 {
		t.Fatalf("found %d corpus files, want 96", len(files))
	}
	findings := 0
	for _, f := range files {
		res := Analyze([]string{f}, Options{})
		findings += len(res.Findings)
		for _, e := range res.Errors {
			if e.Line == 0 && !strings.Contains(e.Message, "skipped") {
				t.Errorf("%s: error without a line: %v", filepath.Base(f), e)
			}
		}
	}
	if findings == 0 {
		t.Fatal("no findings over 96 real configs, most of them WebSocket proxies: the rules are not running")
	}
	// The whole corpus as one directory argument: each file once.
	if res := Analyze([]string{dir}, Options{}); len(res.Findings) == 0 {
		t.Fatal("directory walk found nothing")
	}
}
