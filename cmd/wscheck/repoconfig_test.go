package main

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/spf13/pflag"

	"github.com/wscheck/wscheck/cmd/internal/config"
)

// rulesIn lists the rule names a text report shows, e.g. "(missing-upgrade-header)".
func rulesIn(out string) map[string]bool {
	rules := map[string]bool{}
	for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
		if i := strings.LastIndex(l, " ("); i >= 0 && strings.HasSuffix(l, ")") {
			rules[l[i+2:len(l)-1]] = true
		}
	}
	return rules
}

func TestConfigInit(t *testing.T) {
	dir := newRepo(t, map[string]string{"nginx.conf": brokenWS})
	out, stderr, code := wsRun(t, dir, "config", "init")
	if code != 0 || !strings.Contains(out, config.FileName) {
		t.Fatalf("config init: exit %d, %s%s", code, out, stderr)
	}
	written, err := os.ReadFile(filepath.Join(dir, config.FileName))
	if err != nil || string(written) != config.Starter {
		t.Fatalf("config init wrote %q (%v), want the starter file", written, err)
	}
	// The starter file keeps the defaults: same findings, same status.
	withFile, _, withCode := wsRun(t, dir, "nginx", filepath.Join(dir, "nginx.conf"))
	without, _, withoutCode := wsRun(t, dir, "nginx", "--no-config", filepath.Join(dir, "nginx.conf"))
	if withFile != without || withCode != withoutCode || withCode != 1 {
		t.Errorf("the starter file changes the run: exit %d vs %d\n%s\nvs\n%s", withCode, withoutCode, withFile, without)
	}

	mine := "fail-on: error\n"
	if err := os.WriteFile(filepath.Join(dir, config.FileName), []byte(mine), 0o644); err != nil {
		t.Fatal(err)
	}
	_, stderr, code = wsRun(t, dir, "config", "init")
	if code != 2 || !strings.Contains(stderr, "already exists") {
		t.Errorf("second init: exit %d, %q; want 2 and a refusal", code, stderr)
	}
	if got, _ := os.ReadFile(filepath.Join(dir, config.FileName)); string(got) != mine {
		t.Errorf("config init overwrote an existing file: %q", got)
	}
	if _, _, code := wsRun(t, dir, "config", "frobnicate"); code != 2 {
		t.Errorf("unknown config subcommand: exit %d, want 2", code)
	}
}

func TestConfigSteersTheRun(t *testing.T) {
	tree := map[string]string{
		"deploy/app.conf":            brokenWS,
		"deploy/legacy/old.conf":     brokenWS,
		"deploy/conf/nginx.conf":     "http {\n    server {\n        include snippets/ws.conf;\n    }\n}\n",
		"deploy/snippets/ws.conf":    "location /ws { proxy_pass http://app; }\n",
		"deploy/conf/mapped.conf":    "http {\n    server {\n        include /etc/nginx/snippets/ws.conf;\n    }\n}\n",
		"deploy/vendor-ish/bad.conf": "http {\n    server {\n",
	}
	tests := []struct {
		name   string
		config string
		args   []string // after the subcommand; PATHs are relative to <repo>/deploy
		check  func(t *testing.T, out, stderr string, code int)
	}{
		{"disable", "disable: [missing-upgrade-header]\n", []string{"nginx", "app.conf"},
			func(t *testing.T, out, _ string, code int) {
				if r := rulesIn(out); r["missing-upgrade-header"] || !r["missing-connection-header"] {
					t.Errorf("disable not applied: %v", r)
				}
			}},
		{"enable flag overrides", "enable: [host-not-forwarded]\n", []string{"nginx", "--enable", "missing-upgrade-header", "app.conf"},
			func(t *testing.T, out, _ string, code int) {
				if r := rulesIn(out); len(r) != 1 || !r["missing-upgrade-header"] {
					t.Errorf("want only the flag's rule, got %v", r)
				}
			}},
		{"fail-on from the file", "enable: [host-not-forwarded]\nfail-on: warning\n", []string{"nginx", "app.conf"},
			func(t *testing.T, out, _ string, code int) {
				if code != 0 || !rulesIn(out)["host-not-forwarded"] {
					t.Errorf("exit %d with an info finding under fail-on warning, want 0:\n%s", code, out)
				}
			}},
		{"fail-on flag overrides", "enable: [host-not-forwarded]\nfail-on: warning\n", []string{"nginx", "--fail-on", "info", "app.conf"},
			func(t *testing.T, out, _ string, code int) {
				if code != 1 {
					t.Errorf("exit %d, want 1: --fail-on info beats the file", code)
				}
			}},
		{"severity override", "severity:\n  missing-upgrade-header: info\n", []string{"nginx", "app.conf"},
			func(t *testing.T, out, _ string, code int) {
				if !strings.Contains(out, ": info: ") || !strings.Contains(out, "(missing-upgrade-header)") {
					t.Fatalf("no finding:\n%s", out)
				}
				for _, l := range strings.Split(out, "\n") {
					if strings.HasSuffix(l, "(missing-upgrade-header)") && !strings.Contains(l, ": info: ") {
						t.Errorf("severity not overridden: %s", l)
					}
				}
			}},
		{"exclude-rules", "exclude-rules:\n  - path: deploy/legacy/**\n    rules: [missing-upgrade-header]\n", []string{"nginx", "app.conf", "legacy/old.conf"},
			func(t *testing.T, out, _ string, code int) {
				var legacyUpgrade, appUpgrade, legacyOther bool
				for _, l := range strings.Split(out, "\n") {
					legacyUpgrade = legacyUpgrade || strings.HasPrefix(l, "legacy/") && strings.HasSuffix(l, "(missing-upgrade-header)")
					legacyOther = legacyOther || strings.HasPrefix(l, "legacy/") && strings.HasSuffix(l, "(missing-connection-header)")
					appUpgrade = appUpgrade || strings.HasPrefix(l, "app.conf") && strings.HasSuffix(l, "(missing-upgrade-header)")
				}
				if legacyUpgrade || !legacyOther || !appUpgrade {
					t.Errorf("want only legacy/'s missing-upgrade-header dropped:\n%s", out)
				}
			}},
		{"exclude steers the walk", "exclude: [vendor-ish/, legacy]\n", []string{"."},
			func(t *testing.T, out, stderr string, code int) {
				if code != 1 || strings.Contains(out, "bad.conf") || strings.Contains(out, "legacy/") || !strings.Contains(out, "app.conf") {
					t.Errorf("exit %d, want 1 with app.conf only (bad.conf and legacy/ skipped):\n%s%s", code, out, stderr)
				}
			}},
		{"nginx-version", "nginx-version: 1.30.0\n", []string{"nginx", "app.conf"},
			func(t *testing.T, out, _ string, code int) {
				if r := rulesIn(out); r["missing-http-version"] || !r["missing-upgrade-header"] {
					t.Errorf("nginx 1.30 talks HTTP/1.1 by default, yet: %v", r)
				}
			}},
		{"prefix relative to the file", "prefix: deploy\n", []string{"nginx", "conf/nginx.conf"},
			func(t *testing.T, out, _ string, code int) {
				if !strings.Contains(out, "snippets/ws.conf") || rulesIn(out)["unresolved-include"] {
					t.Errorf("the include did not resolve against deploy/:\n%s", out)
				}
			}},
		{"path-map", "path-map:\n  - from: /etc/nginx\n    to: deploy\n", []string{"nginx", "--fail-on", "info", "conf/mapped.conf"},
			func(t *testing.T, out, _ string, code int) {
				if !strings.Contains(out, "snippets/ws.conf") || rulesIn(out)["unresolved-include"] {
					t.Errorf("/etc/nginx was not read from deploy/:\n%s", out)
				}
			}},
		{"bad file", "fail-on: error\nfial-on: info\n", []string{"nginx", "app.conf"},
			func(t *testing.T, out, stderr string, code int) {
				if code != 2 || out != "" || !strings.Contains(stderr, "../"+config.FileName+":2:1: unknown key \"fial-on\"") {
					t.Errorf("exit %d, stderr %q; want 2 and the key's position", code, stderr)
				}
			}},
		{"bad rule", "disable: [no-such-rule]\n", []string{"."},
			func(t *testing.T, out, stderr string, code int) {
				if code != 2 || !strings.Contains(stderr, ":1:11: unknown rule \"no-such-rule\"") {
					t.Errorf("exit %d, stderr %q; want 2 and the rule's position", code, stderr)
				}
			}},
		{"no-config", "fial-on: info\n", []string{"nginx", "--no-config", "app.conf"},
			func(t *testing.T, out, stderr string, code int) {
				if code != 1 {
					t.Errorf("exit %d (%s), want the file ignored", code, stderr)
				}
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			repo := newRepo(t, tree)
			writeTree(t, repo, map[string]string{config.FileName: tt.config})
			deploy := filepath.Join(repo, "deploy")
			args := append([]string(nil), tt.args...)
			for i, a := range args {
				if strings.HasSuffix(a, ".conf") || a == "." {
					args[i] = filepath.Join(deploy, a)
				}
			}
			// Run from deploy/: the file is found in the parent.
			out, stderr, code := wsRun(t, deploy, args...)
			tt.check(t, out, stderr, code)
		})
	}
}

func TestConfigFlag(t *testing.T) {
	repo := newRepo(t, map[string]string{
		"app.conf":       brokenWS,
		config.FileName:  "disable: [missing-connection-header]\n",
		"ci/strict.yaml": "disable: [missing-upgrade-header]\n",
	})
	out, stderr, code := wsRun(t, repo, "nginx", "--config", "ci/strict.yaml", filepath.Join(repo, "app.conf"))
	if r := rulesIn(out); code != 1 || r["missing-upgrade-header"] || !r["missing-connection-header"] {
		t.Errorf("--config not used instead of the nearest file: exit %d %v %s", code, r, stderr)
	}
	if _, stderr, code := wsRun(t, repo, "nginx", "--config", "ci/none.yaml", filepath.Join(repo, "app.conf")); code != 2 || !strings.Contains(stderr, "none.yaml") {
		t.Errorf("missing --config file: exit %d, %q; want 2", code, stderr)
	}
}

func TestConfigGoBlock(t *testing.T) {
	repo := newRepo(t, map[string]string{
		"go.mod":        "module example.com/app\n\ngo 1.26.0\n",
		"app.go":        rawApp,
		"app_test.go":   rawAppTest,
		config.FileName: "go:\n  tests: true\n",
	})
	findings := func(args ...string) string {
		out, stderr, _ := wsRun(t, repo, append([]string{"go", "--format", "json"}, args...)...)
		res := decodeResult(t, out)
		if len(res.Errors) > 0 {
			t.Fatalf("load errors: %+v %s", res.Errors, stderr)
		}
		return strings.Join(where(res), "; ")
	}
	if got := findings(); got != "app.go:9 hand-built-key; app_test.go:11 hand-built-key" {
		t.Errorf("go.tests: true in the file: got %q, want the test file analyzed too", got)
	}
	if got := findings("--tests=false"); got != "app.go:9 hand-built-key" {
		t.Errorf("--tests=false must beat the file: got %q", got)
	}
}

func TestApplyGoConfigOriginExempt(t *testing.T) {
	parse := func(cfg string, args ...string) goFlags {
		t.Helper()
		dir := newRepo(t, map[string]string{config.FileName: cfg})
		fs := pflag.NewFlagSet("go", pflag.ContinueOnError)
		var out outputFlags
		var gf goFlags
		out.register(fs)
		gf.register(fs)
		if err := fs.Parse(args); err != nil {
			t.Fatal(err)
		}
		if _, err := applyConfig(fs, &env{cwd: dir}, &out, nil); err != nil {
			t.Fatal(err)
		}
		if cfg != "" && !fs.Changed("origin-exempt") {
			t.Error("origin-exempt from the file is not marked as set, so goFlags.apply would drop it")
		}
		return gf
	}
	// Items are taken as written, commas included (no CSV reading).
	if gf := parse("go:\n  origin-exempt: [\"/a,b\", ws://localhost]\n"); !slices.Equal(gf.originExempt, []string{"/a,b", "ws://localhost"}) {
		t.Errorf("origin-exempt from the file = %q", gf.originExempt)
	}
	if gf := parse("go:\n  origin-exempt: [/from-file]\n", "--origin-exempt", "/from-flag"); !slices.Equal(gf.originExempt, []string{"/from-flag"}) {
		t.Errorf("the flag must beat the file: %q", gf.originExempt)
	}
}
