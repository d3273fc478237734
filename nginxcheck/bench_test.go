package nginxcheck

import (
	"bufio"
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// generate writes a tree with the shared generator and returns the number
// of findings per rule it says a correct analyzer reports.
func generate(tb testing.TB, files, servers int) (string, map[string]int) {
	tb.Helper()
	gen := filepath.Join("..", "..", "shared", "bench", "gennginx.go")
	if _, err := os.Stat(gen); err != nil {
		tb.Skipf("generator not found at %s (it sits beside the repository in CI)", gen)
	}
	out := filepath.Join(tb.TempDir(), "tree")
	cmd := exec.Command("go", "run", gen, "-out", out, "-files", strconv.Itoa(files), "-servers", strconv.Itoa(servers))
	var stdout bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, os.Stderr
	if err := cmd.Run(); err != nil {
		tb.Fatalf("gennginx: %v", err)
	}
	want := map[string]int{}
	sc := bufio.NewScanner(&stdout)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "want "); ok {
			rule, n, _ := strings.Cut(rest, "\t")
			want[rule], _ = strconv.Atoi(n)
		}
	}
	if len(want) == 0 {
		tb.Fatalf("gennginx printed no expectations: %s", stdout.String())
	}
	return out, want
}

// TestGeneratedTree: on a generated tree with a known mix of mistakes, the
// analyzer reports exactly the generator's counts, rule by rule.
func TestGeneratedTree(t *testing.T) {
	dir, want := generate(t, 12, 10)
	res := Analyze([]string{dir}, Options{})
	if len(res.Errors) > 0 {
		t.Fatalf("errors: %v", res.Errors)
	}
	got := map[string]int{}
	for _, f := range res.Findings {
		got[f.Rule]++
	}
	for rule, n := range want {
		if got[rule] != n {
			t.Errorf("%s: got %d findings, generator expects %d", rule, got[rule], n)
		}
	}
	for rule, n := range got {
		if _, ok := want[rule]; !ok && !generatorPredates[rule] {
			t.Errorf("%s: %d findings the generator does not expect", rule, n)
		}
	}
}

// generatorPredates lists rules newer than the shared generator, which
// prints no count for them: its servers listen on 127.0.0.1:18080 and send
// Host $host, which host-drops-port reports by design, and its upstreams
// set keepalive while its map yields close, which close-map-disables-keepalive
// reports (once, at the map).
var generatorPredates = map[string]bool{"host-drops-port": true, "close-map-disables-keepalive": true}

// BenchmarkGeneratedTree measures the README's scale figure: 201 files,
// 2,000 servers, 14k locations (go test -bench GeneratedTree -benchmem).
func BenchmarkGeneratedTree(b *testing.B) {
	dir, _ := generate(b, 200, 10)
	b.ResetTimer()
	for b.Loop() {
		if res := Analyze([]string{filepath.Join(dir, "nginx.conf")}, Options{}); len(res.Findings) == 0 {
			b.Fatal("no findings")
		}
	}
}
