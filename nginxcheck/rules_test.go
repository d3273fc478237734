package nginxcheck

import "testing"

// A rule off by default reports nothing unless Options.Enable names it.
func TestOffRuleRunsOnlyWhenEnabled(t *testing.T) {
	const fixture = "testdata/rules/upgrade-not-restricted/bad.conf"
	count := func(opts Options) int {
		n := 0
		for _, f := range Analyze([]string{fixture}, opts).Findings {
			if f.Rule == "upgrade-not-restricted" {
				n++
			}
		}
		return n
	}
	if n := count(Options{}); n != 0 {
		t.Errorf("off by default, but reported %d findings", n)
	}
	if n := count(Options{Enable: []string{"upgrade-not-restricted"}}); n != 1 {
		t.Errorf("enabled: %d findings, want 1", n)
	}
}
