package load

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/wscheck/wscheck/repo"
)

// Source is where config files come from: the repository through the
// file-access layer (repo.Disk), or the sections of an `nginx -T` dump.
type Source interface {
	ReadFile(name string) ([]byte, error)
	Glob(pattern string) ([]string, error)
}

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

// DumpError is a dump that cannot be split, at its line.
type DumpError struct {
	Line int
	Msg  string
}

func (e *DumpError) Error() string { return fmt.Sprintf("-:%d: %s", e.Line, e.Msg) }

// ParseDump splits `nginx -T` output into its files, within the limits:
// lines of any length, but no section over MaxFileSize and no dump over
// MaxTotal, so an endless or hostile stream cannot exhaust memory.
func ParseDump(r io.Reader, lim repo.Limits) (*Dump, error) {
	d := &Dump{Files: map[string][]byte{}}
	br := bufio.NewReaderSize(io.LimitReader(r, lim.MaxTotal+1), 64*1024)
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
	var total int64
	for lineNo := 1; ; lineNo++ {
		line, err := br.ReadBytes('\n')
		total += int64(len(line))
		if total > lim.MaxTotal {
			return nil, &DumpError{lineNo, fmt.Sprintf("the dump is larger than %d bytes (--max-total-size)", lim.MaxTotal)}
		}
		if len(line) > 0 {
			text := strings.TrimSuffix(strings.TrimSuffix(string(line), "\n"), "\r")
			switch {
			case strings.HasPrefix(text, dumpMarker) && strings.HasSuffix(text, ":"):
				flush()
				cur = path.Clean(strings.TrimSuffix(strings.TrimPrefix(text, dumpMarker), ":"))
				if strings.ContainsFunc(cur, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
					return nil, &DumpError{lineNo, "a section name with a control character: not the output of nginx -T"}
				}
				buf = nil
			case cur != "":
				if int64(len(buf)+len(line)) > lim.MaxFileSize {
					return nil, &DumpError{lineNo, fmt.Sprintf("section %s is larger than %d bytes (--max-file-size)", cur, lim.MaxFileSize)}
				}
				buf = append(buf, text...)
				buf = append(buf, '\n')
			}
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, &DumpError{lineNo, "reading the dump: " + err.Error()}
		}
	}
	flush()
	repo.NoteRead(total)
	if len(d.Order) == 0 {
		return nil, &DumpError{1, `no "# configuration file PATH:" sections: feed the output of nginx -T`}
	}
	return d, nil
}

// Error is a located problem that stops a file from being analyzed.
type Error struct {
	File      string
	Line, Col int
	Msg       string
	cause     error // the read error, when the file could not be read
}

func (e *Error) Error() string { return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Line, e.Col, e.Msg) }

// Unwrap gives the read error, so callers can tell a missing file
// (repo.Missing) from a broken one.
func (e *Error) Unwrap() error { return e.cause }

// Options steer include resolution.
type Options struct {
	Prefix  string // nginx's conf prefix; "" = the directory of the root file
	PathMap []PathMapping
	// FallbackRoot: without an explicit Prefix, a fragment's real prefix is
	// unknown; a relative include that matches nothing next to the root file
	// is then tried in each parent directory up to FallbackRoot.
	FallbackRoot string
}

// PathMapping reads image (or host) paths under From from To, for trees
// whose root lies below Scope ("" = every tree). Given mappings (the
// user's) win over inferred ones.
type PathMapping struct {
	From, To, Scope string
	Origin          string // file:line that implies it, for the summary
	Given           bool
}

// HostRootOrigin marks the mapping of / onto --host-root: the fallback
// for absolute paths, never an image.
const HostRootOrigin = "--host-root"

// Loader parses each file once and resolves includes per tree.
type Loader struct {
	src   Source
	opts  Options
	files map[string]*parsed
}

// parsed is one file read once. The first tree that needs it gets its
// nodes; later trees get clones, because includes are resolved per tree.
// The scanner builds the nodes themselves, so a large config is held
// once, not as tokens and then nodes.
type parsed struct {
	file  *File
	taken bool
	err   error
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
	// Mapped are the path maps this tree was read through.
	Mapped []PathMapping
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
	if !p.taken {
		p.taken = true
		return p.file, nil
	}
	f := &File{Path: name, Comments: p.file.Comments}
	f.Nodes = clone(p.file.Nodes, f)
	return f, nil
}

// clone copies nodes without what a tree resolved in them (Include).
func clone(nodes []*Node, f *File) []*Node {
	out := make([]*Node, len(nodes))
	for i, n := range nodes {
		c := *n
		c.File, c.Include, c.Children = f, nil, clone(n.Children, f)
		out[i] = &c
	}
	return out
}

func (l *Loader) parse(name string) *parsed {
	src, failed := l.read(name)
	if failed != nil {
		return failed
	}
	return parseSource(name, src)
}

// Prefetch parses the files of names that are not parsed yet, as parse
// would, on up to GOMAXPROCS goroutines: the files of a conf.d glob are
// most of a large tree. They are read one after the other, in order, by
// this goroutine (a Source need not be safe for concurrent use); at most a
// few wait to be parsed at a time. Parse then finds them parsed, so the
// trees and everything after them are as without Prefetch. For a glob the
// reads come in the order they always did (a glob's files are all read
// before any include in them); a directory's files are now all read
// before their includes, so a run over --max-total-size stops at other
// files than it did, and always at the same ones.
func (l *Loader) Prefetch(names []string) {
	var todo []string
	queued := map[string]bool{}
	for _, name := range names {
		if _, ok := l.files[name]; !ok && !queued[name] {
			queued[name] = true
			todo = append(todo, name)
		}
	}
	workers := min(runtime.GOMAXPROCS(0), len(todo))
	if workers < 2 {
		return
	}
	type job struct {
		i      int
		src    []byte
		failed *parsed
	}
	jobs := make(chan job, workers)
	done := make([]*parsed, len(todo))
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for j := range jobs {
				if j.failed == nil {
					j.failed = parseSource(todo[j.i], j.src)
				}
				done[j.i] = j.failed
			}
		})
	}
	for i, name := range todo {
		src, failed := l.read(name)
		jobs <- job{i, src, failed}
	}
	close(jobs)
	wg.Wait()
	for i, name := range todo {
		l.files[name] = done[i]
	}
}

// read reads one file for parse; a file that cannot be read comes back
// as its parse result.
func (l *Loader) read(name string) ([]byte, *parsed) {
	src, err := l.src.ReadFile(name)
	if err == nil {
		err = repo.CheckText(name, src) // a dump section is read from memory
	}
	if err == nil && len(src) > repo.MaxFileSize {
		return nil, &parsed{err: &Error{File: name, Msg: fmt.Sprintf("too large (%d bytes): node positions are 32-bit, so a file holds at most %d", len(src), repo.MaxFileSize)}}
	}
	if err != nil {
		var te *repo.TemplateError // template syntax no nginx text stands for
		if errors.As(err, &te) {
			return nil, &parsed{err: &Error{File: name, Line: te.Line, Col: te.Col, Msg: te.Reason(), cause: err}}
		}
		return nil, &parsed{err: &Error{File: name, Msg: repo.Reason(err), cause: err}}
	}
	return src, nil
}

// parseSource scans one file's text and cross-checks it with gonginx. It
// touches nothing but its arguments, so files parse concurrently.
func parseSource(name string, src []byte) *parsed {
	f := &File{Path: name}
	nodes, sc, err := scan(src, f)
	if err == nil && (sc.blankedLua || !readsAlike(src, nodes, sc.raw)) {
		blanked := src
		if sc.blankedLua {
			blanked = sc.blanked
		}
		err = crossCheck(blanked, nodes, sc.raw)
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
	f.Nodes, f.Comments = nodes, sc.comments
	return &parsed{file: f}
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
	r := l.resolverFor(root, t, f)
	t.Files = append(t.Files, f)
	r.nodes(f.Nodes, []string{root})
	return t
}

func (l *Loader) resolverFor(root string, t *Tree, f *File) *resolver {
	r := &resolver{l: l, t: t, seen: map[string]bool{root: true}, files: map[string]*File{}}
	if f != nil {
		r.files[root] = f
	}
	r.maps = l.mapsFor(root)
	r.prefix = l.opts.Prefix
	if r.prefix == "" {
		// A root that an image path maps onto has that path's directory
		// as its prefix: `include conf.d/x;` in /etc/nginx/nginx.conf
		// means /etc/nginx/conf.d/x, wherever the repository keeps it.
		if img, m, ok := r.imagePath(root); ok {
			r.prefix, r.image = path.Dir(img), true
			r.used(m)
		} else {
			r.prefix = filepath.Dir(root)
		}
	}
	return r
}

// includeLine finds include directives line by line, for a file the
// tokenizer gave up on.
var includeLine = regexp.MustCompile(`(?m)^[ \t]*include[ \t]+("[^"\n]*"|'[^'\n]*'|[^\s;'"]+)[ \t]*;`)

// Salvage names the files that a root which does not parse includes, so
// they can still be analyzed as the fragments they are.
func (l *Loader) Salvage(root string) []string {
	src, err := l.src.ReadFile(root)
	if err != nil {
		return nil
	}
	r := l.resolverFor(root, &Tree{}, nil)
	file := &File{Path: root}
	var out []string
	for _, m := range includeLine.FindAllSubmatchIndex(src, -1) {
		arg := string(src[m[2]:m[3]])
		if arg[0] == '"' || arg[0] == '\'' {
			arg = unescape(arg[1 : len(arg)-1])
		}
		n := &Node{Name: "include", Args: []string{arg}, File: file, Line: 1 + bytes.Count(src[:m[0]], []byte{'\n'})}
		for _, f := range r.resolve(n).Files {
			if !strings.HasPrefix(f.Path, "(stock ") && !slices.Contains(out, f.Path) {
				out = append(out, f.Path)
			}
		}
	}
	return out
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
	image  bool // prefix is an image path, resolved through maps
	maps   []PathMapping
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
		r.t.Errors = append(r.t.Errors, &Error{File: n.File.Path, Line: n.Line, Col: int(n.Col), Msg: `invalid number of arguments in "include" directive`})
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
			r.t.Errors = append(r.t.Errors, &Error{File: n.File.Path, Line: n.Line, Col: int(n.Col), Msg: "include cycle: " + strings.Join(chain, " -> ")})
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
	if n.Include.Unknown && !n.Include.Broken {
		r.t.Unresolved = append(r.t.Unresolved, n)
	}
}

func (r *resolver) resolve(n *Node) *Include {
	arg := n.Args[0]
	var img, name string // the path in the image, and where it is read
	switch {
	case strings.HasPrefix(arg, "/"):
		img = arg
	case r.image:
		img = path.Join(r.prefix, arg)
	default:
		name = r.relative(arg)
	}
	if img != "" {
		name = r.mapPath(img)
	}
	inc := &Include{}
	if strings.ContainsAny(name, "*?[") {
		matches, err := r.l.src.Glob(name)
		files := r.fileMaps(img)
		if err != nil && (!repo.Missing(err) || len(files) == 0) {
			r.unreadable(inc, n, err)
			return inc
		}
		// Files copied one by one into an image directory the repository
		// does not mirror: the rest of it is the base image's, whose stock
		// files (the official image's conf.d/default.conf) set no proxy
		// settings, so the known files are the whole include.
		matches = append(matches, files...)
		slices.Sort(matches)
		matches = slices.DeleteFunc(slices.Compact(matches), func(m string) bool {
			return strings.HasPrefix(filepath.Base(m), ".") // glob(3), unlike filepath.Glob, skips dotfiles
		})
		r.l.Prefetch(matches)
		for _, m := range matches {
			r.add(inc, n, m)
		}
		return inc
	}
	r.add(inc, n, name)
	return inc
}

// fileMaps are the targets of the mappings whose image path an include
// pattern matches (Dockerfile COPY or a compose mount of one file).
func (r *resolver) fileMaps(pattern string) []string {
	if pattern == "" {
		return nil
	}
	var out []string
	for _, m := range r.maps {
		if ok, _ := path.Match(pattern, m.From); ok && !strings.ContainsAny(m.From, "*?[") {
			r.used(m)
			out = append(out, m.To)
		}
	}
	return out
}

// unreadable settles an include whose file could not be read. A file the
// repository does not hold (missing, or outside the analyzed paths) is
// unknown: configs name the deployment host's files. Any other failure (a
// pipe, a device, a directory, no permission) is broken input.
func (r *resolver) unreadable(inc *Include, n *Node, err error) {
	inc.Unknown = true
	inc.Reason = repo.Reason(err)
	if !repo.Missing(err) {
		inc.Broken = true
		r.t.Errors = append(r.t.Errors, &Error{File: n.File.Path, Line: n.Line, Col: int(n.Col),
			Msg: fmt.Sprintf("include %q: %s", n.Arg(0), inc.Reason), cause: err})
	}
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

// exists asks without reading where the source can (the disk); a dump
// is in memory anyway.
func (r *resolver) exists(name string) bool {
	if strings.ContainsAny(name, "*?[") {
		m, _ := r.l.src.Glob(name)
		return len(m) > 0
	}
	if st, ok := r.l.src.(interface {
		Stat(string) (fs.FileInfo, error)
	}); ok {
		_, err := st.Stat(name)
		return err == nil
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
		var le *Error
		if errors.As(err, &le) && le.cause != nil {
			if stock, ok := stockFile(n.Arg(0)); ok && repo.Missing(le.cause) {
				inc.Files = append(inc.Files, stock)
				return
			}
			r.unreadable(inc, n, le.cause)
			return
		}
		r.t.Errors = append(r.t.Errors, asError(err, name))
		// What the broken file sets at this level is unknown.
		inc.Unknown, inc.Broken = true, true
		return
	}
	r.files[name] = f
	inc.Files = append(inc.Files, f)
}

// mapPath reads an image path from the repository through the first
// mapping that covers it; an unmapped path is left as it is, and the
// file-access layer refuses it unless it lies in the analyzed paths.
func (r *resolver) mapPath(p string) string {
	for _, m := range r.maps {
		from := strings.TrimSuffix(m.From, "/")
		if p == from || from == "" || strings.HasPrefix(p, from+"/") {
			r.used(m)
			return filepath.Join(m.To, filepath.FromSlash(strings.TrimPrefix(p, from)))
		}
	}
	return p
}

func (r *resolver) used(m PathMapping) {
	if !slices.Contains(r.t.Mapped, m) {
		r.t.Mapped = append(r.t.Mapped, m)
	}
}

// imagePath is the inverse of mapPath for a tree's root: the most
// specific mapping whose target holds it. The host root is no image.
func (r *resolver) imagePath(root string) (string, PathMapping, bool) {
	abs, err := filepath.Abs(root)
	if err != nil {
		return "", PathMapping{}, false
	}
	var best PathMapping
	img, bestLen := "", -1
	for _, m := range r.maps {
		to, err := filepath.Abs(m.To)
		inside := abs == to || strings.HasPrefix(abs, to+string(filepath.Separator))
		if err != nil || m.Origin == HostRootOrigin || !inside || len(to) <= bestLen {
			continue
		}
		img, best, bestLen = path.Join(m.From, filepath.ToSlash(strings.TrimPrefix(abs, to))), m, len(to)
	}
	return img, best, bestLen >= 0
}

// mapsFor orders the mappings that apply to a tree: the user's first,
// then the most specific image path, then the one nearest the root (two
// services of one compose file may each mount their own nginx.conf).
func (l *Loader) mapsFor(root string) []PathMapping {
	abs, _ := filepath.Abs(root)
	var out []PathMapping
	for _, m := range l.opts.PathMap {
		if m.Scope != "" {
			scope, _ := filepath.Abs(m.Scope)
			if abs != scope && !strings.HasPrefix(abs, scope+string(filepath.Separator)) {
				continue
			}
		}
		out = append(out, m)
	}
	near := func(m PathMapping) int {
		to, _ := filepath.Abs(m.To)
		n := 0
		for n < len(to) && n < len(abs) && to[n] == abs[n] {
			n++
		}
		return n
	}
	slices.SortStableFunc(out, func(a, b PathMapping) int {
		switch {
		case a.Given != b.Given:
			if a.Given {
				return -1
			}
			return 1
		case len(a.From) != len(b.From):
			return len(b.From) - len(a.From)
		}
		return near(b) - near(a)
	})
	return out
}
