package nginxcheck

import (
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"github.com/wscheck/wscheck/nginxcheck/load"
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
	// onModel, when set, sees every model the rules run on (explain.go).
	onModel func(m *model, complete bool)
}

func newAnalysis(src load.Source, opts Options) *analysis {
	return &analysis{opts: opts, src: src, files: map[*load.File]bool{}}
}

// within sets up the loader for one path argument: a fragment's guessed
// prefix may climb up to fallbackRoot, never above what the user named.
func (a *analysis) within(fallbackRoot string) {
	lo := load.Options{Prefix: a.opts.Prefix, FallbackRoot: fallbackRoot}
	for _, m := range a.opts.PathMap {
		lo.PathMap = append(lo.PathMap, load.PathMapping{From: m.From, To: m.To})
	}
	a.loader = load.NewLoader(a.src, lo)
}

// Analyze loads every path (a file, or a directory to search for configs)
// and runs every rule. A broken file is an error of its own and never hides
// the findings of the others.
func Analyze(paths []string, opts Options) report.Result {
	a := newAnalysis(load.OS{}, opts)
	for _, p := range paths {
		p = filepath.Clean(p)
		st, err := os.Stat(p)
		switch {
		case err != nil:
			a.errors = append(a.errors, report.FileError{File: p, Message: load.ReadError(err)})
		case st.IsDir():
			a.within(p)
			a.analyzeDir(p)
		default:
			a.within(filepath.Dir(p))
			a.addTree(a.loader.Load(p))
		}
	}
	return a.finish()
}

// AnalyzeDump analyzes the output of `nginx -T`: the first file is the
// main config, and includes resolve inside the dump.
func AnalyzeDump(r io.Reader, opts Options) report.Result {
	d, err := load.ParseDump(r)
	if err != nil {
		return report.Result{Errors: []report.FileError{{File: "-", Message: err.Error()}}}
	}
	a := newAnalysis(d, opts)
	a.within("")
	a.addTree(a.loader.Load(d.Order[0]))
	return a.finish()
}

// addTree runs the rules over one loaded tree.
func (a *analysis) addTree(t *load.Tree) {
	for _, e := range t.Errors {
		a.errors = append(a.errors, report.FileError{File: e.File, Line: e.Line, Column: e.Col, Message: e.Msg})
	}
	if t.Root == nil {
		return
	}
	if a.opts.StrictIncludes {
		for _, n := range t.Unresolved {
			a.errors = append(a.errors, report.FileError{File: n.File.Path, Line: n.Line, Column: n.Col,
				Message: "include \"" + n.Arg(0) + "\" names no readable file (--strict-includes)"})
		}
	}
	for _, f := range t.Files {
		a.files[f] = true
	}
	complete := t.Context == load.Main && len(t.Unresolved) == 0 && len(t.Errors) == 0
	m := buildModel(t)
	if a.onModel != nil {
		a.onModel(m, complete)
	}
	a.findings = append(a.findings, runRules(m, a.opts, complete)...)
}

// analyzeDir finds the configs below dir. A file another found file
// includes is analyzed only through its includer; the rest are roots.
func (a *analysis) analyzeDir(dir string) {
	found := discover(dir, a.opts)
	trees := make(map[string]*load.Tree, len(found))
	included := map[string]bool{}
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

var configDirs = map[string]bool{"sites-available": true, "sites-enabled": true, "conf.d": true, "snippets": true}

var notConfigExt = map[string]bool{".md": true, ".txt": true, ".sh": true, ".py": true, ".go": true, ".yml": true, ".yaml": true,
	".json": true, ".toml": true, ".html": true, ".js": true, ".css": true, ".png": true, ".jpg": true, ".svg": true, ".pem": true,
	".key": true, ".crt": true, ".csr": true, ".gz": true, ".zip": true, ".bak": true, ".orig": true, ".swp": true, ".example": true, ".sample": true, ".j2": true, ".tmpl": true, ".tpl": true}

// nginxLike tells nginx configs from other *.conf files (redis, supervisor,
// sysctl) that a repository walk meets: only files with an nginx block or
// a typical nginx directive are analyzed.
var nginxLike = regexp.MustCompile(`(?m)^\s*(?:(?:http|server|location|upstream|events|map|stream|types|geo)\b[^;{\n]*\{|(?:proxy_\w+|listen|server_name|root|include|return|rewrite|add_header|fastcgi_pass|try_files)\s[^\n]*;)`)

func discover(dir string, opts Options) []string {
	var out []string
	_ = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		name := d.Name()
		abs, _ := filepath.Abs(p)
		abs = filepath.ToSlash(abs)
		excluded := slices.ContainsFunc(opts.Exclude, func(g string) bool { return report.MatchPath(g, abs) })
		if d.IsDir() {
			if p != dir && (strings.HasPrefix(name, ".") || name == "node_modules" || name == "vendor" || excluded) {
				return filepath.SkipDir
			}
			return nil
		}
		if excluded || (len(opts.Include) > 0 && !slices.ContainsFunc(opts.Include, func(g string) bool { return report.MatchPath(g, abs) })) {
			return nil
		}
		if !d.Type().IsRegular() {
			return nil
		}
		ext := filepath.Ext(name)
		isConf := name == "nginx.conf" || ext == ".conf" || (configDirs[filepath.Base(filepath.Dir(p))] && !notConfigExt[ext])
		if !isConf || strings.HasPrefix(name, ".") {
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil || !nginxLike.Match(b) {
			return nil
		}
		out = append(out, p)
		return nil
	})
	return out
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
				ends[n.Line] = n.EndLine
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
	type key struct {
		rule, file string
		line       int
	}
	seen := map[key]bool{}
	var res report.Result
	for _, f := range findings {
		k := key{f.Rule, f.File, f.Line}
		if !seen[k] {
			seen[k] = true
			res.Findings = append(res.Findings, f)
		}
	}
	res.Errors = a.errors
	return res
}
