package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/pflag"

	"github.com/wscheck/wscheck/report"
)

// fixFlags are --diff, --fix and --fix-info, shared by every command whose
// findings carry repairs (report.Fix): the command hands runWithFixes a
// function that analyzes, and gets the same output and exit status.
type fixFlags struct {
	diff, fix, info bool
}

func (f *fixFlags) register(fs *pflag.FlagSet) {
	fs.BoolVar(&f.diff, "diff", false, "print the repairs of the findings that have one as a unified diff on stdout (apply it with patch -p0 or git apply), changing nothing")
	fs.BoolVar(&f.fix, "fix", false, "make the repairs in place, then report what remains (the exit status is that of what remains)")
	fs.BoolVar(&f.info, "fix-info", false, "with --diff or --fix: repair info findings too (advice, left alone by default)")
}

func (f *fixFlags) check() error {
	switch {
	case f.diff && f.fix:
		return errors.New("--diff and --fix: choose one (--diff shows what --fix would write)")
	case f.info && !f.diff && !f.fix:
		return errors.New("--fix-info: use it with --diff or --fix")
	}
	return nil
}

// repairs: the run prints or makes repairs, so the analysis must build them.
func (f *fixFlags) repairs() bool { return f.diff || f.fix }

// minSeverity is the lowest severity whose repairs are made: info
// findings are advice, repaired only when asked.
func (f *fixFlags) minSeverity() report.Severity {
	if f.info {
		return report.Info
	}
	return report.Warning
}

// runWithFixes analyzes and prints as emit does, or with --diff/--fix
// plans the repairs of the findings that survive the filters (--enable,
// --disable, the configuration's exclusions, ignore comments) and prints
// or makes them. After --fix it analyzes again: what it prints and the
// exit status are what remains.
func (o *outputFlags) runWithFixes(e *env, ff fixFlags, analyze func() report.Result, failOn report.Severity, sel report.Selection) int {
	if !ff.diff && !ff.fix {
		return o.emit(e, analyze(), failOn, sel)
	}
	res := analyze()
	o.process(e, &res, sel)
	plan := report.PlanFixes(res.Findings, ff.minSeverity())
	changes, errs := planChanges(e, plan)
	res.Errors = append(res.Errors, errs...)
	writeNotes(e, plan)
	if ff.diff {
		for _, c := range changes {
			if _, err := fmt.Fprint(e.stdout, report.UnifiedDiff(c.name, c.old, c.new)); err != nil {
				fmt.Fprintf(e.stderr, "wscheck: writing the diff: %v\n", err)
				return report.ExitBroken
			}
		}
		// stdout carries only the diff: what it does not repair goes to
		// stderr, and nothing changed, so the exit status is the findings'.
		left := res
		left.Findings = unrepaired(res.Findings, plan.Fixed)
		if err := report.WriteText(e.stderr, left, report.TextOptions{Color: o.useColor(e, e.stderr), ErrorsColor: o.useColor(e, e.stderr)}); err != nil {
			return report.ExitBroken
		}
		fmt.Fprintf(e.stderr, "wscheck: --diff: %s in %s; %s without one\n", plural(len(plan.Fixed), "repair"), plural(len(changes), "file"), plural(len(left.Findings), "finding"))
		return res.ExitCode(failOn)
	}
	var written []string
	for _, c := range changes {
		if err := os.WriteFile(c.path, c.new, c.mode); err != nil {
			res.Errors = append(res.Errors, report.FileError{File: c.name, Message: "writing the repair: " + err.Error()})
			continue
		}
		written = append(written, c.name)
	}
	if len(written) > 0 {
		fmt.Fprintf(e.stderr, "wscheck: --fix: %s made, in %s\n", plural(len(plan.Fixed), "repair"), strings.Join(written, ", "))
	}
	after := analyze()
	after.Errors = append(after.Errors, res.Errors...)
	return o.emit(e, after, failOn, sel)
}

// change is one file's content before and after its repairs.
type change struct {
	name, path string // as findings name it; as the process opens it
	old, new   []byte
	mode       os.FileMode
}

// planChanges reads each file the plan edits and makes its edits in
// memory. A file that cannot be read or edited is an input error of its
// own; the other files are still repaired.
func planChanges(e *env, plan report.FixPlan) ([]change, []report.FileError) {
	var out []change
	var errs []report.FileError
	for _, name := range plan.Files() {
		path := name
		if !filepath.IsAbs(path) {
			path = filepath.Join(e.cwd, path)
		}
		st, err := os.Stat(path)
		if err != nil {
			errs = append(errs, report.FileError{File: name, Message: "reading it to repair: " + err.Error()})
			continue
		}
		old, err := os.ReadFile(path)
		if err != nil {
			errs = append(errs, report.FileError{File: name, Message: "reading it to repair: " + err.Error()})
			continue
		}
		updated, err := report.ApplyEdits(old, plan.Edits[name])
		if err != nil {
			errs = append(errs, report.FileError{File: name, Message: "not repaired: " + err.Error()})
			continue
		}
		if string(updated) != string(old) {
			out = append(out, change{name: name, path: path, old: old, new: updated, mode: st.Mode().Perm()})
		}
	}
	return out, errs
}

// writeNotes says on stderr what a user must know of the plan: choices a
// repair made, and findings left without one and why.
func writeNotes(e *env, plan report.FixPlan) {
	for _, f := range plan.Fixed {
		if f.Fix.Note != "" {
			fmt.Fprintf(e.stderr, "%s: note: %s (%s)\n", report.Position(report.Escape(f.File), f.Line, f.Column), f.Fix.Note, f.Rule)
		}
	}
	for _, s := range plan.Skipped {
		f := s.Finding
		fmt.Fprintf(e.stderr, "%s: not repaired: %s (%s)\n", report.Position(report.Escape(f.File), f.Line, f.Column), s.Reason, f.Rule)
	}
}

// unrepaired returns the findings the plan does not repair.
func unrepaired(all, fixed []report.Finding) []report.Finding {
	out := []report.Finding{}
	for _, f := range all {
		if !slices.ContainsFunc(fixed, func(g report.Finding) bool {
			return g.File == f.File && g.Line == f.Line && g.Column == f.Column && g.Rule == f.Rule && g.Message == f.Message
		}) {
			out = append(out, f)
		}
	}
	return out
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}
