package e2e

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/wscheck/wscheck/nginxcheck"
	"github.com/wscheck/wscheck/report"
)

// repaired are the rules with a repair, and the lowest severity whose
// repairs --fix makes for them (host-not-forwarded: --fix-info).
var repaired = map[string]report.Severity{
	"missing-http-version":      report.Warning,
	"missing-upgrade-header":    report.Warning,
	"missing-connection-header": report.Warning,
	"dropped-inherited-headers": report.Warning,
	"connection-from-client":    report.Warning,
	"broken-upgrade-map":        report.Warning,
	"host-not-forwarded":        report.Info,
}

// TestFixedFixturesWork: each repaired rule's bad fixture, after the
// repairs --fix makes (the same plan and edits, through the library), is
// a config nginx -t accepts whose every location upgrades and echoes
// through the real nginx to both backends, and in which wscheck finds no
// error or warning.
func TestFixedFixturesWork(t *testing.T) {
	bin := requireNginx(t)
	rules := nginxcheck.Rules()
	type input struct {
		name, file string
		rule       report.Rule
		min        report.Severity
		tree       bool // copy the file's whole directory: a config with its includes
	}
	var inputs []input
	for name, min := range repaired {
		r, ok := rules.Lookup(name)
		if !ok {
			t.Fatalf("nginxcheck.Rules() has no rule %q, whose repair this test proves", name)
		}
		inputs = append(inputs, input{name, filepath.Join(rulesDir, name, "bad.conf"), r, min, false})
	}
	// Fixture trees of one fragment: a list copied from the server, a
	// config on one line.
	for _, tree := range []string{"inherited-list", "minified"} {
		inputs = append(inputs, input{"trees/" + tree, filepath.Join("..", "testdata", "fix", tree, "app.conf"), report.Rule{Name: "repair"}, report.Warning, false})
	}
	// Complete configs: the map the repair adds to http {}, and a repair
	// made inside the included snippet.
	for _, tree := range []string{"complete-adds-map", "in-snippet"} {
		inputs = append(inputs, input{"trees/" + tree, filepath.Join("..", "testdata", "fix", tree, "nginx.conf"), report.Rule{Name: "repair"}, report.Warning, true})
	}
	for _, in := range inputs {
		name, r, min := in.name, in.rule, in.min
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			base := "bad.conf"
			if in.tree {
				base = filepath.Base(in.file)
				if err := os.CopyFS(dir, os.DirFS(filepath.Dir(in.file))); err != nil {
					t.Fatal(err)
				}
			} else {
				src, err := os.ReadFile(in.file)
				if err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(filepath.Join(dir, base), src, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			conf := filepath.Join(dir, base)
			res := nginxcheck.Analyze([]string{conf}, nginxcheck.Options{Repairs: true})
			plan := report.PlanFixes(res.Findings, min)
			if len(plan.Fixed) == 0 {
				t.Fatalf("no repair for the bad fixture: %+v", res.Findings)
			}
			for _, file := range plan.Files() {
				old, err := os.ReadFile(file)
				if err != nil {
					t.Fatal(err)
				}
				updated, err := report.ApplyEdits(old, plan.Edits[file])
				if err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(file, updated, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			after := nginxcheck.Analyze([]string{conf}, nginxcheck.Options{Repairs: true})
			for _, f := range after.Findings {
				if f.Severity >= report.Warning {
					t.Errorf("the repaired fixture still has %s: %s (%s)", f.Severity, f.Message, f.Rule)
				}
			}
			fixed, err := loadFixture(dir, name, base)
			if err != nil {
				t.Fatal(err)
			}
			fixed.name = base + ", repaired"
			p := &prover{bin: bin, rule: r, obs: &observations{}}
			p.requireWorks(t, fixed, nil, "")
		})
	}
}
