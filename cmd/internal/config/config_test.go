package config

import (
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/wscheck/wscheck/nginxcheck"
	"github.com/wscheck/wscheck/report"
)

var rules = report.Rules{
	{Name: "missing-upgrade-header", Severity: report.Error},
	{Name: "missing-http-version", Severity: report.Warning},
	{Name: "dial-without-origin", Severity: report.Warning},
}

const full = `fail-on: error
enable: [missing-upgrade-header, missing-http-version]
disable: dial-without-origin
severity:
  missing-http-version: info
exclude-rules:
  - path: legacy/**
  - path: deploy/staging/*.conf
    rules: [missing-upgrade-header]
include: ["deploy/**/*.conf"]
exclude: ["*.bak", vendor/]
nginx-version: 1.26
prefix: deploy/nginx
path-map:
  - from: /etc/nginx
    to: deploy/nginx
strict-includes: true
go:
  tests: true
  origin-exempt: [/devtools/, localhost]
  tags: [integration, e2e]
`

func TestParseFull(t *testing.T) {
	c, err := Parse([]byte(full), ".wscheck.yaml", "/repo", rules)
	if err != nil {
		t.Fatal(err)
	}
	check := func(what string, got, want any) {
		t.Helper()
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s = %#v, want %#v", what, got, want)
		}
	}
	check("fail-on", c.FailOn, report.Error)
	check("enable", c.Enable, []string{"missing-upgrade-header", "missing-http-version"})
	check("disable", c.Disable, []string{"dial-without-origin"})
	check("severity", c.Severity, map[string]report.Severity{"missing-http-version": report.Info})
	check("exclude-rules", c.ExcludeRules, []report.PathExclusion{
		{Path: "/repo/legacy/**"},
		{Path: "/repo/deploy/staging/*.conf", Rules: []string{"missing-upgrade-header"}},
	})
	check("include", c.Include, []string{"/repo/deploy/**/*.conf"})
	check("exclude", c.Exclude, []string{"/repo/**/*.bak", "/repo/**/vendor"})
	// 1.26 is a float to YAML; it must reach ParseVersion as written.
	check("nginx-version", c.NginxVersion, "1.26")
	check("prefix", c.Prefix, filepath.FromSlash("/repo/deploy/nginx"))
	check("path-map", c.PathMap, []nginxcheck.PathMapping{{From: "/etc/nginx", To: filepath.FromSlash("/repo/deploy/nginx")}})
	check("strict-includes", c.StrictIncludes, true)
	check("go.tests", c.Go.Tests, true)
	check("go.origin-exempt", c.Go.OriginExempt, []string{"/devtools/", "localhost"})
	check("go.tags", c.Go.Tags, []string{"integration", "e2e"})
	for _, k := range topKeys {
		if !c.Has(k) {
			t.Errorf("Has(%q) = false for a file that sets it", k)
		}
	}
	if !c.Go.Has("tests") || !c.Go.Has("origin-exempt") {
		t.Error("go: keys not recorded as set")
	}
	if empty, _ := Parse([]byte("fail-on: info\n"), "x", "/repo", rules); empty.Has("enable") || empty.Go.Has("tests") {
		t.Error("Has reports a key the file does not set")
	}
}

func TestExcludeGlobsMatchWhatTheyDocument(t *testing.T) {
	c, err := Parse([]byte(full), ".wscheck.yaml", "/re[po]", rules)
	if err != nil {
		t.Fatal(err)
	}
	// The directory is literal even when it looks like a glob.
	if !report.MatchPath(c.Exclude[0], "/re[po]/a/b/x.bak") || report.MatchPath(c.Exclude[0], "/rep/a/x.bak") {
		t.Errorf("exclude %q does not match below its own directory only", c.Exclude[0])
	}
	if !report.MatchPath(c.Exclude[1], "/re[po]/x/vendor") || !report.MatchPath(c.Exclude[1], "/re[po]/vendor") {
		t.Errorf("exclude %q does not match a vendor directory at any depth", c.Exclude[1])
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name, yaml string
		want       string // a regexp over the error, which must start with the position
	}{
		{"unknown key", "fail-on: error\nfial-on: info\n", `^c\.yaml:2:1: unknown key "fial-on" in the file \(known: fail-on, `},
		{"unknown go key", "go:\n  test: true\n", `^c\.yaml:2:3: unknown key "test" in go`},
		{"bad severity", "fail-on: fatal\n", `^c\.yaml:1:10: unknown severity "fatal"`},
		{"unknown rule", "disable: [missing-upgrade-header, nope]\n", `^c\.yaml:1:35: unknown rule "nope"`},
		{"unknown rule in severity", "severity:\n  nope: error\n", `^c\.yaml:2:3: unknown rule "nope"`},
		{"bad severity override", "severity:\n  missing-http-version: loud\n", `^c\.yaml:2:25: unknown severity "loud"`},
		{"bad version", "nginx-version: latest\n", `^c\.yaml:1:16: nginx-version: want an nginx version`},
		{"bool as string", "strict-includes: \"yes\"\n", `^c\.yaml:1:18: want true or false`},
		{"list for string", "prefix: [a, b]\n", `^c\.yaml:1:9: want a non-empty string, got a list`},
		{"absolute glob", "exclude: [/etc/**]\n", `^c\.yaml:1:11: glob "/etc/\*\*": want a path relative`},
		{"malformed glob", "include: [\"a/[b\"]\n", `^c\.yaml:1:11: glob "a/\[b": syntax error`},
		{"path-map half", "path-map:\n  - from: /etc/nginx\n", `^c\.yaml:2:5: path-map entry: want both from and to`},
		{"path-map flag syntax", "path-map: [/etc/nginx=deploy]\n", `^c\.yaml:1:12: path-map entry: want a mapping`},
		{"exclude-rules without path", "exclude-rules:\n  - rules: [missing-http-version]\n", `^c\.yaml:2:5: exclude-rules entry: want a path glob`},
		{"duplicate key", "fail-on: error\nfail-on: info\n", `^c\.yaml:2:1: "fail-on" is already set at line 1`},
		{"not a mapping", "- fail-on\n", `^c\.yaml:1:1: the file: want a mapping`},
		{"syntax", "fail-on: [error\n", `^c\.yaml:\d+: `},
		{"two documents", "fail-on: error\n---\nfail-on: info\n", `^c\.yaml:\d+:\d+: want one YAML document`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Parse([]byte(tt.yaml), "c.yaml", "/repo", rules)
			if err == nil {
				t.Fatalf("accepted: %+v", c)
			}
			if !regexp.MustCompile(tt.want).MatchString(err.Error()) {
				t.Errorf("error %q does not match %q", err, tt.want)
			}
		})
	}
}

func TestParseReportsEveryError(t *testing.T) {
	_, err := Parse([]byte("fail-on: fatal\nbogus: 1\n"), "c.yaml", "/repo", rules)
	if err == nil || !strings.Contains(err.Error(), "c.yaml:1:") || !strings.Contains(err.Error(), "c.yaml:2:") {
		t.Errorf("want both errors, got %v", err)
	}
}

func TestEmptyFile(t *testing.T) {
	for _, src := range []string{"", "# only a comment\n"} {
		c, err := Parse([]byte(src), "c.yaml", "/repo", rules)
		if err != nil || slices.ContainsFunc(topKeys, c.Has) {
			t.Errorf("%q: got %+v, %v; want an empty configuration", src, c, err)
		}
	}
}

func TestStarter(t *testing.T) {
	c, err := Parse([]byte(Starter), FileName, "/repo", rules)
	if err != nil {
		t.Fatalf("the starter file does not load: %v", err)
	}
	if c.FailOn != report.Warning {
		t.Errorf("starter fail-on %v, want the flag's default warning", c.FailOn)
	}
	// Every key is shown, set or commented out, so the starter cannot
	// fall behind the keys Parse knows.
	for _, k := range topKeys {
		if !regexp.MustCompile(`(?m)^(# )?` + regexp.QuoteMeta(k) + `:`).MatchString(Starter) {
			t.Errorf("starter does not show key %q", k)
		}
	}
	for _, k := range goKeys {
		if !regexp.MustCompile(`(?m)^#   ` + regexp.QuoteMeta(k) + `:`).MatchString(Starter) {
			t.Errorf("starter does not show go key %q", k)
		}
	}
	// Uncommenting the commented-out keys gives a valid file too.
	var lines []string
	for _, l := range strings.Split(Starter, "\n") {
		if m := regexp.MustCompile(`^# ((?:[a-z-]+:|  ).*)$`).FindStringSubmatch(l); m != nil && !strings.HasPrefix(m[1], "  #") && !strings.HasPrefix(m[1], "  - path") && !strings.HasPrefix(m[1], "    rules") {
			l = m[1]
		}
		lines = append(lines, l)
	}
	uncommented := strings.Join(lines, "\n")
	c, err = Parse([]byte(uncommented), FileName, "/repo", rules)
	if err != nil {
		t.Fatalf("starter with its examples uncommented does not load: %v\n%s", err, uncommented)
	}
	for _, k := range topKeys {
		if !c.Has(k) {
			t.Errorf("uncommented starter does not set %q:\n%s", k, uncommented)
		}
	}
}

func TestFind(t *testing.T) {
	repo := t.TempDir()
	sub := filepath.Join(repo, "a", "b")
	if err := os.MkdirAll(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(repo, ".git"), 0o755); err != nil {
		t.Fatal(err)
	}
	if got, err := Find(sub); err != nil || got != "" {
		t.Errorf("Find with no file = %q, %v", got, err)
	}
	// A file above the repository root does not apply.
	outside := filepath.Join(filepath.Dir(repo), FileName)
	if _, err := os.Stat(outside); err != nil {
		if err := os.WriteFile(outside, nil, 0o644); err == nil {
			defer os.Remove(outside)
			if got, _ := Find(sub); got != "" {
				t.Errorf("Find crossed the repository root: %q", got)
			}
		}
	}
	want := filepath.Join(repo, FileName)
	if err := os.WriteFile(want, []byte("fail-on: error\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if got, err := Find(sub); err != nil || got != want {
		t.Errorf("Find(%s) = %q, %v; want %q", sub, got, err, want)
	}
	nearer := filepath.Join(repo, "a", FileName)
	if err := os.WriteFile(nearer, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if got, _ := Find(sub); got != nearer {
		t.Errorf("Find did not take the nearest file: %q", got)
	}
}
