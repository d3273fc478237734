package analyzers

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// TestGolangciLint builds a custom golangci-lint with this checkout's
// plugin, the way `golangci-lint custom` does from the README's
// .custom-gcl.yml (see testdata/integrations/golangci/build.sh), and runs
// it with the README's .golangci.yml on the fixture module.
//
// It takes minutes on a cold build cache, so it runs only with
// WSCHECK_INTEGRATION=1 (.ci/run sets it). WSCHECK_GOLANGCI_LINT names a
// binary build.sh already built, to skip the build.
func TestGolangciLint(t *testing.T) {
	if os.Getenv("WSCHECK_INTEGRATION") != "1" {
		t.Skip("set WSCHECK_INTEGRATION=1 to build golangci-lint with the wscheck plugin and run it (minutes on a cold cache)")
	}
	dir, err := filepath.Abs(golangciDir)
	if err != nil {
		t.Fatal(err)
	}
	bin := os.Getenv("WSCHECK_GOLANGCI_LINT")
	if bin == "" {
		bin = filepath.Join(t.TempDir(), "custom-gcl")
		cmd := exec.Command("bash", filepath.Join(dir, "build.sh"), bin)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("build.sh: %v\n%s", err, out)
		}
	}

	// The binary is the version .custom-gcl.yml pins.
	cfg, err := os.ReadFile(filepath.Join(dir, ".custom-gcl.yml"))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^version: (v\S+)`).FindSubmatch(cfg)
	if m == nil {
		t.Fatal(".custom-gcl.yml: no version")
	}
	version, err := exec.Command(bin, "version").CombinedOutput()
	if err != nil || !bytes.Contains(version, append(m[1], "-custom-gcl"...)) {
		t.Fatalf("%s version: %v: %s; want %s-custom-gcl", bin, err, version, m[1])
	}

	cmd := exec.Command(bin, "run",
		"--config", filepath.Join(dir, ".golangci.yml"),
		"--output.json.path", "stdout",
		"--show-stats=false",
		"--max-issues-per-linter=0",
		"--max-same-issues=0",
		"./...")
	cmd.Dir = filepath.Join(dir, "fixture")
	cmd.Env = append(os.Environ(), "GOLANGCI_LINT_CACHE="+t.TempDir())
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err = cmd.Run()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 1 { // 1: issues found
		t.Fatalf("golangci-lint run: %v, want exit status 1\nstdout:\n%s\nstderr:\n%s", err, stdout.Bytes(), stderr.Bytes())
	}
	var res struct {
		Issues []struct {
			FromLinter string
			Text       string
			Pos        struct {
				Filename string
				Line     int
			}
		}
	}
	if err := json.Unmarshal(stdout.Bytes(), &res); err != nil {
		t.Fatalf("golangci-lint's JSON: %v\n%s", err, stdout.Bytes())
	}

	want := expectations(t, filepath.Join(dir, "fixture"))
	var got []string
	for _, is := range res.Issues {
		// Filename is relative to the directory of the config file.
		at := fmt.Sprintf("%s:%d", filepath.Base(is.Pos.Filename), is.Pos.Line)
		got = append(got, at)
		re, ok := want[at]
		switch {
		case is.FromLinter != "wscheck":
			t.Errorf("%s: issue from linter %q, want wscheck: %s", at, is.FromLinter, is.Text)
		case !ok:
			t.Errorf("%s: unexpected issue: %s", at, is.Text)
		case !re.MatchString(is.Text) || !strings.HasPrefix(is.Text, "dial-without-origin: "):
			t.Errorf("%s: issue %q, want dial-without-origin: and a match for %q", at, is.Text, re)
		}
	}
	for at := range want {
		if !slices.Contains(got, at) {
			t.Errorf("%s: no issue, want one matching %q", at, want[at])
		}
	}
	if len(want) == 0 {
		t.Fatal("the fixture expects no issue")
	}
}

// wantComment is an analysistest expectation with one regular expression.
var wantComment = regexp.MustCompile("// want (`[^`]*`|\"[^\"]*\")")

// expectations returns, per "file:line" of the Go files in dir, the
// expectation golangci-lint must meet: the line's want comment, unless the
// line also says //nolint:wscheck.
func expectations(t *testing.T, dir string) map[string]*regexp.Regexp {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]*regexp.Regexp{}
	nolint := 0
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for i, line := range strings.Split(string(data), "\n") {
			m := wantComment.FindStringSubmatch(line)
			if m == nil {
				continue
			}
			if strings.Contains(line, "//nolint:wscheck") {
				nolint++
				continue
			}
			want[fmt.Sprintf("%s:%d", filepath.Base(f), i+1)] = regexp.MustCompile(m[1][1 : len(m[1])-1])
		}
	}
	if nolint == 0 {
		t.Fatal("the fixture has no //nolint:wscheck line with a finding, so nolint is not tested")
	}
	return want
}
