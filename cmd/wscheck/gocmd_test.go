package main

import (
	"encoding/json"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"

	"github.com/wscheck/wscheck/report"
)

// rawApp hand-builds a handshake with the RFC sample key (line 9) using
// only the standard library, so these tests need no module download.
const rawApp = `package app

import "net/http"

func Handshake() *http.Request {
	req, _ := http.NewRequest("GET", "http://chat.example.com/ws", nil)
	req.Header.Set("Upgrade", "websocket")
	req.Header.Set("Connection", "Upgrade")
	req.Header.Set("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==")
	return req
}
`

const rawAppTest = `package app

import (
	"net/http"
	"testing"
)

func TestFake(t *testing.T) {
	req, _ := http.NewRequest("GET", "http://127.0.0.1/ws", nil)
	req.Header.Set("Upgrade", "websocket")
	req.Header.Set("Sec-WebSocket-Key", "AAAAAAAAAAAAAAAAAAAAAA==")
	_ = req
}
`

func goModule(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	files["go.mod"] = "module example.com/app\n\ngo 1.26.0\n"
	writeTree(t, dir, files)
	return dir
}

func decodeResult(t *testing.T, stdout string) report.Result {
	t.Helper()
	var res report.Result
	if err := json.Unmarshal([]byte(stdout), &res); err != nil {
		t.Fatalf("decoding JSON report: %v\n%s", err, stdout)
	}
	return res
}

// where lists findings as file:line rule, the stable part of a report.
func where(res report.Result) []string {
	var out []string
	for _, f := range res.Findings {
		out = append(out, report.Position(f.File, f.Line, 0)+" "+f.Rule)
	}
	return out
}

func TestGoCommandFindingsAndTests(t *testing.T) {
	dir := goModule(t, map[string]string{"app.go": rawApp, "app_test.go": rawAppTest})

	out, stderr, code := wsRun(t, dir, "go", "--format", "json")
	if code != report.ExitFindings {
		t.Fatalf("exit %d, want 1; stderr: %s", code, stderr)
	}
	res := decodeResult(t, out)
	if got := strings.Join(where(res), "; "); got != "app.go:9 hand-built-key" {
		t.Errorf("default (no tests): got %q, want only app.go:9 hand-built-key", got)
	}
	if len(res.Findings) == 1 && (res.Findings[0].Severity != report.Error || !strings.Contains(res.Findings[0].Message, "RFC 6455 sample nonce")) {
		t.Errorf("finding = %+v, want an error calling out the RFC sample key", res.Findings[0])
	}

	out, _, code = wsRun(t, dir, "go", "--format", "json", "--tests", "./...")
	res = decodeResult(t, out)
	if got := strings.Join(where(res), "; "); code != 1 || got != "app.go:9 hand-built-key; app_test.go:11 hand-built-key" {
		t.Errorf("--tests: exit %d, findings %q; want 1 and both files", code, got)
	}

	// The text format carries the rule and a clickable position.
	out, _, _ = wsRun(t, dir, "go")
	if !strings.HasPrefix(out, "app.go:9:2: error: hand-built websocket handshake with constant Sec-WebSocket-Key") || !strings.HasSuffix(out, "(hand-built-key)\n") {
		t.Errorf("text output = %q", out)
	}
}

func TestGoCommandClean(t *testing.T) {
	dir := goModule(t, map[string]string{"app.go": "package app\n\nfunc Ok() int { return 1 }\n"})
	out, stderr, code := wsRun(t, dir, "go")
	if code != report.ExitClean || out != "" {
		t.Errorf("exit %d, stdout %q, stderr %q; want 0 and no output", code, out, stderr)
	}
}

func TestGoCommandLoadErrors(t *testing.T) {
	dir := goModule(t, map[string]string{
		"good/good.go": rawApp,
		"bad/bad.go":   "package bad\n\nfunc F() int {\n\treturn \"not an int\"\n}\n",
	})
	out, _, code := wsRun(t, dir, "go", "--format", "json")
	if code != report.ExitBroken {
		t.Errorf("exit %d, want 2 for a package that does not type-check", code)
	}
	res := decodeResult(t, out)
	if len(res.Errors) != 1 || res.Errors[0].File != filepath.Join("bad", "bad.go") || res.Errors[0].Line != 4 {
		t.Errorf("errors = %+v, want one at bad/bad.go:4", res.Errors)
	}
	// A broken package never hides the findings of a good one.
	if got := strings.Join(where(res), "; "); got != filepath.Join("good", "good.go")+":9 hand-built-key" {
		t.Errorf("findings = %q, want the good package's finding", got)
	}

	_, _, code = wsRun(t, dir, "go", "./nosuchdir")
	if code != report.ExitBroken {
		t.Errorf("missing package: exit %d, want 2", code)
	}
	empty := t.TempDir()
	out, stderr, code := wsRun(t, empty, "go")
	if code != report.ExitBroken || out != "" || !strings.Contains(stderr, report.InputErrorLabel+":") {
		t.Errorf("no Go module here: exit %d, stdout %q, stderr %q; want 2 and an input error on stderr", code, out, stderr)
	}
	if _, _, code = wsRun(t, dir, "go", "--no-such-flag"); code != report.ExitBroken {
		t.Errorf("bad flag: exit %d, want 2", code)
	}
}

func TestGoIgnoreComments(t *testing.T) {
	src := `package app

import "net/http"

func Handshake(req *http.Request) {
	req.Header.Set("Upgrade", "websocket")
	//wscheck:ignore hand-built-key -- a fixed key is what the protocol test expects
	req.Header.Set("Sec-WebSocket-Key", "a")
	req.Header.Set("Sec-WebSocket-Key", "b") //wscheck:ignore hand-built-key -- same, trailing
	req.Header.Set("Sec-WebSocket-Key", "c") //wscheck:ignore hand-built-key
	//wscheck:ignore dial-without-origin -- nothing to suppress on the next line
	req.Header.Set("Sec-WebSocket-Key", "d")
	//wscheck:ignore no-such-rule -- typo
	_ = req
}
`
	dir := goModule(t, map[string]string{"app.go": src})
	out, _, code := wsRun(t, dir, "go", "--format", "json")
	if code != report.ExitFindings {
		t.Errorf("exit %d, want 1", code)
	}
	want := "app.go:10 hand-built-key; app.go:10 invalid-ignore; app.go:11 unused-ignore; app.go:12 hand-built-key; app.go:13 invalid-ignore"
	if got := strings.Join(where(decodeResult(t, out)), "; "); got != want {
		t.Errorf("findings:\n got %s\nwant %s", got, want)
	}
}

// TestGoOriginExemptFlag runs against the analyzer's fixture module,
// which requires the real gorilla/websocket: the flag replaces the
// default exemption, and the next run goes back to the default.
func TestGoOriginExemptFlag(t *testing.T) {
	mod, _ := filepath.Abs(filepath.Join("..", "..", "gocheck", "testdata"))
	dl := exec.Command("go", "mod", "download")
	dl.Dir = mod
	if b, err := dl.CombinedOutput(); err != nil {
		t.Fatalf("go mod download: %v\n%s", err, b)
	}
	lines := func(args ...string) string {
		out, stderr, _ := wsRun(t, mod, append([]string{"go", "--format", "json"}, args...)...)
		res := decodeResult(t, out)
		if len(res.Errors) > 0 {
			t.Fatalf("load errors: %+v %s", res.Errors, stderr)
		}
		return strings.Join(where(res), "; ")
	}
	devtools := filepath.Join("devtools", "devtools.go")
	if got := lines("--origin-exempt", "/json", "./devtools"); got != devtools+":9 dial-without-origin" {
		t.Errorf("--origin-exempt /json: %q", got)
	}
	if got := lines("./devtools"); got != devtools+":10 dial-without-origin" {
		t.Errorf("default exemption: %q", got)
	}
}

func TestRepoRunsBothHalves(t *testing.T) {
	repo := newRepo(t, map[string]string{
		"deploy/nginx.conf": brokenWS,
		"svc/go.mod":        "module example.com/svc\n\ngo 1.26.0\n",
		"svc/app.go":        rawApp,
		// Fixtures are not the repository's code, as for the go command.
		"svc/testdata/fixture/go.mod": "module fixture\n\ngo 1.26.0\n",
		"svc/testdata/fixture/x.go":   rawApp,
		// A module with no packages is not an error for the gate.
		"tools/go.mod": "module example.com/tools\n\ngo 1.26.0\n",
	})
	t.Chdir(repo) // the nginx half resolves paths against the process's directory
	out, stderr, code := wsRun(t, repo, "--format", "json")
	if code != report.ExitFindings {
		t.Fatalf("exit %d, want 1; stderr %s", code, stderr)
	}
	res := decodeResult(t, out)
	var goFindings, nginxFindings int
	for _, f := range res.Findings {
		switch {
		case strings.HasSuffix(f.File, ".go"):
			goFindings++
			if f.File != filepath.Join("svc", "app.go") || f.Rule != "hand-built-key" {
				t.Errorf("unexpected Go finding %+v", f)
			}
		case strings.HasSuffix(f.File, ".conf"):
			nginxFindings++
		}
	}
	if goFindings != 1 || nginxFindings == 0 || len(res.Errors) != 0 {
		t.Errorf("want 1 Go finding, some nginx findings and no errors; got %d, %d, %+v", goFindings, nginxFindings, res.Errors)
	}

	// A Go-only repository: the gate still runs the Go half alone.
	goOnly := newRepo(t, map[string]string{"go.mod": "module example.com/x\n\ngo 1.26.0\n", "app.go": rawApp})
	t.Chdir(goOnly)
	out, _, code = wsRun(t, goOnly, "--format", "json")
	if got := strings.Join(where(decodeResult(t, out)), "; "); code != 1 || got != "app.go:9 hand-built-key" {
		t.Errorf("Go-only repo: exit %d, findings %q", code, got)
	}
}

func TestGoRulesAreListed(t *testing.T) {
	out, _, code := wsRun(t, t.TempDir(), "rules")
	for _, name := range []string{"dial-without-origin", "hand-built-key", "managed-handshake-header", "origin-check-disabled"} {
		if code != 0 || !strings.Contains(out, name+" ") {
			t.Errorf("wscheck rules does not list %s (exit %d)", name, code)
		}
	}
	out, _, code = wsRun(t, t.TempDir(), "explain", "origin-check-disabled")
	if code != 0 || !strings.Contains(out, "cross-site WebSocket hijacking") {
		t.Errorf("explain origin-check-disabled: exit %d\n%s", code, out)
	}
}

// TestGoCommandBuildTags: a file behind a build constraint is analyzed only
// with its tag, given by --tags, GOFLAGS or .wscheck.yaml.
func TestGoCommandBuildTags(t *testing.T) {
	dir := goModule(t, map[string]string{
		"app.go":    "package app\n\nfunc Ok() int { return 1 }\n",
		"tagged.go": "//go:build integration\n\n" + rawApp,
	})
	want := "tagged.go:11 hand-built-key"
	run := func(args ...string) string {
		t.Helper()
		out, stderr, _ := wsRun(t, dir, append([]string{"go", "--format", "json"}, args...)...)
		if stderr != "" {
			t.Logf("stderr: %s", stderr)
		}
		return strings.Join(where(decodeResult(t, out)), "; ")
	}
	if got := run(); got != "" {
		t.Errorf("without tags: findings %q, want none (tagged.go is excluded)", got)
	}
	if got := run("--tags", "integration"); got != want {
		t.Errorf("--tags integration: findings %q, want %q", got, want)
	}
	t.Setenv("GOFLAGS", "-tags=integration")
	if got := run(); got != want {
		t.Errorf("GOFLAGS=-tags=integration: findings %q, want %q", got, want)
	}
	t.Setenv("GOFLAGS", "")
	writeTree(t, dir, map[string]string{".wscheck.yaml": "go:\n  tags: [integration]\n"})
	if got := run(); got != want {
		t.Errorf(".wscheck.yaml go.tags: findings %q, want %q", got, want)
	}
	if got := run("--tags", "other"); got != "" {
		t.Errorf("--tags other overrides the file: findings %q, want none", got)
	}
}

// verifyPkg checks the server's answer for its callers in other packages.
const verifyPkg = `package verify

import (
	"errors"
	"net/http"
)

func Accept(resp *http.Response, want string) error {
	if resp.Header.Get("Sec-WebSocket-Accept") != want {
		return errors.New("bad handshake")
	}
	return nil
}
`

const verifiedClient = `package client

import (
	"crypto/rand"
	"encoding/base64"
	"net/http"

	"example.com/app/verify"
)

func Handshake(c *http.Client, req *http.Request) error {
	b := make([]byte, 16)
	rand.Read(b)
	key := base64.StdEncoding.EncodeToString(b)
	req.Header.Set("Upgrade", "websocket")
	req.Header.Set("Sec-WebSocket-Key", key)
	resp, err := c.Do(req)
	if err != nil {
		return err
	}
	return verify.Accept(resp, key)
}

func StatusOnly(c *http.Client, req *http.Request) error {
	b := make([]byte, 16)
	rand.Read(b)
	req.Header.Set("Upgrade", "websocket")
	req.Header.Set("Sec-WebSocket-Key", base64.StdEncoding.EncodeToString(b))
	_, err := c.Do(req)
	return err
}
`

// TestGoCommandFactsAcrossPackages: naming one package still computes the
// facts of the module's packages it imports, without reporting theirs.
func TestGoCommandFactsAcrossPackages(t *testing.T) {
	dir := goModule(t, map[string]string{"verify/verify.go": verifyPkg, "client/client.go": verifiedClient})
	want := filepath.Join("client", "client.go") + ":28 hand-built-key"
	for _, args := range [][]string{{"./client"}, {"./..."}} {
		out, _, _ := wsRun(t, dir, append([]string{"go", "--format", "json"}, args...)...)
		if got := strings.Join(where(decodeResult(t, out)), "; "); got != want {
			t.Errorf("wscheck go %s: findings %q, want only the unverified handshake, %q", args[0], got, want)
		}
	}
}

// goFixModule copies the analyzer's fix fixture (gocheck/testdata/fixes,
// with the fixture module's go.mod and go.sum) into a temporary module and
// returns it with the fixed file the analyzer's golden test expects.
func goFixModule(t *testing.T) (dir, golden string) {
	t.Helper()
	mod, _ := filepath.Abs(filepath.Join("..", "..", "gocheck", "testdata"))
	dl := exec.Command("go", "mod", "download")
	dl.Dir = mod
	if b, err := dl.CombinedOutput(); err != nil {
		t.Fatalf("go mod download: %v\n%s", err, b)
	}
	read := func(p string) string {
		b, err := os.ReadFile(filepath.Join(mod, p))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	dir = t.TempDir()
	writeTree(t, dir, map[string]string{"go.mod": read("go.mod"), "go.sum": read("go.sum"), "fixes/fixes.go": read("fixes/fixes.go")})
	return dir, read("fixes/fixes.go.golden")
}

// TestGoDiffAndFix: the Go half's SuggestedFixes go through the same
// --diff and --fix as the nginx half's repairs. The diff applies with the
// real patch and gives the analyzer's golden file; --fix writes the same
// file, leaves nothing to report, and a second --fix changes nothing.
func TestGoDiffAndFix(t *testing.T) {
	dir, golden := goFixModule(t)
	fixed := filepath.Join(dir, "fixes", "fixes.go")
	before, _ := os.ReadFile(fixed)

	diff, stderr, code := wsRun(t, dir, "go", "--diff", "./fixes")
	if code != report.ExitFindings {
		t.Fatalf("--diff: exit %d, want 1 (the findings are still there); stderr: %s", code, stderr)
	}
	if !strings.HasPrefix(diff, "--- ./fixes/fixes.go\n+++ ./fixes/fixes.go\n") || !strings.Contains(stderr, "10 repairs in 1 file") {
		t.Fatalf("--diff: stdout %q\nstderr %s", diff, stderr)
	}
	if after, _ := os.ReadFile(fixed); string(after) != string(before) {
		t.Fatal("--diff changed the file")
	}
	if _, err := exec.LookPath("patch"); err == nil {
		copyDir := t.TempDir()
		writeTree(t, copyDir, map[string]string{"fixes/fixes.go": string(before), "fix.diff": diff})
		cmd := exec.Command("patch", "-p0", "--batch", "--quiet", "-i", "fix.diff")
		cmd.Dir = copyDir
		if b, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("patch -p0: %v\n%s", err, b)
		}
		if got, _ := os.ReadFile(filepath.Join(copyDir, "fixes", "fixes.go")); string(got) != golden {
			t.Errorf("the diff applied with patch -p0 is not the golden file:\n%s", got)
		}
	}

	_, stderr, code = wsRun(t, dir, "go", "--fix", "./fixes")
	if code != 0 {
		t.Fatalf("--fix: exit %d, want 0 (nothing remains); stderr: %s", code, stderr)
	}
	if got, _ := os.ReadFile(fixed); string(got) != golden {
		t.Errorf("--fix wrote:\n%s\nwant the golden file", got)
	}
	_, stderr, code = wsRun(t, dir, "go", "--fix", "./fixes")
	if code != 0 || strings.Contains(stderr, "repair") {
		t.Errorf("second --fix: exit %d, stderr %q; want 0 and no repair", code, stderr)
	}
	if got, _ := os.ReadFile(fixed); string(got) != golden {
		t.Error("a second --fix changed the file")
	}
}

// TestGateDiffIncludesGo: the gate's --diff carries the Go half's repairs.
func TestGateDiffIncludesGo(t *testing.T) {
	dir, _ := goFixModule(t)
	diff, stderr, _ := wsRun(t, dir, "--diff", ".")
	if !strings.Contains(diff, "+++ ./fixes/fixes.go\n") {
		t.Errorf("gate --diff has no hunk for the Go file:\nstdout %s\nstderr %s", diff, stderr)
	}
}

// TestGoFixConversion: edits become byte offsets of their file, an
// insertion (no End) is an empty range, and only the first of several
// alternative fixes is taken.
func TestGoFixConversion(t *testing.T) {
	fset := token.NewFileSet()
	tf := fset.AddFile("a.go", -1, 100)
	tf.SetLinesForContent(make([]byte, 100))
	at := func(off int) token.Pos { return tf.Pos(off) }
	d := analysis.Diagnostic{Pos: at(10), Message: "m", SuggestedFixes: []analysis.SuggestedFix{
		{Message: "first", TextEdits: []analysis.TextEdit{{Pos: at(10), End: at(14), NewText: []byte("x")}, {Pos: at(20), NewText: []byte("y")}}},
		{Message: "second", TextEdits: []analysis.TextEdit{{Pos: at(0), End: at(1)}}},
	}}
	f := toFinding(fset, &analysis.Analyzer{Name: "rule"}, d)
	want := &report.Fix{Message: "first", Edits: []report.Edit{{File: "a.go", Start: 10, End: 14, New: "x"}, {File: "a.go", Start: 20, End: 20, New: "y"}}}
	if !reflect.DeepEqual(f.Fix, want) {
		t.Errorf("fix %+v, want %+v", f.Fix, want)
	}
	other := fset.AddFile("b.go", -1, 10)
	d.SuggestedFixes = []analysis.SuggestedFix{{TextEdits: []analysis.TextEdit{{Pos: at(1), End: other.Pos(2)}}}}
	if f := toFinding(fset, &analysis.Analyzer{Name: "rule"}, d); f.Fix != nil {
		t.Errorf("an edit spanning two files gave a fix: %+v", f.Fix)
	}
}
