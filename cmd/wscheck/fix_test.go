package main

import (
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/wscheck/wscheck/report"
)

// TestFixUsage: contradictory repair flags are bad usage, refused before
// anything is read or written.
func TestFixUsage(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{"app.conf": "server { location /ws { proxy_pass http://b; } }\n"})
	for _, args := range [][]string{
		{"nginx", "--diff", "--fix", "app.conf"},
		{"nginx", "--fix-info", "app.conf"},
		{"nginx", "--fix", "--locations", "app.conf"},
		{"nginx", "--fix", "-"},
		{"--diff", "--fix", "."},
	} {
		_, stderr, code := wsRun(t, dir, args...)
		if code != 2 || !strings.Contains(stderr, "--") {
			t.Errorf("%v: exit %d, stderr %q; want 2 and the flag named", args, code, stderr)
		}
	}
}

// fixCase is one input tree for the repair tests: its files are copied to
// a temporary directory and wscheck runs there.
type fixCase struct {
	name string
	src  string   // directory copied to the temporary directory
	only []string // files of src to copy (all when empty)
	args []string // extra flags
	// refused: every error and warning stays without a repair (a
	// template, a snippet two configs need differently): --diff prints
	// nothing and the notes say why.
	refused bool
}

func fixCases(t *testing.T) []fixCase {
	var out []fixCase
	for _, r := range []string{"missing-http-version", "missing-upgrade-header", "missing-connection-header",
		"dropped-inherited-headers", "connection-from-client", "broken-upgrade-map", "host-not-forwarded"} {
		c := fixCase{name: "rules/" + r, src: filepath.Join("..", "..", "nginxcheck", "testdata", "rules", r), only: []string{"bad.conf"}}
		if r == "host-not-forwarded" {
			c.args = []string{"--fix-info"}
		}
		out = append(out, c)
	}
	trees, err := os.ReadDir(filepath.Join("..", "..", "nginxcheck", "testdata", "fix"))
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range trees {
		c := fixCase{name: "trees/" + d.Name(), src: filepath.Join("..", "..", "nginxcheck", "testdata", "fix", d.Name())}
		c.refused = d.Name() == "template" || d.Name() == "two-roots"
		out = append(out, c)
	}
	// The map's variant follows --nginx-version: '' '' from 1.29.7.
	out = append(out, fixCase{name: "trees/complete-adds-map-1.29.7", src: filepath.Join("..", "..", "nginxcheck", "testdata", "fix", "complete-adds-map"), args: []string{"--nginx-version", "1.29.7"}})
	return out
}

// readTree returns every file below dir by slash-separated name.
func readTree(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		out[filepath.ToSlash(rel)] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestFixGolden: for every rule with a repair and every fixture tree,
// --diff prints the golden diff (with the golden notes on stderr), --fix
// writes exactly that diff, a second --fix changes nothing, and what
// remains is no error or warning unless the case keeps a finding without
// repair.
// go test ./cmd/wscheck -run TestFixGolden -update rewrites the goldens.
func TestFixGolden(t *testing.T) {
	for _, c := range fixCases(t) {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			files := readTree(t, c.src)
			if len(c.only) > 0 {
				kept := map[string]string{}
				for _, f := range c.only {
					kept[f] = files[f]
				}
				files = kept
			}
			writeTree(t, dir, files)
			t.Chdir(dir) // the analysis reads paths from the process's directory
			args := append(append([]string{"nginx"}, c.args...), ".")
			diff, stderr, code := wsRun(t, dir, append(args, "--diff")...)
			if code == 2 || (diff == "") != c.refused {
				t.Fatalf("--diff: exit %d, diff %q:\n%s", code, diff, stderr)
			}
			golden(t, "fix/"+c.name+".diff", diff)
			var notes []string
			for _, l := range strings.SplitAfter(stderr, "\n") {
				if strings.Contains(l, ": note: ") || strings.Contains(l, ": not repaired: ") {
					notes = append(notes, l)
				}
			}
			golden(t, "fix/"+c.name+".notes", strings.Join(notes, ""))
			if got := readTree(t, dir); !maps.Equal(got, files) {
				t.Fatal("--diff changed files")
			}

			_, stderr, code = wsRun(t, dir, append(args, "--fix")...)
			fixed := readTree(t, dir)
			var written strings.Builder
			for _, name := range slices.Sorted(maps.Keys(fixed)) {
				written.WriteString(report.UnifiedDiff(name, []byte(files[name]), []byte(fixed[name])))
			}
			if written.String() != diff {
				t.Errorf("--fix wrote\n%s\nbut --diff printed\n%s", written.String(), diff)
			}
			if want := map[bool]int{false: 0, true: 1}[c.refused]; code != want {
				t.Errorf("--fix: exit %d, want %d (what remains):\n%s", code, want, stderr)
			}

			_, stderr, _ = wsRun(t, dir, append(args, "--fix")...)
			if again := readTree(t, dir); !maps.Equal(again, fixed) || strings.Contains(stderr, "repairs made") || strings.Contains(stderr, "repair made") {
				t.Errorf("a second --fix changed something:\n%s", stderr)
			}
			plain := slices.DeleteFunc(slices.Clone(args), func(a string) bool { return a == "--fix-info" })
			out, _, code := wsRun(t, dir, plain...)
			if !c.refused && (code != 0 || strings.Contains(out, ": error: ") || strings.Contains(out, ": warning: ")) {
				t.Errorf("the fixed tree still has errors or warnings (exit %d):\n%s", code, out)
			}
		})
	}
}

// TestFixedRuleFixturesAreGood: where a rule's good fixture is the
// repaired bad one, --fix makes exactly it (bar the want comments).
func TestFixedRuleFixturesAreGood(t *testing.T) {
	base, err := filepath.Abs(filepath.Join("..", "..", "nginxcheck", "testdata", "rules"))
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range []string{"missing-http-version", "host-not-forwarded"} {
		rules := filepath.Join(base, r)
		bad, err := os.ReadFile(filepath.Join(rules, "bad.conf"))
		if err != nil {
			t.Fatal(err)
		}
		good, err := os.ReadFile(filepath.Join(rules, "good.conf"))
		if err != nil {
			t.Fatal(err)
		}
		dir := t.TempDir()
		writeTree(t, dir, map[string]string{"app.conf": string(bad)})
		t.Chdir(dir)
		if _, stderr, code := wsRun(t, dir, "nginx", "--fix", "--fix-info", "app.conf"); code != 0 {
			t.Fatalf("%s: --fix: exit %d\n%s", r, code, stderr)
		}
		got, _ := os.ReadFile(filepath.Join(dir, "app.conf"))
		if s := wantComments.ReplaceAllString(string(got), ""); s != string(good) {
			t.Errorf("%s: fixed bad.conf differs from good.conf:\n%s", r, report.UnifiedDiff("app.conf", good, []byte(s)))
		}
	}
}

var wantComments = regexp.MustCompile(` *# want "[^"\n]*"`)
