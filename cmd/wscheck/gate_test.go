package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/wscheck/wscheck/report"
)

// repoWant is a fixture repository's want.json: what `wscheck --format
// json .` must report there, finding for finding.
type repoWant struct {
	Findings []string `json:"findings"` // "file:line:col rule"
	Errors   []string `json:"errors"`   // "file:line message"
	Summary  struct {
		Files              int      `json:"files"`
		WebSocketLocations int      `json:"websocket_locations"`
		Templates          int      `json:"templates"`
		TemplateLocations  int      `json:"template_websocket_locations"`
		KubernetesFiles    int      `json:"kubernetes_files"`
		PathMaps           []string `json:"path_maps"` // "from -> to"
		NotAnalyzed        []string `json:"not_analyzed"`
	} `json:"summary"`
}

// TestRepositoryGate runs the gate on each fixture repository under
// testdata/repos, one per layout the repository gate must read the way
// the deployed proxy does (compose mounts, Dockerfile COPY, s6 rootfs,
// decoys, other proxies, hermetic includes).
func TestRepositoryGate(t *testing.T) {
	dirs, err := os.ReadDir("../../testdata/repos")
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range dirs {
		if !d.IsDir() {
			continue
		}
		t.Run(d.Name(), func(t *testing.T) {
			dir, _ := filepath.Abs(filepath.Join("../../testdata/repos", d.Name()))
			b, err := os.ReadFile(filepath.Join(dir, "want.json"))
			if err != nil {
				t.Fatalf("every fixture repository states its expectations in want.json: %v", err)
			}
			var want repoWant
			if err := json.Unmarshal(b, &want); err != nil {
				t.Fatalf("want.json: %v", err)
			}
			t.Chdir(dir) // paths in messages are as the user gave them: relative
			stdout, stderr, code := wsRun(t, dir, "--no-config", "--format", "json", ".")
			var res report.Result
			if err := json.Unmarshal([]byte(stdout), &res); err != nil {
				t.Fatalf("exit %d, not JSON: %v\n%s%s", code, err, stdout, stderr)
			}
			var got repoWant
			for _, f := range res.Findings {
				got.Findings = append(got.Findings, fmt.Sprintf("%s:%d:%d %s", f.File, f.Line, f.Column, f.Rule))
			}
			for _, e := range res.Errors {
				got.Errors = append(got.Errors, fmt.Sprintf("%s:%d %s", e.File, e.Line, e.Message))
			}
			s := res.Summary
			got.Summary.Files, got.Summary.WebSocketLocations, got.Summary.Templates = s.Files, s.WebSocketLocations, s.Templates
			got.Summary.TemplateLocations, got.Summary.KubernetesFiles = s.TemplateLocations, s.KubernetesFiles
			for _, m := range s.PathMaps {
				got.Summary.PathMaps = append(got.Summary.PathMaps, m.From+" -> "+filepath.ToSlash(m.To))
			}
			for _, n := range s.NotAnalyzed {
				if n.Reason == "" {
					t.Errorf("%s is not analyzed without a reason", n.File)
				}
				got.Summary.NotAnalyzed = append(got.Summary.NotAnalyzed, filepath.ToSlash(n.File))
			}
			compare := func(what string, got, want []string) {
				if !slices.Equal(got, want) && (len(got) > 0 || len(want) > 0) {
					t.Errorf("%s:\n got  %q\n want %q", what, got, want)
				}
			}
			compare("findings", got.Findings, want.Findings)
			compare("errors", got.Errors, want.Errors)
			compare("path maps", got.Summary.PathMaps, want.Summary.PathMaps)
			compare("not analyzed", got.Summary.NotAnalyzed, want.Summary.NotAnalyzed)
			if got.Summary.Files != want.Summary.Files || got.Summary.WebSocketLocations != want.Summary.WebSocketLocations || got.Summary.Templates != want.Summary.Templates || got.Summary.TemplateLocations != want.Summary.TemplateLocations || got.Summary.KubernetesFiles != want.Summary.KubernetesFiles {
				t.Errorf("summary counts: got %+v, want %+v", got.Summary, want.Summary)
			}
			wantCode := report.ExitClean
			switch {
			case len(want.Errors) > 0:
				wantCode = report.ExitBroken
			case slices.ContainsFunc(res.Findings, func(f report.Finding) bool { return f.Severity >= report.Warning }):
				wantCode = report.ExitFindings
			}
			if code != wantCode {
				t.Errorf("exit %d, want %d", code, wantCode)
			}
		})
	}
}

// TestSummaryLine: a text run ends with one line on stderr that says what
// was judged, and --verbose lists the path maps and files not analyzed.
func TestSummaryLine(t *testing.T) {
	dir, _ := filepath.Abs("../../testdata/repos/decoys")
	compose, _ := filepath.Abs("../../testdata/repos/compose-mounts")
	t.Chdir(dir)
	_, stderr, _ := wsRun(t, dir, "--no-config", ".")
	if want := "wscheck: 1 nginx file, 1 WebSocket location judged, 1 not analyzed (--verbose lists them); 0 findings, 0 errors\n"; stderr != want {
		t.Errorf("stderr:\n got  %q\n want %q", stderr, want)
	}
	t.Chdir(compose)
	_, stderr, _ = wsRun(t, compose, "--no-config", "--verbose", ".")
	want := "wscheck: path map /etc/nginx/conf.d -> nginx/conf.d (docker-compose.yml:10)\n" +
		"wscheck: path map /etc/nginx/nginx.conf -> nginx/nginx.conf (docker-compose.yml:9)\n" +
		"wscheck: 2 nginx files, 2 WebSocket locations judged, 2 path maps; 1 finding, 0 errors\n"
	if stderr != want {
		t.Errorf("stderr:\n got  %q\n want %q", stderr, want)
	}
	if strings.Contains(stderr, "\x1b") {
		t.Error("raw escape in the summary")
	}
}

// TestHostileFileNames: a file name with ESC and a newline cannot move
// the terminal's cursor or forge a line in text or github output.
func TestHostileFileNames(t *testing.T) {
	dir := t.TempDir()
	name := "evil\x1b[2J\nname.conf"
	if err := os.WriteFile(filepath.Join(dir, name), []byte(brokenWS), 0o644); err != nil {
		t.Skipf("this file system refuses such a name: %v", err)
	}
	t.Chdir(dir)
	for _, format := range []string{"text", "github"} {
		stdout, stderr, code := wsRun(t, dir, "nginx", "--no-config", "--format", format, ".")
		if code != 1 {
			t.Fatalf("%s: exit %d, want 1\n%s%s", format, code, stdout, stderr)
		}
		if strings.Contains(stdout+stderr, "\x1b") {
			t.Errorf("%s: raw ESC in the output:\n%q", format, stdout)
		}
		shown := map[string]string{"text": `evil\x1b[2J\nname.conf`, "github": `evil\x1b[2J%0Aname.conf`}[format]
		if !strings.Contains(stdout, shown) {
			t.Errorf("%s: the name is not shown escaped:\n%q", format, stdout)
		}
		for _, line := range strings.Split(strings.TrimSpace(stdout), "\n") {
			if !strings.HasPrefix(line, "evil") && !strings.HasPrefix(line, "::") && !strings.HasPrefix(line, "    ") {
				t.Errorf("%s: a line that is neither a finding nor its reason: %q", format, line)
			}
		}
	}
}
