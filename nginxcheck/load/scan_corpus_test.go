package load

import (
	"bufio"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/wscheck/wscheck/repo"
)

// corpusDir is the shared syntax corpus beside the repository.
func corpusDir(t *testing.T, sub string) string {
	t.Helper()
	dir := filepath.Join("..", "..", "..", "shared", "corpus", sub)
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("shared corpus not found at %s (it sits beside the repository in CI): %v", dir, err)
	}
	return dir
}

var nginxVerdict = regexp.MustCompile(`^\[emerg\] (.*) in [^ ]+:(\d+)$`)

// TestSyntaxCorpus holds the loader to nginx's own verdict on every file of
// the syntax corpus: what nginx rejects for a syntax reason is an error at
// the line nginx names, what it accepts loads, except the constructs
// gonginx cannot parse, which must be refused, never mis-parsed.
func TestSyntaxCorpus(t *testing.T) {
	dir := corpusDir(t, "syntax")
	tsv, err := os.Open(filepath.Join(dir, "NGINX_T.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	defer tsv.Close()
	// Rejections outside the scope of a syntax check: nginx validates these
	// parameters or sections semantically.
	semantic := map[string]bool{"10-geo.conf": true, "13-variables.conf": true, "20-upstream.conf": true, "23-unknown-directive.conf": true, "27-missing-semicolon-midline.conf": true, "34-backtick.conf": true, "51-empty.conf": true}
	// Valid syntax gonginx cannot parse: an error naming the problem is the
	// accepted outcome.
	gonginxLimits := map[string]bool{"12-quoted-escapes.conf": true, "35-escaped-in-word.conf": true}
	sc := bufio.NewScanner(tsv)
	sc.Scan() // header
	n := 0
	for sc.Scan() {
		name, verdict, _ := strings.Cut(sc.Text(), "\t")
		n++
		t.Run(name, func(t *testing.T) {
			l := NewLoader(repo.NewDisk([]string{dir}, false, repo.DefaultLimits), Options{})
			tree := l.Load(filepath.Join(dir, name))
			m := nginxVerdict.FindStringSubmatch(verdict)
			switch {
			case verdict == "OK" || strings.HasPrefix(verdict, "[warn]") || semantic[name]:
				if len(tree.Errors) > 0 {
					if gonginxLimits[name] && strings.Contains(tree.Errors[0].Msg, "gonginx") {
						return
					}
					t.Fatalf("nginx accepts the syntax, loader says: %v", tree.Errors[0])
				}
			case m != nil:
				if len(tree.Errors) == 0 {
					t.Fatalf("nginx says %q, loader accepted the file", verdict)
				}
				line, _ := strconv.Atoi(m[2])
				if got := tree.Errors[0]; got.Line != line || filepath.Base(got.File) != name {
					t.Fatalf("nginx says %q at line %d, loader says %v", m[1], line, got)
				}
			default:
				t.Fatalf("unexpected verdict %q", verdict)
			}
		})
	}
	if n != 52 {
		t.Fatalf("read %d corpus verdicts, want 52", n)
	}
}
