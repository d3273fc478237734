package nginxcheck

import (
	"path/filepath"
	"testing"
)

// A snippet judged in its tree sees the includer's map and the tree's
// prefix; judged alone, the same file has unresolved includes. Findings in
// files that were not named are not reported.
func TestAnalyzeInTree(t *testing.T) {
	tree := "../testdata/nginx/include-tree"
	app := filepath.Join(tree, "conf.d", "app.conf")
	res := AnalyzeInTree(tree, []string{app}, Options{})
	if len(res.Errors) != 0 {
		t.Fatalf("errors: %v", res.Errors)
	}
	got := map[string]bool{}
	for _, f := range res.Findings {
		if filepath.Clean(f.File) != filepath.Clean(app) {
			t.Errorf("finding outside the named file: %+v", f)
		}
		got[f.Rule] = true
	}
	// In the tree, the snippet include resolves (so the headers are known)
	// and the map is visible: HTTP/1.0 and the undefined $conn_upgrade fire.
	for _, rule := range []string{"missing-http-version", "undefined-variable"} {
		if !got[rule] {
			t.Errorf("in its tree, %s should fire; got %v", rule, res.Findings)
		}
	}
	if got["unresolved-include"] {
		t.Errorf("in its tree, the snippet include resolves: %v", res.Findings)
	}

	// A file outside the tree is analyzed on its own.
	lone := "../testdata/nginx/location-snippet.conf"
	res = AnalyzeInTree(tree, []string{lone}, Options{})
	if len(res.Findings) == 0 {
		t.Fatalf("a file the tree does not reach must still be analyzed")
	}
}
