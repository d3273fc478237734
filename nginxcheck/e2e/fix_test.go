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
	}
	var inputs []input
	for name, min := range repaired {
		r, ok := rules.Lookup(name)
		if !ok {
			t.Fatalf("nginxcheck.Rules() has no rule %q, whose repair this test proves", name)
		}
		inputs = append(inputs, input{name, filepath.Join(rulesDir, name, "bad.conf"), r, min})
	}
	// Fixture trees of one fragment: a list copied from the server, a
	// config on one line.
	for _, tree := range []string{"inherited-list", "minified"} {
		inputs = append(inputs, input{"trees/" + tree, filepath.Join("..", "testdata", "fix", tree, "app.conf"), report.Rule{Name: "repair"}, report.Warning})
	}
	for _, in := range inputs {
		name, r, min := in.name, in.rule, in.min
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			src, err := os.ReadFile(in.file)
			if err != nil {
				t.Fatal(err)
			}
			conf := filepath.Join(dir, "bad.conf")
			if err := os.WriteFile(conf, src, 0o644); err != nil {
				t.Fatal(err)
			}
			res := nginxcheck.Analyze([]string{conf}, nginxcheck.Options{})
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
			after := nginxcheck.Analyze([]string{conf}, nginxcheck.Options{})
			for _, f := range after.Findings {
				if f.Severity >= report.Warning {
					t.Errorf("the repaired fixture still has %s: %s (%s)", f.Severity, f.Message, f.Rule)
				}
			}
			fixed, err := loadFixture(dir, name, "bad.conf")
			if err != nil {
				t.Fatal(err)
			}
			fixed.name = "bad.conf, repaired"
			p := &prover{bin: bin, rule: r, obs: &observations{}}
			p.requireWorks(t, fixed, nil, "")
		})
	}
}
