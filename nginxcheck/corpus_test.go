package nginxcheck

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wscheck/wscheck/report"
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

// TestCorpusErrorsReviewed: the errors and warnings over the real-world
// corpus are exactly the reviewed ones in testdata/corpus-reviewed.tsv, so a
// rule change that adds a false alarm at those levels cannot pass unread.
func TestCorpusErrorsReviewed(t *testing.T) {
	dir := filepath.Join("..", "..", "shared", "corpus", "nginx")
	files, _ := filepath.Glob(filepath.Join(dir, "*.conf"))
	if len(files) == 0 {
		t.Skipf("shared corpus not found at %s (it sits beside the repository in CI)", dir)
	}
	b, err := os.ReadFile("testdata/corpus-reviewed.tsv")
	if err != nil {
		t.Fatal(err)
	}
	reviewed := map[string]bool{}
	for _, l := range strings.Split(string(b), "\n") {
		if f := strings.Split(l, "\t"); len(f) >= 3 && !strings.HasPrefix(l, "#") {
			reviewed[f[0]+":"+f[1]+" "+f[2]] = true
		}
	}
	seen := map[string]bool{}
	for _, file := range files {
		for _, f := range Analyze([]string{file}, Options{}).Findings {
			if f.Severity < report.Warning {
				continue
			}
			k := fmt.Sprintf("%s:%d %s", filepath.Base(f.File), f.Line, f.Rule)
			seen[k] = true
			if !reviewed[k] {
				t.Errorf("new %s not reviewed: %s: %s (read it; a real break goes into testdata/corpus-reviewed.tsv)", f.Severity, k, f.Message)
			}
		}
	}
	for k := range reviewed {
		if !seen[k] {
			t.Errorf("reviewed finding no longer reported: %s", k)
		}
	}
}
