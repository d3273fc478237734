package nginxcheck

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/wscheck/wscheck/repo"
	"github.com/wscheck/wscheck/report"
)

// bounded runs fn and fails the test if it does not return: a hang must
// fail this test, never hang CI.
func bounded(t *testing.T, fn func() report.Result) report.Result {
	t.Helper()
	done := make(chan report.Result, 1)
	go func() { done <- fn() }()
	select {
	case res := <-done:
		return res
	case <-time.After(60 * time.Second):
		t.Fatal("analysis did not return: it blocks on its input")
		return report.Result{}
	}
}

// A broken WebSocket location: four findings of its own whatever else
// happens, so a test can tell that a file was analyzed.
const brokenWS = "server {\n    listen 80;\n    location /ws {\n        proxy_pass http://app;\n    }\n}\n"

// includeBeside puts an include in a location of its own (line 3), so that
// what it could set leaves the broken /ws location judged.
func includeBeside(inc string) string {
	return "server {\n    listen 80;\n    location /other { include " + inc + "; }\n    location /ws {\n        proxy_pass http://app;\n    }\n}\n"
}

func write(t *testing.T, path, body string) string {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func mkfifo(t *testing.T, path string) string {
	t.Helper()
	if err := syscall.Mkfifo(path, 0o644); err != nil {
		t.Skipf("cannot make a FIFO here: %v", err)
	}
	return path
}

func hasError(res report.Result, file string, line int, text string) bool {
	for _, e := range res.Errors {
		if (file == "" || filepath.Base(e.File) == file) && (line == 0 || e.Line == line) && strings.Contains(e.Message, text) {
			return true
		}
	}
	return false
}

func findingsIn(res report.Result, file string) int {
	n := 0
	for _, f := range res.Findings {
		if filepath.Base(f.File) == file {
			n++
		}
	}
	return n
}

// TestBadInput covers every row of the hardening issue's table: each
// input gets its exit status and its reason, and no other file's findings
// are lost.
func TestBadInput(t *testing.T) {
	type check func(t *testing.T, res report.Result)
	wantError := func(file string, line int, text string) check {
		return func(t *testing.T, res report.Result) {
			if !hasError(res, file, line, text) {
				t.Errorf("want an error %s:%d containing %q, got %v", file, line, text, res.Errors)
			}
			if res.ExitCode(report.Warning) != report.ExitBroken {
				t.Errorf("exit %d, want 2", res.ExitCode(report.Warning))
			}
		}
	}
	// good.conf beside the bad input must keep its findings.
	keeps := func(t *testing.T, res report.Result) {
		if findingsIn(res, "good.conf") == 0 {
			t.Errorf("the findings of good.conf were lost: %v", res.Findings)
		}
	}
	cases := []struct {
		name  string
		setup func(t *testing.T, dir string) ([]string, Options)
		want  []check
	}{
		{"fifo as a path", func(t *testing.T, dir string) ([]string, Options) {
			return []string{mkfifo(t, filepath.Join(dir, "pipe.conf")), write(t, filepath.Join(dir, "good.conf"), brokenWS)}, Options{}
		}, []check{wantError("pipe.conf", 0, "not a regular file (named pipe)"), keeps}},
		{"fifo named by an include", func(t *testing.T, dir string) ([]string, Options) {
			mkfifo(t, filepath.Join(dir, "pipe.inc"))
			return []string{write(t, filepath.Join(dir, "good.conf"), includeBeside("pipe.inc"))}, Options{}
		}, []check{wantError("good.conf", 3, `include "pipe.inc": not a regular file (named pipe)`), keeps}},
		{"fifo in a directory walk", func(t *testing.T, dir string) ([]string, Options) {
			mkfifo(t, filepath.Join(dir, "pipe.conf"))
			write(t, filepath.Join(dir, "good.conf"), brokenWS)
			return []string{dir}, Options{}
		}, []check{wantError("pipe.conf", 0, "not a regular file (named pipe)"), keeps}},
		{"stdin through /proc", func(t *testing.T, dir string) ([]string, Options) {
			return []string{write(t, filepath.Join(dir, "good.conf"), includeBeside("/proc/self/fd/0"))}, Options{HostRoot: "/"}
		}, []check{wantError("good.conf", 3, "not a regular file (an entry of /proc)"), keeps}},
		{"endless /dev/zero", func(t *testing.T, dir string) ([]string, Options) {
			return []string{write(t, filepath.Join(dir, "good.conf"), includeBeside("/dev/zero"))}, Options{HostRoot: "/"}
		}, []check{wantError("good.conf", 3, "not a regular file (an entry of /dev)"), keeps}},
		{"/dev/urandom", func(t *testing.T, dir string) ([]string, Options) {
			return []string{write(t, filepath.Join(dir, "good.conf"), includeBeside("/dev/urandom"))}, Options{HostRoot: "/"}
		}, []check{wantError("good.conf", 3, "not a regular file"), keeps}},
		{"oversized file", func(t *testing.T, dir string) ([]string, Options) {
			big := filepath.Join(dir, "big.conf")
			if err := os.WriteFile(big, nil, 0o644); err != nil {
				t.Fatal(err)
			}
			if err := os.Truncate(big, 200<<20); err != nil { // sparse: no disk used
				t.Fatal(err)
			}
			return []string{big, write(t, filepath.Join(dir, "good.conf"), brokenWS)}, Options{}
		}, []check{wantError("big.conf", 0, "too large"), keeps}},
		{"binary data", func(t *testing.T, dir string) ([]string, Options) {
			return []string{write(t, filepath.Join(dir, "bin.conf"), "\x7fELF\x02\x01\x01\x00\x00\x00server {"), write(t, filepath.Join(dir, "good.conf"), brokenWS)}, Options{}
		}, []check{wantError("bin.conf", 0, "binary data (a NUL byte on line 1)"), keeps}},
		{"directory named by an include", func(t *testing.T, dir string) ([]string, Options) {
			if err := os.Mkdir(filepath.Join(dir, "adir"), 0o755); err != nil {
				t.Fatal(err)
			}
			return []string{write(t, filepath.Join(dir, "good.conf"), includeBeside("adir"))}, Options{}
		}, []check{wantError("good.conf", 3, `include "adir": is a directory`), keeps}},
		{"symlink loop named by an include", func(t *testing.T, dir string) ([]string, Options) {
			if err := os.Symlink("loop.inc", filepath.Join(dir, "loop.inc")); err != nil {
				t.Fatal(err)
			}
			return []string{write(t, filepath.Join(dir, "good.conf"), includeBeside("loop.inc"))}, Options{}
		}, []check{wantError("good.conf", 3, `include "loop.inc": symlink loop`), keeps}},
		{"missing file named by an include", func(t *testing.T, dir string) ([]string, Options) {
			return []string{write(t, filepath.Join(dir, "good.conf"), "server {\n    include missing.inc;\n    location /ws {\n        proxy_pass http://app;\n    }\n}\n")}, Options{}
		}, []check{func(t *testing.T, res report.Result) {
			if len(res.Errors) != 0 || len(res.Findings) != 1 || res.Findings[0].Rule != "unresolved-include" ||
				!strings.Contains(res.Findings[0].Message, "(no such file or directory)") {
				t.Errorf("want one unresolved-include saying why, got %v %v", res.Findings, res.Errors)
			}
		}}},
		{"minified config", func(t *testing.T, dir string) ([]string, Options) {
			one := strings.Repeat("location /a/ws { proxy_pass http://a; } ", 50)
			return []string{write(t, filepath.Join(dir, "min.conf"), "server { listen 80; "+one+"}\n")}, Options{}
		}, []check{func(t *testing.T, res report.Result) {
			n := 0
			for _, f := range res.Findings {
				if f.Rule == "missing-upgrade-header" {
					n++
				}
			}
			if n != 50 {
				t.Errorf("50 broken locations on one line gave %d missing-upgrade-header findings", n)
			}
		}}},
		{"broken root with good includes", func(t *testing.T, dir string) ([]string, Options) {
			write(t, filepath.Join(dir, "conf.d", "good.conf"), brokenWS)
			return []string{write(t, filepath.Join(dir, "nginx.conf"), "events {}\nhttp {\n    include conf.d/*.conf;\n    server {\n}\n")}, Options{}
		}, []check{wantError("nginx.conf", 0, "unexpected end of file"), keeps}},
		{"Latin-1 value", func(t *testing.T, dir string) ([]string, Options) {
			return []string{write(t, filepath.Join(dir, "good.conf"), "server {\n    add_header X \"caf\xe9\";\n    location /ws {\n        proxy_pass http://app;\n    }\n}\n")}, Options{}
		}, []check{func(t *testing.T, res report.Result) {
			if len(res.Errors) != 0 {
				t.Errorf("nginx accepts a Latin-1 byte in a value; got %v", res.Errors)
			}
		}, keeps}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			paths, opts := c.setup(t, dir)
			res := bounded(t, func() report.Result { return Analyze(paths, opts) })
			for _, w := range c.want {
				w(t, res)
			}
			for _, e := range res.Errors {
				if e.File == "" || e.Message == "" {
					t.Errorf("error without a file or a reason: %+v", e)
				}
			}
		})
	}
}

// TestUnreadable uses the file-access layer to give what a root user
// never sees on disk: a file and a directory without read permission.
func TestUnreadable(t *testing.T) {
	mem := &repo.Mem{Files: map[string]repo.MemFile{
		"/r/good.conf":           {Data: brokenWS},
		"/r/secret.conf":         {Err: fs.ErrPermission},
		"/r/locked":              {Err: fs.ErrPermission, Mode: fs.ModeDir},
		"/r/inc.conf":            {Data: includeBeside("secret.conf")},
		"/r/sites-enabled/x.ngx": {Data: "x"},
	}}
	res := bounded(t, func() report.Result { return AnalyzeFS(mem, []string{"/r"}, Options{}) })
	if !hasError(res, "secret.conf", 0, "permission denied") {
		t.Errorf("an unreadable .conf must be an error, got %v", res.Errors)
	}
	if !hasError(res, "locked", 0, "cannot read directory: permission denied") {
		t.Errorf("an unreadable directory must be an error, got %v", res.Errors)
	}
	if findingsIn(res, "good.conf") == 0 || findingsIn(res, "inc.conf") == 0 {
		t.Errorf("the readable files' findings were lost: %v", res.Findings)
	}
}

// TestDumpBrokenMain: a dump whose main section does not parse still has
// its included sections analyzed, and a dump line of any length is read.
func TestDumpBrokenMain(t *testing.T) {
	long := "# " + strings.Repeat("x", 17<<20) + "\n"
	dump := "nginx: the configuration file /etc/nginx/nginx.conf syntax is ok\n" +
		"# configuration file /etc/nginx/nginx.conf:\nhttp {\n    include /etc/nginx/conf.d/*.conf;\n    server {\n}\n" +
		"# configuration file /etc/nginx/conf.d/good.conf:\n" + long + brokenWS
	res := bounded(t, func() report.Result { return AnalyzeDump(strings.NewReader(dump), Options{}) })
	if !hasError(res, "nginx.conf", 0, "unexpected end of file") {
		t.Errorf("want the main section's error, got %v", res.Errors)
	}
	if findingsIn(res, "good.conf") == 0 {
		t.Errorf("the included section's findings were lost: %v %v", res.Findings, res.Errors)
	}
	for _, f := range res.Findings {
		if filepath.Base(f.File) == "good.conf" && f.Line < 3 {
			t.Errorf("finding at line %d: the long line was not counted as one line", f.Line)
		}
	}
}

// TestDumpLimits: a dump larger than the budget is refused at its line.
func TestDumpLimits(t *testing.T) {
	dump := "# configuration file /etc/nginx/nginx.conf:\n" + strings.Repeat("# filler\n", 1000)
	res := AnalyzeDump(strings.NewReader(dump), Options{Limits: repo.Limits{MaxFileSize: 1 << 20, MaxTotal: 4096}})
	if len(res.Errors) != 1 || res.Errors[0].Line == 0 || !strings.Contains(res.Errors[0].Message, "larger than 4096 bytes") {
		t.Errorf("want one located budget error, got %v", res.Errors)
	}
}
