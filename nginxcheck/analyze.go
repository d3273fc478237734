package nginxcheck

import (
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"

	"github.com/wscheck/wscheck/nginxcheck/load"
	"github.com/wscheck/wscheck/repo"
	"github.com/wscheck/wscheck/report"
)

// analysis accumulates the results of every tree of one run, so that
// suppressions and duplicates are settled once over all of them.
type analysis struct {
	opts     Options
	src      load.Source
	loader   *load.Loader
	findings []report.Finding
	errors   []report.FileError
	files    map[*load.File]bool
	summary  report.Summary
	judged   map[spot]bool   // WebSocket locations
	maps     []repo.Mapping  // inferred from the layout of the directory being walked
	used     map[string]bool // path maps that resolved an include, by From=To
	// tfs neutralizes templates and serves nginx strings of YAML files;
	// nil for a dump.
	tfs       *repo.TemplateFS
	templated map[string]bool // source files counted as templates
	// onModel, when set, sees every model the rules run on (explain.go).
	onModel func(m *model, complete bool)
	// Repairs: the files they read, the included files each edits, and
	// how often every file is included over all trees.
	srcs         *sources
	snippetFixes map[*report.Fix][]string
	inclusions   map[string]int
	// messages holds each distinct finding message once: a generated or
	// minified config repeats a few thousand messages over 100,000 findings.
	messages map[string]string
}

// spot is a place in a file, however many trees reach it.
type spot struct {
	file      string
	line, col int
}

func newAnalysis(src load.Source, opts Options) *analysis {
	a := &analysis{opts: opts, src: src, files: map[*load.File]bool{}, judged: map[spot]bool{}, used: map[string]bool{}, templated: map[string]bool{}}
	a.tfs, _ = src.(*repo.TemplateFS)
	if opts.Repairs {
		a.srcs = &sources{a: a, files: map[string][]byte{}}
	}
	a.snippetFixes, a.inclusions, a.messages = map[*report.Fix][]string{}, map[string]int{}, map[string]string{}
	return a
}

// within sets up the loader for one path argument: a fragment's guessed
// prefix may climb up to fallbackRoot, never above what the user named.
func (a *analysis) within(fallbackRoot string) {
	lo := load.Options{Prefix: a.opts.Prefix, FallbackRoot: fallbackRoot}
	for _, m := range a.opts.PathMap {
		lo.PathMap = append(lo.PathMap, load.PathMapping{From: m.From, To: m.To, Given: true})
	}
	for _, m := range a.maps {
		lo.PathMap = append(lo.PathMap, load.PathMapping{From: m.From, To: m.To, Scope: m.Scope, Origin: m.Origin})
	}
	if a.opts.HostRoot != "" {
		// Whatever no mapping covers is read from the host root.
		lo.PathMap = append(lo.PathMap, load.PathMapping{From: "/", To: a.opts.HostRoot, Origin: load.HostRootOrigin})
	}
	a.loader = load.NewLoader(a.src, lo)
}

// Disk is the file-access layer a run over paths reads through: confined
// to those paths, the given path maps' targets and the host root.
func Disk(paths []string, opts Options) *repo.Disk {
	roots := slices.Clone(paths)
	if opts.Prefix != "" {
		roots = append(roots, opts.Prefix)
	}
	for _, m := range opts.PathMap {
		roots = append(roots, m.To)
	}
	if opts.HostRoot != "" {
		roots = append(roots, opts.HostRoot)
	}
	return repo.NewDisk(roots, false, opts.Limits)
}

// Analyze loads every path (a file, or a directory to search for configs)
// and runs every rule, reading nothing outside the paths (see Disk). A
// broken file is an error of its own and never hides the findings of the
// others.
func Analyze(paths []string, opts Options) report.Result {
	return AnalyzeFS(Disk(paths, opts), paths, opts)
}

// AnalyzeFS is Analyze over a given file-access layer. Templated files are
// read neutralized (repo.TemplateFS), at their own lines and columns.
func AnalyzeFS(fsys repo.FS, paths []string, opts Options) report.Result {
	a := newAnalysis(repo.NewTemplateFS(fsys), opts)
	for _, p := range paths {
		p = filepath.Clean(p)
		st, err := fsys.Stat(p)
		switch {
		case err != nil:
			a.errors = append(a.errors, report.FileError{File: p, Message: repo.Reason(err)})
		case st.IsDir():
			a.analyzeDir(fsys, p)
		case isYAML(p):
			a.maps = nil
			a.within(filepath.Dir(p))
			for _, v := range a.addYAML(p) {
				a.addRoot(v)
			}
		default:
			a.maps = nil
			a.within(filepath.Dir(p))
			a.addRoot(p)
		}
	}
	return a.finish()
}

// AnalyzeDump analyzes the output of `nginx -T`: the first file is the
// main config, and includes resolve inside the dump.
func AnalyzeDump(r io.Reader, opts Options) report.Result {
	d, err := load.ParseDump(r, opts.Limits.OrDefault())
	if err != nil {
		var de *load.DumpError
		if errors.As(err, &de) {
			return report.Result{Errors: []report.FileError{{File: "-", Line: de.Line, Message: de.Msg}}}
		}
		return report.Result{Errors: []report.FileError{{File: "-", Message: err.Error()}}}
	}
	a := newAnalysis(d, opts)
	a.within("")
	a.addRoot(d.Order[0])
	return a.finish()
}

func isYAML(p string) bool {
	ext := strings.ToLower(filepath.Ext(p))
	return ext == ".yaml" || ext == ".yml"
}

// addYAML registers the nginx strings of a YAML file as virtual files and
// returns their names; strings it cannot analyze are listed with their
// reason, and a file that does not parse is an error at its line.
func (a *analysis) addYAML(name string) []string {
	names, skipped, err := a.tfs.AddYAML(name)
	a.summary.NotAnalyzed = append(a.summary.NotAnalyzed, skipped...)
	var ye *repo.YAMLError
	var te *repo.TemplateError
	switch {
	case errors.As(err, &te):
		a.errors = append(a.errors, report.FileError{File: name, Line: te.Line, Column: te.Col, Message: te.Reason()})
	case errors.As(err, &ye):
		a.errors = append(a.errors, report.FileError{File: name, Line: ye.Line, Message: "YAML: " + ye.Msg})
	case err != nil:
		a.errors = append(a.errors, report.FileError{File: name, Message: repo.Reason(err)})
	}
	return names
}

// dialectOf reports a file read through template neutralization.
func (a *analysis) dialectOf(name string) (repo.Dialect, bool) {
	if a.tfs == nil {
		return repo.NoTemplate, false
	}
	return a.tfs.Templated(name)
}

// addRoot analyzes one root file. A root that does not parse still has
// its includes analyzed, each as the fragment it is, so one syntax error
// in nginx.conf does not hide every finding of conf.d.
func (a *analysis) addRoot(root string) {
	t := a.loader.Load(root)
	a.addTree(t)
	if t.Root != nil {
		return
	}
	for _, f := range a.loader.Salvage(root) {
		if !a.reached(f) {
			a.addTree(a.loader.Load(f))
		}
	}
}

func (a *analysis) reached(name string) bool {
	for f := range a.files {
		if f.Path == name {
			return true
		}
	}
	return false
}

// addTree runs the rules over one loaded tree.
func (a *analysis) addTree(t *load.Tree) {
	for _, e := range t.Errors {
		msg := e.Msg
		if d, ok := a.dialectOf(e.File); ok {
			msg += " (in the nginx text of a " + d.String() + " template, its template syntax neutralized)"
		}
		a.errors = append(a.errors, report.FileError{File: e.File, Line: e.Line, Column: e.Col, Message: msg})
	}
	if t.Root == nil {
		return
	}
	if a.opts.StrictIncludes {
		for _, n := range t.Unresolved {
			a.errors = append(a.errors, report.FileError{File: n.File.Path, Line: n.Line, Column: int(n.Col),
				Message: "include \"" + n.Arg(0) + "\" names no readable file (" + n.Include.Reason + "; --strict-includes)"})
		}
	}
	for _, f := range t.Files {
		if !a.files[f] && !strings.HasPrefix(f.Path, "(stock ") {
			a.summary.Files++
		}
		if _, ok := a.dialectOf(f.Path); ok && !a.templated[repo.SourceName(f.Path)] {
			a.templated[repo.SourceName(f.Path)] = true
			a.summary.Templates++
		}
		a.files[f] = true
	}
	for _, m := range t.Mapped {
		if k := m.From + "=" + m.To; !a.used[k] {
			a.used[k] = true
			a.summary.PathMaps = append(a.summary.PathMaps, report.PathMap{From: m.From, To: repo.DisplayName(m.To), Origin: m.Origin})
		}
	}
	complete := t.Context == load.Main && len(t.Unresolved) == 0 && len(t.Errors) == 0
	m := buildModel(t)
	if a.onModel != nil {
		a.onModel(m, complete)
	}
	m.release = a.onModel == nil
	a.findings = runRules(a.findings, m, a.opts, complete, a, func(ws *wsLocation) {
		n := ws.node
		if k := (spot{n.File.Path, n.Line, int(n.Col)}); !a.judged[k] {
			a.judged[k] = true
			a.summary.WebSocketLocations++
			if _, ok := a.dialectOf(n.File.Path); ok {
				a.summary.TemplateLocations++
			}
		}
	})
	for _, f := range t.Files[1:] {
		a.inclusions[f.Path] += m.inclusions(f)
	}
}

// analyzeDir finds the configs below dir, and the path maps its layout
// implies. A file another found file includes is analyzed only through
// its includer; the rest are roots.
func (a *analysis) analyzeDir(fsys repo.FS, dir string) {
	inv := a.opts.Walks.Discover(fsys, dir, repo.WalkOptions{Include: a.opts.Include, Exclude: a.opts.Exclude})
	lay := repo.InferLayout(fsys, dir, inv.Layouts, inv.YAML, inv.Nginx)
	a.errors = append(a.errors, inv.Errors...)
	a.errors = append(a.errors, lay.Errors...)
	a.summary.NotAnalyzed = append(a.summary.NotAnalyzed, inv.NotAnalyzed...)
	a.summary.NotAnalyzed = append(a.summary.NotAnalyzed, lay.NotAnalyzed...)
	found := inv.Nginx
	for _, y := range inv.YAML {
		found = append(found, a.addYAML(y)...)
	}
	// ConfigMap keys land where workloads mount them (repo.InferLayout).
	a.maps = lay.Maps
	a.within(dir)
	a.analyzeFiles(found)
}

// analyzeFiles loads every file, then analyzes the ones no other includes.
func (a *analysis) analyzeFiles(found []string) {
	trees := make(map[string]*load.Tree, len(found))
	included := map[string]bool{}
	a.loader.Prefetch(found)
	for _, f := range found {
		t := a.loader.Load(f)
		trees[f] = t
		for _, inc := range t.Files[min(1, len(t.Files)):] {
			included[key(inc.Path)] = true
		}
	}
	reached := map[string]bool{}
	root := func(f string) {
		a.addTree(trees[f])
		reached[key(f)] = true
		for _, inc := range trees[f].Files {
			reached[key(inc.Path)] = true
		}
	}
	for _, f := range found {
		if !included[key(f)] {
			root(f)
		}
	}
	// Files that only include each other (a cycle) have no root: analyze
	// them anyway, so the cycle is reported instead of silently skipped.
	for _, f := range found {
		if !reached[key(f)] {
			root(f)
		}
	}
}

// finish applies suppressions over every file read and settles duplicates:
// a directive shared by several locations is reported once, at its line.
func (a *analysis) finish() report.Result {
	files := make([]*load.File, 0, len(a.files))
	blockEnd := map[*load.File]map[int]int{}
	for f := range a.files {
		files = append(files, f)
		ends := map[int]int{}
		load.Walk(f.Nodes, func(n *load.Node) bool {
			if n.File == f && n.Block {
				ends[n.Line] = int(n.EndLine)
			}
			return n.File == f
		})
		blockEnd[f] = ends
	}
	known := map[string]bool{}
	for _, r := range rules {
		known[r.doc.Name] = true
	}
	findings := report.ApplyIgnores(a.findings, collectIgnores(files, known, blockEnd))
	// The trees are not read again: let a large config's nodes go before
	// the findings are settled.
	a.findings, a.files, a.loader = nil, nil, nil
	// One finding per occurrence: a directive in a snippet (or a map)
	// that several locations use is one place to edit, whatever location
	// judged it, so the key is the spot, not the message that names the
	// location. Two locations on one minified line differ in column.
	type key struct {
		rule, file string
		line, col  int
	}
	a.settleSnippetFixes(findings)
	seen := make(map[key]int, len(findings))
	var res report.Result
	res.Findings = findings[:0]
	for _, f := range findings { // in place: the slice is the analysis's own
		k := key{f.Rule, f.File, f.Line, f.Column}
		if i, ok := seen[k]; ok {
			report.MergeDuplicate(&res.Findings[i], f)
			continue
		}
		seen[k] = len(res.Findings)
		res.Findings = append(res.Findings, f)
	}
	res.Errors = a.errors
	// A YAML string's text is a virtual file: report its YAML file.
	for i := range res.Findings {
		f := &res.Findings[i]
		f.File, f.Message, f.Reason = repo.SourceName(f.File), repo.SourceText(f.Message), repo.SourceText(f.Reason)
	}
	for i := range res.Errors {
		res.Errors[i].File = repo.SourceName(res.Errors[i].File)
	}
	res.Summary = a.summary
	return res
}

// settleSnippetFixes keeps a repair that edits an included file only if
// every inclusion of that file, over all trees, is a location that needs
// the same repair from the same rule; otherwise the edit would change
// locations that need another one (or none), and the finding says so.
func (a *analysis) settleSnippetFixes(findings []report.Finding) {
	type group struct{ rule, file string }
	fixes := map[group][]*report.Fix{}
	for _, f := range findings {
		for _, name := range a.snippetFixes[f.Fix] {
			g := group{f.Rule, name}
			if !slices.ContainsFunc(fixes[g], func(x *report.Fix) bool { return x == f.Fix }) {
				fixes[g] = append(fixes[g], f.Fix)
			}
		}
	}
	for i := range findings {
		f := &findings[i]
		for _, name := range a.snippetFixes[f.Fix] {
			all := fixes[group{f.Rule, name}]
			same := !slices.ContainsFunc(all, func(x *report.Fix) bool { return !report.SameFix(x, all[0]) })
			if n := a.inclusions[name]; n > len(all) || !same {
				f.Fix, f.NoFix = nil, fmt.Sprintf("%s is included %d times and not every includer needs this repair: editing it would change the others, so edit it by hand", name, n)
				break
			}
		}
	}
}
