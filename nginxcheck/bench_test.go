package nginxcheck

import (
	"bufio"
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/wscheck/wscheck/nginxcheck/load"
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
	benchmarkAnalyze(b, filepath.Join(dir, "nginx.conf"))
}

// BenchmarkLargeConfig is the memory case of the README: the generator's
// 4,200 site files inlined into one 47 MB nginx.conf (1.4M directives,
// 98,000 findings).
func BenchmarkLargeConfig(b *testing.B) {
	dir, _ := generate(b, 4200, 10)
	benchmarkAnalyze(b, inlineSites(b, dir))
}

// inlineSites writes dir's nginx.conf with its "include sites/*.conf;"
// replaced by the site files themselves, and returns its path.
func inlineSites(tb testing.TB, dir string) string {
	tb.Helper()
	root, err := os.ReadFile(filepath.Join(dir, "nginx.conf"))
	if err != nil {
		tb.Fatal(err)
	}
	sites, err := filepath.Glob(filepath.Join(dir, "sites", "*.conf"))
	if err != nil || len(sites) == 0 {
		tb.Fatalf("no site files in %s: %v", dir, err)
	}
	var body bytes.Buffer
	for _, s := range sites { // Glob sorts, as nginx does
		b, err := os.ReadFile(s)
		if err != nil {
			tb.Fatal(err)
		}
		body.Write(b)
	}
	const include = "    include sites/*.conf;\n"
	if !bytes.Contains(root, []byte(include)) {
		tb.Fatalf("%s/nginx.conf has no %q", dir, include)
	}
	out := filepath.Join(dir, "big.conf")
	if err := os.WriteFile(out, bytes.Replace(root, []byte(include), body.Bytes(), 1), 0o644); err != nil {
		tb.Fatal(err)
	}
	return out
}

// benchmarkAnalyze runs Analyze on one root and reports, besides
// -benchmem's figures, the allocations per directive of the tree.
func benchmarkAnalyze(b *testing.B, root string) {
	t := load.NewLoader(Disk([]string{root}, Options{}), load.Options{}).Load(root)
	if len(t.Errors) > 0 {
		b.Fatalf("loading %s: %v", root, t.Errors[0])
	}
	directives := 0
	load.Walk(t.Root.Nodes, func(*load.Node) bool { directives++; return true })
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	b.ResetTimer()
	for b.Loop() {
		if res := Analyze([]string{root}, Options{}); len(res.Findings) == 0 || len(res.Errors) > 0 {
			b.Fatalf("no findings, or errors: %v", res.Errors)
		}
	}
	b.StopTimer()
	runtime.ReadMemStats(&after)
	b.ReportMetric(float64(after.Mallocs-before.Mallocs)/float64(b.N)/float64(directives), "allocs/directive")
	b.ReportMetric(float64(directives), "directives")
}
