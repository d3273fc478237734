package nginxcheck

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/wscheck/wscheck/report"
)

// TestNoRepairOfTemplates: a template gets no repair however it is read,
// neutralized (a path argument: its finding says why) or as is (--tree,
// the pre-commit hook, where it is an input error of its own).
func TestNoRepairOfTemplates(t *testing.T) {
	dir := filepath.Join("testdata", "fix", "template")
	conf := filepath.Join(dir, "app.conf")
	why := noFixes(Analyze([]string{conf}, Options{Repairs: true}).Findings)
	if len(why) == 0 {
		t.Error("no finding without a repair")
	}
	for _, w := range why {
		if !strings.Contains(w, "template") {
			t.Errorf("%q, want the template named as the reason", w)
		}
	}
	for _, w := range noFixes(AnalyzeInTree(dir, []string{conf}, Options{Repairs: true}).Findings) {
		if !strings.Contains(w, "template") {
			t.Errorf("--tree: %q, want no repair, for the template", w)
		}
	}
}

// noFixes returns the NoFix reasons, failing on any repair.
func noFixes(fs []report.Finding) []string {
	var out []string
	for _, f := range fs {
		if f.Fix != nil {
			out = append(out, "a repair: "+f.Fix.Message)
		} else if f.NoFix != "" {
			out = append(out, f.NoFix)
		}
	}
	return out
}

// TestRepairsOnlyWhenAsked: without Options.Repairs the same findings come
// with no repair and no reason for none (nothing was read to build one).
func TestRepairsOnlyWhenAsked(t *testing.T) {
	conf := filepath.Join("testdata", "rules", "missing-http-version", "bad.conf")
	with, without := Analyze([]string{conf}, Options{Repairs: true}), Analyze([]string{conf}, Options{})
	if len(with.Findings) == 0 || len(with.Findings) != len(without.Findings) {
		t.Fatalf("%d findings with repairs, %d without", len(with.Findings), len(without.Findings))
	}
	if plan := report.PlanFixes(with.Findings, report.Warning); len(plan.Fixed) == 0 {
		t.Error("Repairs: no finding has a repair")
	}
	for _, f := range without.Findings {
		if f.Fix != nil || f.NoFix != "" {
			t.Errorf("repair built without Repairs: %+v", f)
		}
	}
}
