package main

import (
	"errors"
	"fmt"
	"go/ast"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/spf13/pflag"
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/packages"

	"github.com/wscheck/wscheck/analyzers"
	"github.com/wscheck/wscheck/gocheck"
	"github.com/wscheck/wscheck/report"
)

// goFlags are the options of the Go half.
type goFlags struct {
	tests        bool
	originExempt []string
}

func (g *goFlags) register(fs *pflag.FlagSet) {
	fs.BoolVar(&g.tests, "tests", false, "also analyze _test.go files (default off: test code often dials fakes on purpose)")
	fs.StringSliceVar(&g.originExempt, "origin-exempt", nil, `substrings of a constant dial URL that need no Origin header (default "/devtools/"; "" exempts nothing)`)
}

// apply sets the analyzers' own flags, so every driver sees the same
// options; a flag left unset goes back to its default.
func (g *goFlags) apply(fs *pflag.FlagSet) error {
	for _, a := range analyzers.Suite {
		f := a.Flags.Lookup("origin-exempt")
		if f == nil {
			continue
		}
		v := f.DefValue
		if fs.Changed("origin-exempt") {
			v = strings.Join(g.originExempt, ",")
		}
		if err := f.Value.Set(v); err != nil {
			return fmt.Errorf("--origin-exempt: %w", err)
		}
	}
	return nil
}

func runGo(args []string, e *env) int {
	fs := pflag.NewFlagSet("go", pflag.ContinueOnError)
	var out outputFlags
	var gf goFlags
	out.register(fs)
	gf.register(fs)
	if !parseFlags(fs, args, e) {
		return report.ExitBroken
	}
	if _, err := applyConfig(fs, e, &out, nil); err != nil {
		return usageError(e, "go", err)
	}
	failOn, sel, err := out.check()
	if err != nil {
		return usageError(e, "go", err)
	}
	if err := gf.apply(fs); err != nil {
		return usageError(e, "go", err)
	}
	patterns := fs.Args()
	if len(patterns) == 0 {
		patterns = []string{"./..."}
	}
	return out.emit(e, analyzeGo(e.cwd, patterns, gf.tests, true), failOn, sel)
}

// analyzeGo loads the packages matching patterns in dir and runs the
// suite over them. Load and type errors become FileErrors (exit 2); a
// package that does not type-check is not analyzed, so a half-built
// package never passes as clean. With mustMatch, patterns that match no
// package are an error too.
func analyzeGo(dir string, patterns []string, tests, mustMatch bool) report.Result {
	var res report.Result
	mode := packages.NeedName | packages.NeedFiles | packages.NeedCompiledGoFiles | packages.NeedImports |
		packages.NeedTypes | packages.NeedTypesSizes | packages.NeedSyntax | packages.NeedTypesInfo | packages.NeedModule
	if needsFacts(analyzers.Suite) {
		// Facts flow from dependencies: they must be analyzed from source.
		mode |= packages.NeedDeps
	}
	pkgs, err := packages.Load(&packages.Config{Mode: mode, Dir: dir, Tests: tests}, patterns...)
	if err != nil {
		res.Errors = append(res.Errors, report.FileError{File: dir, Message: "loading Go packages: " + err.Error()})
		return res
	}
	if len(pkgs) == 0 && mustMatch {
		res.Errors = append(res.Errors, report.FileError{File: dir, Message: fmt.Sprintf("no Go packages match %s", strings.Join(patterns, " "))})
		return res
	}
	packages.Visit(pkgs, nil, func(p *packages.Package) {
		res.Errors = append(res.Errors, loadErrors(p)...)
	})
	var roots []*packages.Package
	for _, p := range pkgs {
		// The synthesized test main has no user code.
		if len(p.Errors) > 0 || p.IllTyped || strings.HasSuffix(p.ID, ".test") {
			continue
		}
		roots = append(roots, p)
	}
	if len(roots) == 0 {
		return res
	}
	graph, err := checker.Analyze(analyzers.Suite, roots, nil)
	if err != nil {
		res.Errors = append(res.Errors, report.FileError{File: dir, Message: "running the Go analyzers: " + err.Error()})
		return res
	}
	var findings []report.Finding
	for act := range graph.All() {
		if !act.IsRoot {
			continue
		}
		if act.Err != nil {
			res.Errors = append(res.Errors, report.FileError{File: pkgDir(act.Package), Message: fmt.Sprintf("%s: %v", act.Analyzer.Name, act.Err)})
			continue
		}
		for _, d := range act.Diagnostics {
			findings = append(findings, toFinding(act.Package.Fset, act.Analyzer, d))
		}
	}
	res.Findings = suppressGo(findings, roots)
	return res
}

func needsFacts(as []*analysis.Analyzer) bool {
	return slices.ContainsFunc(as, func(a *analysis.Analyzer) bool {
		return len(a.FactTypes) > 0 || needsFacts(a.Requires)
	})
}

func toFinding(fset *token.FileSet, a *analysis.Analyzer, d analysis.Diagnostic) report.Finding {
	pos := fset.Position(d.Pos)
	rule := d.Category
	if rule == "" {
		rule = a.Name
	}
	return report.Finding{Rule: rule, Severity: gocheck.SeverityOf(d), File: pos.Filename, Line: pos.Line, Column: pos.Column, Message: d.Message}
}

var (
	errPos     = regexp.MustCompile(`^(.*?):(\d+)(?::(\d+))?$`)
	errPosLine = regexp.MustCompile(`^(.+\.go):(\d+)(?::(\d+))?: (.*)$`)
)

// loadErrors turns a package's go/packages errors into FileErrors at
// file:line:col. The go command's compile output repeats the type
// checker's errors without a position of their own: such an error is
// dropped when the package has positioned ones, and otherwise its first
// positioned line is used.
func loadErrors(p *packages.Package) []report.FileError {
	positioned := slices.ContainsFunc(p.Errors, func(pe packages.Error) bool { return errPos.MatchString(pe.Pos) })
	var out []report.FileError
	for _, pe := range p.Errors {
		fe := report.FileError{File: pkgDir(p), Message: pe.Msg}
		if m := errPos.FindStringSubmatch(pe.Pos); m != nil {
			fe.File = m[1]
			fe.Line, _ = strconv.Atoi(m[2])
			fe.Column, _ = strconv.Atoi(m[3])
		} else if positioned {
			continue
		} else {
			for l := range strings.SplitSeq(pe.Msg, "\n") {
				if m := errPosLine.FindStringSubmatch(l); m != nil {
					fe.File = m[1]
					if !filepath.IsAbs(fe.File) && len(p.GoFiles) > 0 {
						fe.File = filepath.Join(filepath.Dir(p.GoFiles[0]), filepath.Base(fe.File))
					}
					fe.Line, _ = strconv.Atoi(m[2])
					fe.Column, _ = strconv.Atoi(m[3])
					fe.Message = m[4]
					break
				}
			}
		}
		out = append(out, fe)
	}
	return out
}

// pkgDir names a package by its directory, or by its ID when it has no files.
func pkgDir(p *packages.Package) string {
	if len(p.GoFiles) > 0 {
		return filepath.Dir(p.GoFiles[0])
	}
	if p.PkgPath != "" {
		return p.PkgPath
	}
	return p.ID
}

// goIgnore is one //wscheck:ignore comment in Go code. The contract is the
// nginx half's: a trailing comment covers its own line, a comment on a
// line of its own the line below; the reason after " -- " is mandatory.
type goIgnore struct {
	file       string
	line, col  int
	target     int
	rules      []string
	used       bool
	invalidMsg string
}

const goIgnorePrefix = "//wscheck:ignore"

// suppressGo drops findings covered by valid ignore comments in the
// analyzed files and reports ignores that are invalid or unused, under the
// rule names the nginx half declares.
func suppressGo(findings []report.Finding, pkgs []*packages.Package) []report.Finding {
	known := map[string]bool{}
	for _, r := range gocheck.Rules() {
		known[r.Name] = true
	}
	var ignores []*goIgnore
	seen := map[string]bool{}
	for _, p := range pkgs {
		for _, f := range p.Syntax {
			name := p.Fset.File(f.Pos()).Name()
			if seen[name] {
				continue // a test variant repeats the package's files
			}
			seen[name] = true
			ignores = append(ignores, fileIgnores(p.Fset, f, known)...)
		}
	}
	kept := findings[:0:0]
	for _, f := range findings {
		covered := false
		for _, ig := range ignores {
			if ig.invalidMsg == "" && ig.file == f.File && ig.target == f.Line && slices.Contains(ig.rules, f.Rule) {
				ig.used, covered = true, true
			}
		}
		if !covered {
			kept = append(kept, f)
		}
	}
	for _, ig := range ignores {
		switch {
		case ig.invalidMsg != "":
			kept = append(kept, report.Finding{Rule: "invalid-ignore", Severity: report.Warning, File: ig.file, Line: ig.line, Column: ig.col, Message: ig.invalidMsg})
		case !ig.used:
			kept = append(kept, report.Finding{Rule: "unused-ignore", Severity: report.Warning, File: ig.file, Line: ig.line, Column: ig.col,
				Message: fmt.Sprintf("wscheck:ignore %s suppresses nothing here: delete it or correct the rule name", strings.Join(ig.rules, ","))})
		}
	}
	return kept
}

func fileIgnores(fset *token.FileSet, f *ast.File, known map[string]bool) []*goIgnore {
	var out []*goIgnore
	tf := fset.File(f.Pos())
	for _, g := range f.Comments {
		for _, c := range g.List {
			if !strings.HasPrefix(c.Text, goIgnorePrefix) {
				continue
			}
			pos := fset.Position(c.Pos())
			ig := &goIgnore{file: pos.Filename, line: pos.Line, col: pos.Column, target: pos.Line + 1}
			if trailing(tf, c) {
				ig.target = pos.Line
			}
			spec, reason, hasReason := strings.Cut(strings.TrimPrefix(c.Text, goIgnorePrefix), "--")
			for r := range strings.SplitSeq(spec, ",") {
				if r = strings.TrimSpace(r); r != "" {
					ig.rules = append(ig.rules, r)
				}
			}
			switch {
			case len(ig.rules) == 0:
				ig.invalidMsg = "wscheck:ignore names no rule: write \"//wscheck:ignore RULE -- reason\""
			case !hasReason || strings.TrimSpace(reason) == "":
				ig.invalidMsg = "wscheck:ignore needs a reason after \" -- \": a suppression nobody can judge later is not accepted, so this one suppresses nothing"
			default:
				for _, r := range ig.rules {
					if !known[r] {
						ig.invalidMsg = fmt.Sprintf("wscheck:ignore names unknown Go rule %q (see wscheck rules), so it suppresses nothing", r)
					}
				}
			}
			out = append(out, ig)
		}
	}
	return out
}

// trailing reports whether code precedes the comment on its line.
func trailing(tf *token.File, c *ast.Comment) bool {
	src, err := os.ReadFile(tf.Name())
	if err != nil {
		return false
	}
	off := tf.Offset(c.Pos())
	start := off
	for start > 0 && src[start-1] != '\n' {
		start--
	}
	return strings.TrimSpace(string(src[start:off])) != ""
}

// goModules finds the Go modules under root: every directory with a
// go.mod, skipping testdata, vendor, node_modules and hidden directories
// as the go command does.
func goModules(root string) ([]string, error) {
	st, err := os.Stat(root)
	if err != nil || !st.IsDir() {
		return nil, nil // a file, or a path the nginx half reports as unreadable
	}
	var mods []string
	err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			name := d.Name()
			if p != root && (name == "testdata" || name == "vendor" || name == "node_modules" || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_")) {
				return filepath.SkipDir
			}
			return nil
		}
		if d.Name() == "go.mod" {
			mods = append(mods, filepath.Dir(p))
		}
		return nil
	})
	if errors.Is(err, fs.ErrNotExist) {
		err = nil
	}
	return mods, err
}
