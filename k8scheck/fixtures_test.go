package k8scheck

import (
	"testing"

	"github.com/wscheck/wscheck/repo"
	"github.com/wscheck/wscheck/report"
	"github.com/wscheck/wscheck/report/reporttest"
)

var half = reporttest.Half{
	Name: Half, Rules: Rules(), Ext: ".yaml", Style: reporttest.Trailing,
	Analyze: func(p string) report.Result { return Analyze(Disk([]string{p}), []string{p}, repo.WalkOptions{}) },
}

func TestRuleExamples(t *testing.T) { half.RuleExamples(t) }

func TestCases(t *testing.T) { half.Cases(t) }
