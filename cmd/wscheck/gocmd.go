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
	tags         []string
}

// load is how the Go packages are loaded.
func (g *goFlags) load() goLoad { return goLoad{tests: g.tests, tags: g.tags} }

// goLoad says which files of a package are analyzed.
type goLoad struct {
	tests bool
	tags  []string // build tags, as go vet -tags; GOFLAGS applies as for go vet
}

func (l goLoad) buildFlags() []string {
	if len(l.tags) == 0 {
		return nil
	}
	return []string{"-tags=" + strings.Join(l.tags, ",")}
}

func (g *goFlags) register(fs *pflag.FlagSet) {
	fs.BoolVar(&g.tests, "tests", false, "also analyze _test.go files (default off: test code often dials fakes on purpose)")
	fs.StringSliceVar(&g.tags, "tags", nil, "build tags, as go vet -tags (GOFLAGS=-tags=... applies too); files they exclude are not analyzed")
	fs.StringSliceVar(&g.originExempt, "origin-exempt", nil, `substrings of a constant dial URL that need no Origin header (default "/devtools/"; "" exempts nothing)`)
}

// apply sets the analyzers' own flags, so every driver sees the same
// options; a flag left unset goes back to its default.
func (g *goFlags) apply(fs *pflag.FlagSet) error {
	var exempt []string // nil: the default
	if fs.Changed("origin-exempt") {
		exempt = append([]string{}, g.originExempt...)
	}
	if _, err := analyzers.SetOriginExempt(exempt); err != nil {
		return fmt.Errorf("--origin-exempt: %w", err)
	}
	return nil
}

func runGo(args []string, e *env) int {
	fs := newFlagSet("go")
	var out outputFlags
	var gf goFlags
	var ff fixFlags
	out.register(fs)
	gf.register(fs)
	ff.register(fs)
	if code, ok := parseFlags(fs, args, e); !ok {
		return code
	}
	if err := ff.check(); err != nil {
		return usageError(e, "go", err)
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
	return out.runWithFixes(e, ff, func() report.Result { return analyzeGo(e.cwd, patterns, gf.load(), true) }, failOn, sel)
}

// analyzeGo loads the packages matching patterns in dir and runs the
// suite over them. Load and type errors become FileErrors (exit 2); a
// package that does not type-check is not analyzed, so a half-built
// package never passes as clean. With mustMatch, patterns that match no
// package are an error too.
//
// Facts (a helper's header, a wrapper's dial) flow only between packages
// analyzed together, from source. Packages outside the module are read
// from export data, as go vet does, and carry none: loading them from
// source would cost more than the whole analysis. The module's own
// packages that the named ones import are analyzed too, and their
// findings dropped.
func analyzeGo(dir string, patterns []string, load goLoad, mustMatch bool) report.Result {
	releaseMemory() // see memory.go
	var res report.Result
	mode := packages.NeedName | packages.NeedFiles | packages.NeedCompiledGoFiles | packages.NeedImports |
		packages.NeedTypes | packages.NeedTypesSizes | packages.NeedSyntax | packages.NeedTypesInfo | packages.NeedModule
	cfg := &packages.Config{Mode: mode, Dir: dir, Tests: load.tests, BuildFlags: load.buildFlags()}
	requested, extra, err := moduleImports(cfg, patterns)
	if err != nil {
		res.Errors = append(res.Errors, report.FileError{File: dir, Message: "loading Go packages: " + err.Error()})
		return res
	}
	pkgs, err := packages.Load(cfg, append(slices.Clone(patterns), extra...)...)
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
	reported := map[*packages.Package]bool{}
	for _, p := range pkgs {
		reported[p] = requested == nil || requested[p.PkgPath]
		// The synthesized test main has no user code.
		if len(p.Errors) > 0 || p.IllTyped || strings.HasSuffix(p.ID, ".test") {
			continue
		}
		roots = append(roots, p)
	}
	if len(roots) == 0 {
		return res
	}
	res.Summary.GoPackages = len(roots)
	graph, err := checker.Analyze(analyzers.Suite, roots, nil)
	if err != nil {
		res.Errors = append(res.Errors, report.FileError{File: dir, Message: "running the Go analyzers: " + err.Error()})
		return res
	}
	var findings []report.Finding
	for act := range graph.All() {
		if !act.IsRoot || !reported[act.Package] {
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

// moduleImports lists the packages of the main module that the packages
// matching patterns import but do not match, so their facts are computed;
// requested holds the matched packages' paths (nil when the patterns are
// the whole module, ./..., and nothing is missing).
func moduleImports(cfg *packages.Config, patterns []string) (requested map[string]bool, extra []string, err error) {
	if len(patterns) == 1 && patterns[0] == "./..." {
		return nil, nil, nil
	}
	pre := *cfg
	pre.Mode = packages.NeedName | packages.NeedImports | packages.NeedDeps | packages.NeedModule
	roots, err := packages.Load(&pre, patterns...)
	if err != nil {
		return nil, nil, err
	}
	requested = map[string]bool{}
	for _, p := range roots {
		requested[p.PkgPath] = true
	}
	seen := map[string]bool{}
	packages.Visit(roots, nil, func(p *packages.Package) {
		if p.Module != nil && p.Module.Main && !requested[p.PkgPath] && !seen[p.PkgPath] {
			seen[p.PkgPath] = true
			extra = append(extra, p.PkgPath)
		}
	})
	return requested, extra, nil
}

func toFinding(fset *token.FileSet, a *analysis.Analyzer, d analysis.Diagnostic) report.Finding {
	pos := fset.Position(d.Pos)
	rule := d.Category
	if rule == "" {
		rule = a.Name
	}
	f := report.Finding{Rule: rule, Severity: gocheck.SeverityOf(d), File: pos.Filename, Line: pos.Line, Column: pos.Column, Message: d.Message}
	if len(d.SuggestedFixes) > 0 {
		f.Fix = goFix(fset, d.SuggestedFixes[0])
	}
	return f
}

// goFix turns a SuggestedFix into the report layer's byte edits. Only the
// first fix of a diagnostic is taken: go/analysis documents several as
// alternatives, and the checker's -fix applies the first too. A fix with
// an edit outside a file (a position from export data) is dropped whole.
func goFix(fset *token.FileSet, sf analysis.SuggestedFix) *report.Fix {
	fix := &report.Fix{Message: sf.Message}
	for _, te := range sf.TextEdits {
		tf := fset.File(te.Pos)
		end := te.End
		if !end.IsValid() {
			end = te.Pos // an insertion
		}
		if tf == nil || fset.File(end) != tf {
			return nil
		}
		fix.Edits = append(fix.Edits, report.Edit{File: tf.Name(), Start: tf.Offset(te.Pos), End: tf.Offset(end), New: string(te.NewText)})
	}
	if len(fix.Edits) == 0 {
		return nil
	}
	return fix
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

const goIgnorePrefix = "//wscheck:ignore"

// suppressGo applies //wscheck:ignore comments with the nginx half's
// contract (report.ApplyIgnores): a trailing comment covers its own line,
// a comment on a line of its own the line below, the reason is mandatory.
func suppressGo(findings []report.Finding, pkgs []*packages.Package) []report.Finding {
	known := map[string]bool{}
	for _, r := range gocheck.Rules() {
		known[r.Name] = true
	}
	var ignores []*report.Ignore
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
	return report.ApplyIgnores(findings, ignores)
}

func fileIgnores(fset *token.FileSet, f *ast.File, known map[string]bool) []*report.Ignore {
	var out []*report.Ignore
	tf := fset.File(f.Pos())
	for _, g := range f.Comments {
		for _, c := range g.List {
			if !strings.HasPrefix(c.Text, goIgnorePrefix) {
				continue
			}
			pos := fset.Position(c.Pos())
			target := pos.Line + 1
			if trailing(tf, c) {
				target = pos.Line
			}
			ig := &report.Ignore{File: pos.Filename, Line: pos.Line, Col: pos.Column, From: target, To: target}
			ig.Rules, ig.Invalid = report.ParseIgnore(strings.TrimPrefix(c.Text, goIgnorePrefix), func(r string) bool { return known[r] })
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
