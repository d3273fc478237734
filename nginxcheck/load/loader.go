package load

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
)

// Source is where config files come from: the file system, or the
// sections of an `nginx -T` dump.
type Source interface {
	ReadFile(name string) ([]byte, error)
	Glob(pattern string) ([]string, error)
}

// OS reads the real file system.
type OS struct{}

func (OS) ReadFile(name string) ([]byte, error)  { return os.ReadFile(name) }
func (OS) Glob(pattern string) ([]string, error) { return filepath.Glob(pattern) }

// Dump is the "# configuration file X:" sections of `nginx -T` output.
type Dump struct {
	Files map[string][]byte
	Order []string // first is the main config
}

func (d *Dump) ReadFile(name string) ([]byte, error) {
	if b, ok := d.Files[path.Clean(name)]; ok {
		return b, nil
	}
	return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
}

func (d *Dump) Glob(pattern string) ([]string, error) {
	var out []string
	for _, n := range d.Order {
		if ok, err := path.Match(pattern, n); err != nil {
			return nil, err
		} else if ok {
			out = append(out, n)
		}
	}
	return out, nil
}

const dumpMarker = "# configuration file "

// ParseDump splits `nginx -T` output into its files.
func ParseDump(r io.Reader) (*Dump, error) {
	d := &Dump{Files: map[string][]byte{}}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 16*1024*1024)
	var cur string
	var buf []byte
	flush := func() {
		if cur != "" {
			if _, seen := d.Files[cur]; !seen {
				d.Order = append(d.Order, cur)
			}
			d.Files[cur] = buf
		}
	}
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, dumpMarker) && strings.HasSuffix(line, ":") {
			flush()
			cur = path.Clean(strings.TrimSuffix(strings.TrimPrefix(line, dumpMarker), ":"))
			buf = nil
			continue
		}
		if cur != "" {
			buf = append(buf, line...)
			buf = append(buf, '\n')
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	flush()
	if len(d.Order) == 0 {
		return nil, errors.New(`no "# configuration file PATH:" sections: feed the output of nginx -T`)
	}
	return d, nil
}

// Error is a located problem that stops a file from being analyzed.
type Error struct {
	File      string
	Line, Col int
	Msg       string
}

func (e *Error) Error() string { return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Line, e.Col, e.Msg) }

// Options steer include resolution.
type Options struct {
	Prefix  string // nginx's conf prefix; "" = the directory of the root file
	PathMap []PathMapping
	// FallbackRoot: without an explicit Prefix, a fragment's real prefix is
	// unknown; a relative include that matches nothing next to the root file
	// is then tried in each parent directory up to FallbackRoot.
	FallbackRoot string
}

// PathMapping reads host paths under From from To.
type PathMapping struct{ From, To string }

// Loader parses each file once and resolves includes per tree.
type Loader struct {
	src   Source
	opts  Options
	files map[string]*parsed
}

type parsed struct {
	stmts    []*statement
	comments map[int]Comment
	err      error
}

// NewLoader returns a loader over src.
func NewLoader(src Source, opts Options) *Loader {
	return &Loader{src: src, opts: opts, files: map[string]*parsed{}}
}

// Tree is one root file with everything it includes.
type Tree struct {
	Root    *File
	Context Context
	Files   []*File // every file in the tree, root first, each once
	Errors  []*Error
	// Unresolved are the include directives that named no readable file.
	Unresolved []*Node
}

// Parse reads and parses one file: the source is read and parsed once per
// loader, but every call builds fresh nodes, because what an include
// resolves to depends on the tree's prefix.
func (l *Loader) Parse(name string) (*File, error) {
	p, ok := l.files[name]
	if !ok {
		p = l.parse(name)
		l.files[name] = p
	}
	if p.err != nil {
		return nil, p.err
	}
	f := &File{Path: name, Comments: p.comments}
	f.Nodes = convert(p.stmts, f)
	return f, nil
}

func (l *Loader) parse(name string) *parsed {
	src, err := l.src.ReadFile(name)
	if err != nil {
		return &parsed{err: &Error{File: name, Msg: ReadError(err)}}
	}
	stmts, sc, err := scan(src)
	if err == nil {
		blanked := src
		if sc.blankedLua {
			blanked = sc.blanked
		}
		err = crossCheck(blanked, stmts)
	}
	if err != nil {
		var se *SyntaxError
		if !errors.As(err, &se) {
			return &parsed{err: &Error{File: name, Line: 1, Col: 1, Msg: err.Error()}}
		}
		msg := se.Msg
		if IsTemplate(string(src)) || strings.Contains(msg, `unknown directive "${`) || strings.Contains(msg, `unknown directive "%`) {
			msg = "skipped: template syntax (placeholders that are not nginx syntax; lint the rendered config): " + msg
		}
		return &parsed{err: &Error{File: name, Line: se.Line, Col: se.Col, Msg: msg}}
	}
	return &parsed{stmts: stmts, comments: sc.comments}
}

// ReadError words a file-system error without repeating the path the
// report already names.
func ReadError(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

func convert(stmts []*statement, f *File) []*Node {
	out := make([]*Node, 0, len(stmts))
	for _, st := range stmts {
		out = append(out, &Node{
			Name: st.name, Args: st.args, File: f,
			Line: st.line, Col: st.col, EndLine: st.endLine,
			Block: st.block, Children: convert(st.children, f),
		})
	}
	return out
}

// Load parses root and resolves its includes. The prefix defaults to the
// root's directory, as nginx's conf prefix is the main config's.
func (l *Loader) Load(root string) *Tree {
	t := &Tree{}
	f, err := l.Parse(root)
	if err != nil {
		t.Errors = append(t.Errors, asError(err, root))
		return t
	}
	t.Root = f
	t.Context = ContextOf(f.Nodes)
	prefix := l.opts.Prefix
	if prefix == "" {
		prefix = filepath.Dir(root)
	}
	r := &resolver{l: l, t: t, prefix: prefix, seen: map[string]bool{root: true}, files: map[string]*File{root: f}}
	t.Files = append(t.Files, f)
	r.nodes(f.Nodes, []string{root})
	return t
}

func asError(err error, file string) *Error {
	var le *Error
	if errors.As(err, &le) {
		return le
	}
	return &Error{File: file, Msg: err.Error()}
}

type resolver struct {
	l      *Loader
	t      *Tree
	prefix string
	seen   map[string]bool
	files  map[string]*File // this tree's nodes per file
}

func (r *resolver) nodes(nodes []*Node, stack []string) {
	for _, n := range nodes {
		if n.Name == "include" && !n.Block {
			r.include(n, stack)
		}
		r.nodes(n.Children, stack)
	}
}

// include resolves one include directive; a node included twice in the
// same tree (a shared snippet) keeps its first resolution.
func (r *resolver) include(n *Node, stack []string) {
	if len(n.Args) != 1 {
		r.t.Errors = append(r.t.Errors, &Error{n.File.Path, n.Line, n.Col, `invalid number of arguments in "include" directive`})
		return
	}
	if n.Include == nil {
		n.Include = r.resolve(n)
	}
	// A cyclic include is reported and cut out of the tree, so that every
	// walk over the tree terminates.
	n.Include.Files = slices.DeleteFunc(n.Include.Files, func(f *File) bool {
		i := slices.Index(stack, f.Path)
		if i >= 0 {
			chain := append(slices.Clone(stack[i:]), f.Path)
			r.t.Errors = append(r.t.Errors, &Error{n.File.Path, n.Line, n.Col, "include cycle: " + strings.Join(chain, " -> ")})
		}
		return i >= 0
	})
	for _, f := range n.Include.Files {
		if !r.seen[f.Path] {
			r.seen[f.Path] = true
			r.t.Files = append(r.t.Files, f)
		}
		r.nodes(f.Nodes, append(stack, f.Path))
	}
	if n.Include.Unknown {
		r.t.Unresolved = append(r.t.Unresolved, n)
	}
}

func (r *resolver) resolve(n *Node) *Include {
	arg := n.Args[0]
	name := r.mapPath(arg)
	if !filepath.IsAbs(name) && !strings.HasPrefix(name, "/") {
		name = r.relative(name)
	}
	inc := &Include{}
	if strings.ContainsAny(name, "*?[") {
		matches, err := r.l.src.Glob(name)
		if err != nil {
			r.t.Errors = append(r.t.Errors, &Error{n.File.Path, n.Line, n.Col, fmt.Sprintf("include %q: %v", arg, err)})
			return inc
		}
		slices.Sort(matches)
		for _, m := range matches {
			if strings.HasPrefix(filepath.Base(m), ".") {
				continue // glob(3), unlike filepath.Glob, skips dotfiles
			}
			r.add(inc, n, m)
		}
		return inc
	}
	if _, err := r.l.src.ReadFile(name); err != nil {
		if stock, ok := stockFile(arg); ok {
			inc.Files = []*File{stock}
			return inc
		}
		inc.Unknown = true
		return inc
	}
	r.add(inc, n, name)
	return inc
}

// relative joins a relative include path with the prefix, or with the
// nearest parent that has it when the prefix was guessed.
func (r *resolver) relative(name string) string {
	first := filepath.Join(r.prefix, name)
	if r.l.opts.Prefix != "" || r.l.opts.FallbackRoot == "" || r.exists(first) {
		return first
	}
	root, err := filepath.Abs(r.l.opts.FallbackRoot)
	if err != nil {
		return first
	}
	for dir := r.prefix; ; {
		parent := filepath.Dir(dir)
		abs, err := filepath.Abs(parent)
		if parent == dir || err != nil || (abs != root && !strings.HasPrefix(abs, root+string(filepath.Separator))) {
			return first
		}
		dir = parent
		if cand := filepath.Join(dir, name); r.exists(cand) {
			return cand
		}
	}
}

func (r *resolver) exists(name string) bool {
	if strings.ContainsAny(name, "*?[") {
		m, _ := r.l.src.Glob(name)
		return len(m) > 0
	}
	_, err := r.l.src.ReadFile(name)
	return err == nil
}

func (r *resolver) add(inc *Include, n *Node, name string) {
	if f, ok := r.files[name]; ok {
		inc.Files = append(inc.Files, f)
		return
	}
	f, err := r.l.Parse(name)
	if err != nil {
		r.t.Errors = append(r.t.Errors, asError(err, name))
		// What the broken file sets at this level is unknown.
		inc.Unknown = true
		return
	}
	r.files[name] = f
	inc.Files = append(inc.Files, f)
}

func (r *resolver) mapPath(p string) string {
	for _, m := range r.l.opts.PathMap {
		from := strings.TrimSuffix(m.From, "/")
		if p == from || strings.HasPrefix(p, from+"/") {
			return filepath.Join(m.To, strings.TrimPrefix(p, from))
		}
	}
	return p
}
