package main

import (
	"errors"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestGoVet builds the vet tool and runs the real go vet with it over the
// analyzer's fixture module, which requires the real websocket libraries.
func TestGoVet(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a binary and runs go vet")
	}
	tool := filepath.Join(t.TempDir(), "wscheck-vet")
	if out, err := exec.Command("go", "build", "-o", tool, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	mod, err := filepath.Abs("../../gocheck/testdata")
	if err != nil {
		t.Fatal(err)
	}
	download := exec.Command("go", "mod", "download")
	download.Dir = mod
	if out, err := download.CombinedOutput(); err != nil {
		t.Fatalf("go mod download: %v\n%s", err, out)
	}

	vet := func(args ...string) (lines []string, code int) {
		cmd := exec.Command("go", append([]string{"vet", "-vettool=" + tool}, args...)...)
		cmd.Dir = mod
		out, err := cmd.CombinedOutput()
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			code = exit.ExitCode()
		} else if err != nil {
			t.Fatalf("go vet: %v", err)
		}
		for _, l := range strings.Split(string(out), "\n") {
			// Keep diagnostics (file:line:col: message) only, as file:line: message.
			parts := strings.SplitN(l, ":", 4)
			if len(parts) == 4 && strings.HasSuffix(parts[0], ".go") {
				lines = append(lines, parts[0]+":"+parts[1]+":"+parts[3])
			}
		}
		return lines, code
	}

	got, code := vet("./devtools", "./server")
	if code == 0 {
		t.Errorf("go vet exited 0 with findings")
	}
	want := []string{
		"devtools/devtools.go:10: gorilla/websocket dial sends no Origin header",
		"server/server.go:12: CheckOrigin always returns true",
		"server/server.go:14: CheckOrigin always returns true",
		"server/server.go:18: CheckOrigin always returns true",
		"server/server.go:21: websocket.Upgrade accepts every Origin",
		"server/server.go:22: fws.Upgrade accepts every Origin",
		"server/server.go:27: CheckOrigin always returns true",
		"server/server.go:29: InsecureSkipVerify: true turns off the Origin check",
	}
	checkLines(t, "default flags", got, want)

	// Analyzer flags pass through go vet: exempting /json instead of
	// /devtools/ moves the finding to the DevTools dial.
	got, _ = vet("-wscheck.origin-exempt=/json", "./devtools")
	checkLines(t, "-wscheck.origin-exempt=/json", got, []string{"devtools/devtools.go:9: gorilla/websocket dial sends no Origin header"})
}

// checkLines wants exactly one reported line per prefix in want.
func checkLines(t *testing.T, what string, got, want []string) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%s: got %d diagnostics, want %d:\n%s", what, len(got), len(want), strings.Join(got, "\n"))
	}
	for _, w := range want {
		if !slices.ContainsFunc(got, func(g string) bool { return strings.HasPrefix(g, w) }) {
			t.Errorf("%s: missing %q in:\n%s", what, w, strings.Join(got, "\n"))
		}
	}
}
