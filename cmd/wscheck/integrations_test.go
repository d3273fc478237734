package main

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// wsRun runs the CLI in cwd and returns its output and exit status.
func wsRun(t *testing.T, cwd string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(args, &env{stdin: strings.NewReader(""), stdout: &out, stderr: &errb, cwd: cwd})
	return out.String(), errb.String(), code
}

// writeTree writes files (slash-separated names) below dir.
func writeTree(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, body := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// newRepo makes a directory that looks like a repository root.
func newRepo(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, ".git"), 0o755); err != nil {
		t.Fatal(err)
	}
	writeTree(t, dir, files)
	return dir
}

// brokenWS is a WebSocket location with no Upgrade, Connection or HTTP/1.1.
const brokenWS = `http {
    server {
        listen 80;
        location /ws {
            proxy_pass http://app;
        }
    }
}
`

// sarifSchema is the repository's copy of the SARIF 2.1.0 schema
// (testdata/schemas); absolute, so tests may t.Chdir.
var sarifSchema, _ = filepath.Abs(filepath.Join("..", "..", "testdata", "schemas", "sarif-2.1.0.json"))

func validateSARIFFile(t *testing.T, data []byte) {
	t.Helper()
	sch, err := jsonschema.NewCompiler().Compile(sarifSchema)
	if err != nil {
		t.Fatalf("SARIF schema (testdata/schemas): %v", err)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("SARIF output is not JSON: %v\n%s", err, data)
	}
	if err := sch.Validate(inst); err != nil {
		t.Errorf("SARIF output does not validate: %v", err)
	}
}

// sarifRun is the part of wscheck's SARIF the CLI tests read.
type sarifRun struct {
	Tool struct {
		Driver struct {
			Version, SemanticVersion string
			Rules                    []struct{ ID string }
		}
	}
	Invocations []struct {
		ExecutionSuccessful        bool
		ToolExecutionNotifications []struct{ Message struct{ Text string } }
	}
	Results []struct {
		RuleID    string
		Locations []struct {
			PhysicalLocation struct {
				ArtifactLocation struct{ URI, URIBaseID string }
				Region           struct{ StartLine int }
			}
		}
		PartialFingerprints map[string]string
	}
}

func decodeSARIF(t *testing.T, data string) sarifRun {
	t.Helper()
	var log struct{ Runs []sarifRun }
	if err := json.Unmarshal([]byte(data), &log); err != nil || len(log.Runs) != 1 {
		t.Fatalf("want one SARIF run, got %v:\n%s", err, data)
	}
	return log.Runs[0]
}

func TestEveryFormatEndToEnd(t *testing.T) {
	repo := newRepo(t, map[string]string{"deploy/nginx.conf": brokenWS})
	deploy := filepath.Join(repo, "deploy")
	conf := filepath.Join(deploy, "nginx.conf")

	// From a subdirectory: text, JSON and checkstyle name files from the
	// working directory, SARIF and GitHub from the repository root.
	wantFile := map[string]string{"text": "nginx.conf", "json": "nginx.conf", "checkstyle": "nginx.conf",
		"sarif": "deploy/nginx.conf", "github": "deploy/nginx.conf"}
	for _, format := range []string{"text", "json", "sarif", "github", "checkstyle"} {
		t.Run(format, func(t *testing.T) {
			out, stderr, code := wsRun(t, deploy, "nginx", "--format", format, conf)
			if code != 1 {
				t.Fatalf("exit %d, want 1 for findings in every format; stderr: %s", code, stderr)
			}
			if !strings.Contains(out, "missing-upgrade-header") || !strings.Contains(out, wantFile[format]) {
				t.Errorf("output lacks the finding or file %q:\n%s", wantFile[format], out)
			}
			switch format {
			case "sarif":
				validateSARIFFile(t, []byte(out))
				r := decodeSARIF(t, out)
				if v := readVersion(); r.Tool.Driver.Version != v.String() || r.Tool.Driver.SemanticVersion != v.semantic() {
					t.Errorf("tool.driver version %q, semanticVersion %q; want %q and %q, as --version", r.Tool.Driver.Version, r.Tool.Driver.SemanticVersion, v, v.semantic())
				}
				if r.Tool.Driver.Version == "" {
					t.Error("tool.driver.version is empty")
				}
				if len(r.Tool.Driver.Rules) != len(allRules()) {
					t.Errorf("driver lists %d rules, want all %d", len(r.Tool.Driver.Rules), len(allRules()))
				}
				for _, res := range r.Results {
					loc := res.Locations[0].PhysicalLocation.ArtifactLocation
					if loc.URI != "deploy/nginx.conf" || loc.URIBaseID != "%SRCROOT%" {
						t.Errorf("%s at %+v, want deploy/nginx.conf from %%SRCROOT%%", res.RuleID, loc)
					}
				}
			case "github":
				for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
					if !strings.HasPrefix(l, "::error file=deploy/nginx.conf,line=") && !strings.HasPrefix(l, "::warning file=deploy/nginx.conf,line=") && !strings.HasPrefix(l, "::notice file=deploy/nginx.conf,line=") {
						t.Errorf("not a workflow command for deploy/nginx.conf: %q", l)
					}
				}
			case "checkstyle":
				var doc struct {
					Files []struct {
						Name   string `xml:"name,attr"`
						Errors []struct {
							Source string `xml:"source,attr"`
						} `xml:"error"`
					} `xml:"file"`
				}
				if err := xml.Unmarshal([]byte(out), &doc); err != nil || len(doc.Files) != 1 || doc.Files[0].Name != "nginx.conf" {
					t.Fatalf("checkstyle: %v %+v", err, doc)
				}
				for _, e := range doc.Files[0].Errors {
					if !strings.HasPrefix(e.Source, "wscheck.") {
						t.Errorf("source %q lacks the wscheck. prefix", e.Source)
					}
				}
			}
		})
	}
}

func TestFileErrorsInSARIF(t *testing.T) {
	repo := newRepo(t, map[string]string{
		"good.conf":   brokenWS,
		"broken.conf": "http {\n    server {\n",
	})
	out, _, code := wsRun(t, repo, "nginx", "--format", "sarif", filepath.Join(repo, "good.conf"), filepath.Join(repo, "broken.conf"))
	if code != 2 {
		t.Errorf("exit %d, want 2: input that could not be analyzed wins in SARIF too", code)
	}
	validateSARIFFile(t, []byte(out))
	r := decodeSARIF(t, out)
	if len(r.Results) == 0 {
		t.Error("findings of the good file are lost")
	}
	inv := r.Invocations[0]
	if inv.ExecutionSuccessful || len(inv.ToolExecutionNotifications) == 0 {
		t.Errorf("the broken file is not a failed-execution notification: %+v", inv)
	}
	for _, res := range r.Results {
		if strings.Contains(res.Locations[0].PhysicalLocation.ArtifactLocation.URI, "broken") {
			t.Errorf("a file error became a result: %+v", res)
		}
	}
}

func TestSARIFFingerprintsSurviveUnrelatedEdits(t *testing.T) {
	fingerprints := func(conf string) (map[string]string, []int) {
		repo := newRepo(t, map[string]string{"nginx.conf": conf})
		out, _, _ := wsRun(t, repo, "nginx", "--format", "sarif", filepath.Join(repo, "nginx.conf"))
		fps := map[string]string{}
		var lines []int
		for _, res := range decodeSARIF(t, out).Results {
			fps[res.RuleID] = res.PartialFingerprints["wscheck/v1"]
			lines = append(lines, res.Locations[0].PhysicalLocation.Region.StartLine)
		}
		return fps, lines
	}
	before, beforeLines := fingerprints(brokenWS)
	// Lines inserted above and the block re-indented: same findings.
	after, afterLines := fingerprints("# a comment\n\n" + strings.ReplaceAll(brokenWS, "    ", "\t"))
	if len(before) == 0 || slices.Equal(beforeLines, afterLines) {
		t.Fatalf("the edit did not move the findings (%v -> %v)", beforeLines, afterLines)
	}
	for rule, fp := range before {
		if after[rule] != fp {
			t.Errorf("%s: fingerprint %s became %s after an unrelated edit", rule, fp, after[rule])
		}
	}
}

func TestUnknownFormatIsUsageError(t *testing.T) {
	_, stderr, code := wsRun(t, t.TempDir(), "nginx", "--format", "xml", "x.conf")
	if code != 2 || !strings.Contains(stderr, "sarif") {
		t.Errorf("exit %d, stderr %q; want 2 naming the formats", code, stderr)
	}
}
