package main

import (
	"bytes"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime/debug"
	"slices"
	"strings"
	"testing"

	"github.com/wscheck/wscheck/report"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/cli")

// goldenDir is absolute: some tests t.Chdir.
var goldenDir, _ = filepath.Abs(filepath.Join("testdata", "cli"))

// golden compares got with testdata/cli/NAME, or rewrites it with -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join(goldenDir, name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (go test ./cmd/wscheck -update writes it)", err)
	}
	if got != string(want) {
		t.Errorf("output differs from %s (go test ./cmd/wscheck -update rewrites it):\n--- got\n%s\n--- want\n%s", path, got, want)
	}
}

// TestHelp: every command's --help exits 0 and prints, on stdout, its
// usage line, arguments, flags and examples; -h and `wscheck help NAME`
// print the same.
func TestHelp(t *testing.T) {
	names := []string{gateName}
	for _, c := range commands() {
		names = append(names, c.name)
	}
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			args := []string{name, "--help"}
			if name == gateName {
				args = []string{"--help"}
			}
			out, stderr, code := wsRun(t, t.TempDir(), args...)
			if code != 0 || stderr != "" {
				t.Fatalf("%v: exit %d, stderr %q; want 0 and nothing on stderr", args, code, stderr)
			}
			golden(t, "help-"+name+".txt", out)
			c, _ := lookupCommand(name)
			for _, part := range []string{"Usage: " + c.usage + "\n", "\nFlags:\n", "  -h, --help", "\nExamples:\n  "} {
				if !strings.Contains(out, part) {
					t.Errorf("help lacks %q", part)
				}
			}
			if len(c.args) > 0 && !strings.Contains(out, "\nArguments:\n") {
				t.Error("help lacks the arguments")
			}
			short := slices.Concat(args[:len(args)-1], []string{"-h"})
			helpCmd := []string{"help", name}
			if name == gateName {
				helpCmd = []string{"help"}
			}
			for _, other := range [][]string{short, helpCmd} {
				if o, _, code := wsRun(t, t.TempDir(), other...); code != 0 || o != out {
					t.Errorf("%v: exit %d, and its help differs from %v's", other, code, args)
				}
			}
		})
	}
}

func TestGateHelpListsGlobalFlags(t *testing.T) {
	out, _, _ := wsRun(t, t.TempDir(), "--help")
	for _, f := range []string{"--format", "--fail-on", "--color", "--config", "--nginx-version", "--tests", "--version"} {
		if !strings.Contains(out, f+" ") {
			t.Errorf("wscheck --help does not list %s", f)
		}
	}
	for _, c := range commands() {
		if !strings.Contains(out, "\n  "+c.name+" ") {
			t.Errorf("wscheck --help does not list the command %s", c.name)
		}
	}
}

// TestVersionFlags: --version, -v and `wscheck version` print the same
// line, from the test binary's build info.
func TestVersionFlags(t *testing.T) {
	want := readVersion().long() + "\n"
	for _, args := range [][]string{{"--version"}, {"-v"}, {"version"}, {"--format", "json", "--version"}} {
		out, stderr, code := wsRun(t, t.TempDir(), args...)
		if code != 0 || out != want || stderr != "" {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want 0 and %q", args, code, out, stderr, want)
		}
	}
	if _, stderr, code := wsRun(t, t.TempDir(), "version", "extra"); code != 2 || !strings.HasPrefix(stderr, "wscheck version: ") {
		t.Errorf("version extra: exit %d, %q; want 2", code, stderr)
	}
}

// TestVersionFormat pins what each kind of build prints, and what SARIF's
// tool.driver.version and semanticVersion carry.
func TestVersionFormat(t *testing.T) {
	rev := []debug.BuildSetting{{Key: "vcs.revision", Value: "0123456789abcdef0123456789abcdef01234567"}, {Key: "vcs.modified", Value: "true"}}
	for _, tc := range []struct {
		name                string
		bi                  debug.BuildInfo
		long, short, semver string
	}{
		{"go install @version", debug.BuildInfo{GoVersion: "go1.26.0", Main: debug.Module{Version: "v1.4.0"}},
			"wscheck v1.4.0, built with go1.26.0", "v1.4.0", "1.4.0"},
		{"go build in a modified checkout", debug.BuildInfo{GoVersion: "go1.26.0", Main: debug.Module{Version: "v0.0.0-20261201120000-0123456789ab+dirty"}, Settings: rev},
			"wscheck v0.0.0-20261201120000-0123456789ab+dirty, revision 0123456789ab-dirty, built with go1.26.0",
			"v0.0.0-20261201120000-0123456789ab+dirty", "0.0.0-20261201120000-0123456789ab+dirty"},
		{"revision only", debug.BuildInfo{GoVersion: "go1.26.0", Main: debug.Module{Version: "(devel)"}, Settings: rev},
			"wscheck 0123456789ab-dirty, built with go1.26.0", "0123456789ab-dirty", ""},
		{"go run", debug.BuildInfo{GoVersion: "go1.26.0", Main: debug.Module{Version: "(devel)"}},
			"wscheck (devel), built with go1.26.0", "(devel)", ""},
	} {
		v := versionOf(&tc.bi)
		if v.long() != tc.long || v.String() != tc.short || v.semantic() != tc.semver {
			t.Errorf("%s: got %q / %q / %q, want %q / %q / %q", tc.name, v.long(), v, v.semantic(), tc.long, tc.short, tc.semver)
		}
	}
}

// TestBuiltBinaryVersion builds wscheck as a user's `go build` does and
// holds --version to what the go command stamped into it.
func TestBuiltBinaryVersion(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary; skipped with -short")
	}
	bin := filepath.Join(t.TempDir(), "wscheck")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	meta, err := exec.Command("go", "version", "-m", bin).Output()
	if err != nil {
		t.Fatalf("go version -m: %v", err)
	}
	field := func(re string) string {
		m := regexp.MustCompile(re).FindSubmatch(meta)
		if m == nil {
			return ""
		}
		return string(m[1])
	}
	mod := field(`(?m)^\s+mod\s+github.com/wscheck/wscheck\s+(\S+)`)
	rev := field(`(?m)^\s+build\s+vcs\.revision=(\S+)`)
	out, err := exec.Command(bin, "--version").Output()
	if err != nil {
		t.Fatalf("%s --version: %v", bin, err)
	}
	got := string(out)
	if !strings.HasPrefix(got, "wscheck ") {
		t.Fatalf("--version printed %q", got)
	}
	switch {
	case mod != "" && mod != "(devel)":
		if !strings.HasPrefix(got, "wscheck "+mod) {
			t.Errorf("--version %q does not start with the module version %s", got, mod)
		}
	case rev != "":
		if !strings.Contains(got, rev[:12]) {
			t.Errorf("--version %q does not name the revision %s", got, rev)
		}
	}
	if rev != "" && !strings.Contains(got, rev[:12]) {
		t.Errorf("--version %q does not name the revision %s", got, rev)
	}
}

// TestMistypedPath: a word that is not a command is a path; a missing
// one is "no such file or directory" and exit 2, never "unknown command"
// and a page of usage.
func TestMistypedPath(t *testing.T) {
	dir := t.TempDir()
	var got strings.Builder
	for _, args := range [][]string{{"typo.conf"}, {"/nonexistent"}, {"ngnix", "deploy/"}, {"--fail-on", "error", "missing-dir/"}} {
		out, stderr, code := wsRun(t, dir, args...)
		if code != 2 || out != "" || !strings.Contains(stderr, "no such file or directory") {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want 2 and no such file or directory", args, code, out, stderr)
		}
		got.WriteString("$ wscheck " + strings.Join(args, " ") + "\n" + stderr)
	}
	golden(t, "mistyped-path.txt", got.String())
}

// TestErrorsNameTheProgramOnce: usage errors say "wscheck: " or
// "wscheck CMD: ", never "wscheck wscheck:" or "wscheck :".
func TestErrorsNameTheProgramOnce(t *testing.T) {
	for _, args := range [][]string{
		{"--bogus"}, {"--fail-on", "never", "."}, {"--color", "rainbow", "."}, {"--format", "xml", "."},
		{"nginx", "--bogus"}, {"nginx"}, {"go", "--bogus"}, {"rules", "--format", "html"},
		{"explain", "no-such-rule"}, {"config"}, {"help", "nosuch"},
	} {
		_, stderr, code := wsRun(t, t.TempDir(), args...)
		if code != 2 {
			t.Errorf("%v: exit %d, want 2", args, code)
		}
		first, _, _ := strings.Cut(stderr, "\n")
		if strings.Contains(stderr, "wscheck wscheck") || strings.Contains(stderr, "wscheck :") ||
			!regexp.MustCompile(`^wscheck( [a-z]+)*: \S`).MatchString(first) {
			t.Errorf("%v: stderr %q", args, stderr)
		}
	}
}

// cliLayout runs wscheck nginx over a broken WebSocket location and a
// file that does not parse, from the directory holding them.
func cliLayout(t *testing.T, getenv func(string) string, args ...string) string {
	t.Helper()
	repo := newRepo(t, map[string]string{"nginx.conf": brokenWS, "broken.conf": "http {\n    server {\n"})
	t.Chdir(repo)
	var out, errb bytes.Buffer
	// One rule, so that rewording other rules leaves the golden files be.
	full := append(append([]string{"nginx", "--enable", "missing-upgrade-header"}, args...), "nginx.conf", "broken.conf")
	code := run(full, &env{stdin: strings.NewReader(""), stdout: &out, stderr: &errb, cwd: repo, getenv: getenv})
	if code != 2 {
		t.Fatalf("%v: exit %d, want 2 (a broken file)", full, code)
	}
	return "-- stdout\n" + out.String() + "-- stderr\n" + errb.String()
}

func noEnv(string) string { return "" }

// TestTextLayout: findings on stdout, short primary lines with the reason
// on an indented line, input errors on stderr; colour only when asked.
func TestTextLayout(t *testing.T) {
	plain := cliLayout(t, noEnv)
	golden(t, "layout-plain.txt", plain)
	if strings.Contains(plain, "\x1b[") {
		t.Error("colour on a writer that is not a terminal")
	}
	colored := cliLayout(t, noEnv, "--color", "always")
	golden(t, "layout-color.txt", colored)
	if !strings.Contains(colored, "\x1b[1;31merror\x1b[0m") {
		t.Error("--color always printed no colour")
	}
	noColor := func(k string) string {
		if k == "NO_COLOR" {
			return "1"
		}
		return ""
	}
	// --color always is an explicit request and wins over NO_COLOR;
	// never wins over everything.
	if got := cliLayout(t, noColor, "--color", "always"); got != colored {
		t.Error("NO_COLOR overrode --color always")
	}
	if got := cliLayout(t, noEnv, "--color", "never"); got != plain {
		t.Error("--color never differs from the plain layout")
	}
	for _, line := range strings.Split(plain, "\n") {
		if strings.HasPrefix(line, "nginx.conf:") && strings.Contains(line, "judged a WebSocket location") {
			t.Errorf("the reason is on the primary line: %q", line)
		}
	}
}

// TestColorDecision: auto colours a terminal, unless NO_COLOR is set to
// anything or TERM is dumb.
func TestColorDecision(t *testing.T) {
	env := func(kv ...string) func(string) string {
		return func(k string) string {
			for i := 0; i+1 < len(kv); i += 2 {
				if kv[i] == k {
					return kv[i+1]
				}
			}
			return ""
		}
	}
	for _, tc := range []struct {
		mode     string
		getenv   func(string) string
		terminal bool
		want     bool
	}{
		{"auto", env(), true, true},
		{"auto", env(), false, false},
		{"auto", env("NO_COLOR", "1"), true, false},
		{"auto", env("NO_COLOR", "0"), true, false}, // any value counts
		{"auto", env("NO_COLOR", ""), true, true},   // empty does not
		{"auto", env("TERM", "dumb"), true, false},
		{"always", env("NO_COLOR", "1"), false, true},
		{"never", env(), true, false},
	} {
		if got := colorFor(tc.mode, tc.getenv, tc.terminal); got != tc.want {
			t.Errorf("colorFor(%s, terminal %v) = %v, want %v", tc.mode, tc.terminal, got, tc.want)
		}
	}
}

// TestRulesHalves: the suppression rules belong to both halves.
func TestRulesHalves(t *testing.T) {
	out, _, code := wsRun(t, t.TempDir(), "rules")
	if code != 0 {
		t.Fatalf("rules: exit %d", code)
	}
	half := map[string]string{}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	titleAt := -1
	for _, l := range lines {
		f := strings.Fields(l)
		if len(f) < 4 {
			t.Fatalf("not a rule line: %q", l)
		}
		half[f[0]] = f[1]
		// Every title starts in the same column.
		at := strings.Index(l, "  "+f[3]) + 2
		if titleAt >= 0 && at != titleAt {
			t.Errorf("title of %s starts at column %d, others at %d", f[0], at, titleAt)
		}
		titleAt = at
	}
	if len(lines) != len(allRules()) {
		t.Errorf("%d lines for %d rules", len(lines), len(allRules()))
	}
	// Every half reads ignore comments, so the suppression rules name
	// every half another rule names: a new half must be added there.
	for _, r := range allRules() {
		for _, h := range r.Halves() {
			if !slices.Contains(strings.Split(report.EveryHalf, ","), h) {
				t.Errorf("%s: half %q is missing from report.EveryHalf", r.Name, h)
			}
		}
	}
	for rule, want := range map[string]string{
		"unused-ignore": report.EveryHalf, "invalid-ignore": report.EveryHalf,
		"missing-upgrade-header": "nginx", "hand-built-key": "go",
	} {
		if half[rule] != want {
			t.Errorf("%s: half %q, want %q", rule, half[rule], want)
		}
	}
}

func TestExplainSuggestsRule(t *testing.T) {
	for typo, want := range map[string]string{
		"missing-upgrade":         "missing-upgrade-header",
		"missing-upgrade-headr":   "missing-upgrade-header",
		"hand-built-keys":         "hand-built-key",
		"totally-unrelated-thing": "",
	} {
		_, stderr, code := wsRun(t, t.TempDir(), "explain", typo)
		if code != 2 {
			t.Errorf("explain %s: exit %d, want 2", typo, code)
		}
		hint := "(did you mean " + want + "?)"
		if want == "" {
			if strings.Contains(stderr, "did you mean") || !strings.Contains(stderr, "known rules: ") {
				t.Errorf("explain %s: %q, want the list of rules and no guess", typo, stderr)
			}
		} else if !strings.Contains(stderr, hint) {
			t.Errorf("explain %s: %q, want %q", typo, stderr, hint)
		}
	}
}
