package report

import (
	"path/filepath"
	"reflect"
	"testing"
)

func TestOverrideSeverity(t *testing.T) {
	r := Result{Findings: []Finding{{Rule: "a", Severity: Error}, {Rule: "b", Severity: Error}}}
	OverrideSeverity(&r, map[string]Severity{"a": Info})
	if r.Findings[0].Severity != Info || r.Findings[1].Severity != Error {
		t.Errorf("got %+v, want only rule a lowered to info", r.Findings)
	}
	if r.ExitCode(Warning) != ExitFindings {
		t.Error("the untouched error no longer fails the run")
	}
	OverrideSeverity(&r, map[string]Severity{"b": Info})
	if r.ExitCode(Warning) != ExitClean {
		t.Error("--fail-on does not see the overridden severity")
	}
}

func TestExcludePaths(t *testing.T) {
	cwd := filepath.FromSlash("/repo/deploy")
	r := Result{Findings: []Finding{
		{Rule: "a", File: "legacy/x.conf"},                            // /repo/deploy/legacy/x.conf
		{Rule: "b", File: "legacy/x.conf"},                            // same file, other rule
		{Rule: "a", File: "app.conf"},                                 // /repo/deploy/app.conf
		{Rule: "a", File: filepath.FromSlash("/repo/other/app.conf")}, // absolute
	}}
	ExcludePaths(&r, cwd, []PathExclusion{
		{Path: "/repo/**/legacy/**", Rules: []string{"a"}},
		{Path: "/repo/other/*.conf"}, // every rule
	})
	want := []Finding{{Rule: "b", File: "legacy/x.conf"}, {Rule: "a", File: "app.conf"}}
	if !reflect.DeepEqual(r.Findings, want) {
		t.Errorf("got %+v, want %+v", r.Findings, want)
	}
}

func TestRelocate(t *testing.T) {
	from, to := filepath.FromSlash("/repo/deploy"), filepath.FromSlash("/repo")
	abs := filepath.FromSlash("/etc/nginx/nginx.conf")
	r := Result{
		Findings: []Finding{{File: "a.conf"}, {File: abs}, {File: "-"}},
		Errors:   []FileError{{File: filepath.FromSlash("sub/b.conf")}},
	}
	Relocate(&r, from, to)
	got := []string{r.Findings[0].File, r.Findings[1].File, r.Findings[2].File, r.Errors[0].File}
	want := []string{filepath.FromSlash("deploy/a.conf"), abs, "-", filepath.FromSlash("deploy/sub/b.conf")}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}
