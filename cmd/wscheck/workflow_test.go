package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/wscheck/wscheck/cmd/internal/config"
)

// readmeBlock returns the first fenced block of lang under heading in the
// README, so the tests below check the text a newcomer copies.
func readmeBlock(t *testing.T, heading, lang string) string {
	t.Helper()
	readme, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	s := string(readme)
	i := strings.Index(s, "\n"+heading+"\n")
	if i < 0 {
		t.Fatalf("README has no %q section", heading)
	}
	m := regexp.MustCompile("(?s)\n```" + lang + "\n(.*?)\n```\n").FindStringSubmatch(s[i:])
	if m == nil {
		t.Fatalf("README section %q has no ```%s block", heading, lang)
	}
	return m[1] + "\n"
}

func readTestdata(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "testdata", "integrations", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// workflow is the part of a GitHub Actions workflow the test reads.
type workflow struct {
	Permissions map[string]string
	Jobs        map[string]struct {
		Steps []struct {
			ID   string
			If   string
			Uses string
			Run  string
			With map[string]string
		}
	}
}

func TestGitHubWorkflow(t *testing.T) {
	file := readTestdata(t, "github-workflow.yml")
	if got := readmeBlock(t, "### GitHub Actions", "yaml"); got != file {
		t.Fatalf("the README workflow differs from testdata/integrations/github-workflow.yml:\n%s", got)
	}
	var wf workflow
	if err := yaml.Unmarshal([]byte(file), &wf); err != nil {
		t.Fatal(err)
	}
	if wf.Permissions["security-events"] != "write" {
		t.Error("upload-sarif needs permissions: security-events: write")
	}
	job, ok := wf.Jobs["wscheck"]
	if !ok {
		t.Fatal("no wscheck job")
	}
	// The gate step: wscheck ARGS > FILE, keeping the status for later.
	var args []string
	var sarifFile string
	gate, upload, fail := -1, -1, -1
	for i, s := range job.Steps {
		switch {
		case s.ID == "wscheck":
			m := regexp.MustCompile(`^wscheck ([^>|]+) > (\S+) \|\| echo "status=\$\?" >> "\$GITHUB_OUTPUT"$`).FindStringSubmatch(strings.TrimSpace(s.Run))
			if m == nil {
				t.Fatalf("wscheck step %q: want `wscheck ARGS > FILE || echo \"status=$?\" >> \"$GITHUB_OUTPUT\"`", s.Run)
			}
			args, sarifFile, gate = strings.Fields(m[1]), m[2], i
		case strings.HasPrefix(s.Uses, "github/codeql-action/upload-sarif@"):
			upload = i
			if s.With["sarif_file"] != sarifFile || s.If != "" {
				t.Errorf("upload step reads %q (if %q), want %q unconditionally", s.With["sarif_file"], s.If, sarifFile)
			}
		case strings.Contains(s.If, "steps.wscheck.outputs.status"):
			fail = i
			if strings.TrimSpace(s.Run) != "exit ${{ steps.wscheck.outputs.status }}" {
				t.Errorf("last step %q does not fail with wscheck's status", s.Run)
			}
		}
	}
	if gate < 0 || upload < gate || fail < upload {
		t.Fatalf("want the steps wscheck, upload, fail in that order; got %d, %d, %d", gate, upload, fail)
	}

	// Run the step's command on a repository with findings in both
	// halves: SARIF that validates, and exit 1 for the last step.
	repo := newRepo(t, map[string]string{
		"deploy/nginx.conf": brokenWS,
		"svc/go.mod":        "module example.com/svc\n\ngo 1.26.0\n",
		"svc/app.go":        rawApp,
	})
	t.Chdir(repo) // the nginx half resolves "." against the process's directory
	out, stderr, code := wsRun(t, repo, args...)
	if code != 1 {
		t.Errorf("%v: exit %d, want 1 (%s)", args, code, stderr)
	}
	validateSARIFFile(t, []byte(out))
	files := map[string]bool{}
	for _, res := range decodeSARIF(t, out).Results {
		files[res.Locations[0].PhysicalLocation.ArtifactLocation.URI] = true
	}
	if !files["deploy/nginx.conf"] || !files["svc/app.go"] || len(files) != 2 {
		t.Errorf("the workflow's SARIF names %v, want deploy/nginx.conf and svc/app.go:\n%s", files, out)
	}
}

func TestREADMEConfigExample(t *testing.T) {
	file := readTestdata(t, "wscheck.yaml")
	if got := readmeBlock(t, "### Repository configuration", "yaml"); got != file {
		t.Fatalf("the README .wscheck.yaml differs from testdata/integrations/wscheck.yaml:\n%s", got)
	}
	// It loads against the real rule set, so it names only real rules.
	c, err := config.Parse([]byte(file), config.FileName, "/repo", allRules())
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Disable) == 0 || len(c.ExcludeRules) == 0 || len(c.PathMap) == 0 {
		t.Errorf("the example lost its keys: %+v", c)
	}
}
