package apachecheck

import (
	"bytes"
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"github.com/wscheck/wscheck/repo"
	"github.com/wscheck/wscheck/report"
)

// Node is a directive or a section (<VirtualHost ...> with its children).
type Node struct {
	File      string
	Line, Col int
	Name      string   // as written; compare with strings.EqualFold
	Args      []string // quotes removed
	Children  []*Node  // of a section
	Section   bool
	End       int // a section's closing line
}

// Is reports whether the node is the directive or section name (any case).
func (n *Node) Is(name string) bool { return strings.EqualFold(n.Name, name) }

// Arg returns argument i or "".
func (n *Node) Arg(i int) string {
	if i < len(n.Args) {
		return n.Args[i]
	}
	return ""
}

// comment is a line of its own starting with "#".
type comment struct {
	File string
	Line int
	Text string
}

// Tree is one file with everything it includes.
type Tree struct {
	Root       []*Node
	Comments   []comment
	Files      []string
	Unresolved []*Node // Include lines that named no readable file
	Errors     []report.FileError
}

// loader reads a file and its includes through fsys, never above top.
type loader struct {
	fsys  repo.FS
	top   string
	tree  *Tree
	stack []string // files being read, for cycles
}

const maxDepth = 16

// Load reads path and what it includes. A file with a syntax error is an
// error and contributes nothing.
func Load(fsys repo.FS, top, path string) *Tree {
	l := &loader{fsys: fsys, top: top, tree: &Tree{}}
	l.tree.Root = l.file(path, nil)
	return l.tree
}

func (l *loader) file(path string, from *Node) []*Node {
	if slices.Contains(l.stack, path) || len(l.stack) >= maxDepth {
		l.tree.Errors = append(l.tree.Errors, report.FileError{File: from.File, Line: from.Line, Column: from.Col,
			Message: "include cycle or nesting deeper than 16: " + strings.Join(append(l.stack, path), " -> ")})
		return nil
	}
	b, err := l.fsys.ReadFile(path)
	if err != nil {
		if from == nil {
			l.tree.Errors = append(l.tree.Errors, report.FileError{File: path, Message: repo.Reason(err)})
		} else {
			l.tree.Errors = append(l.tree.Errors, report.FileError{File: from.File, Line: from.Line, Column: from.Col,
				Message: fmt.Sprintf("%s %s: %s", from.Name, path, repo.Reason(err))})
		}
		return nil
	}
	l.stack = append(l.stack, path)
	defer func() { l.stack = l.stack[:len(l.stack)-1] }()
	l.tree.Files = append(l.tree.Files, path)
	nodes, comments, ferr := parse(path, b)
	if ferr != nil {
		l.tree.Errors = append(l.tree.Errors, *ferr)
		return nil
	}
	l.tree.Comments = append(l.tree.Comments, comments...)
	return l.expand(nodes)
}

// expand replaces Include lines by the nodes of the files they name.
func (l *loader) expand(nodes []*Node) []*Node {
	var out []*Node
	for _, n := range nodes {
		if n.Section {
			n.Children = l.expand(n.Children)
			out = append(out, n)
			continue
		}
		if !n.Is("Include") && !n.Is("IncludeOptional") {
			out = append(out, n)
			continue
		}
		files := l.resolve(n)
		if files == nil {
			l.tree.Unresolved = append(l.tree.Unresolved, n)
			out = append(out, n)
			continue
		}
		for _, f := range files {
			out = append(out, l.file(f, n)...)
		}
	}
	return out
}

// resolve finds the files an Include names: relative to the including
// file's directory, then to each parent up to top. nil: none found.
func (l *loader) resolve(n *Node) []string {
	pat := n.Arg(0)
	if pat == "" {
		return nil
	}
	var bases []string
	if filepath.IsAbs(pat) {
		bases = []string{""}
	} else {
		for d := filepath.Dir(n.File); ; d = filepath.Dir(d) {
			bases = append(bases, d)
			if d == l.top || !strings.HasPrefix(d, l.top) || filepath.Dir(d) == d {
				break
			}
		}
	}
	for _, base := range bases {
		p := filepath.Join(base, pat)
		matches, err := l.fsys.Glob(p)
		if err != nil {
			continue
		}
		var files []string
		for _, m := range matches {
			if st, err := l.fsys.Stat(m); err == nil && st.Mode().IsRegular() {
				files = append(files, m)
			}
		}
		if len(files) > 0 {
			slices.Sort(files)
			return files
		}
	}
	return nil
}

// parse reads one file's directives and sections.
func parse(path string, src []byte) ([]*Node, []comment, *report.FileError) {
	fail := func(line, col int, format string, args ...any) ([]*Node, []comment, *report.FileError) {
		return nil, nil, &report.FileError{File: path, Line: line, Column: col, Message: fmt.Sprintf(format, args...)}
	}
	if i := bytes.IndexByte(src, 0); i >= 0 {
		return fail(bytes.Count(src[:i], []byte("\n"))+1, 0, "NUL byte: not an Apache httpd config")
	}
	src = bytes.TrimPrefix(src, []byte("\xef\xbb\xbf"))
	var (
		root     []*Node
		comments []comment
		open     []*Node
	)
	add := func(n *Node) {
		if len(open) > 0 {
			p := open[len(open)-1]
			p.Children = append(p.Children, n)
		} else {
			root = append(root, n)
		}
	}
	lines := strings.Split(string(src), "\n")
	for i := 0; i < len(lines); i++ {
		start := i + 1
		text := strings.TrimRight(lines[i], "\r")
		for strings.HasSuffix(text, "\\") && i+1 < len(lines) { // line continuation
			i++
			text = text[:len(text)-1] + " " + strings.TrimRight(lines[i], "\r")
		}
		trimmed := strings.TrimLeft(text, " \t")
		col := len(text) - len(trimmed) + 1
		switch {
		case trimmed == "":
			continue
		case strings.HasPrefix(trimmed, "#"):
			comments = append(comments, comment{File: path, Line: start, Text: strings.TrimSpace(trimmed[1:])})
			continue
		case strings.HasPrefix(trimmed, "</"):
			name, ok := strings.CutSuffix(strings.TrimSpace(trimmed[2:]), ">")
			if !ok {
				return fail(start, col, "%s: a closing section tag must end with '>'", trimmed)
			}
			if len(open) == 0 {
				return fail(start, col, "</%s> without matching <%s> section", name, name)
			}
			top := open[len(open)-1]
			if !strings.EqualFold(top.Name, name) {
				return fail(start, col, "Expected </%s> but saw </%s>", top.Name, name)
			}
			top.End = start
			open = open[:len(open)-1]
			continue
		case strings.HasPrefix(trimmed, "<"):
			body, ok := strings.CutSuffix(strings.TrimRight(trimmed, " \t"), ">")
			if !ok {
				return fail(start, col, "%s: a section tag must end with '>'", trimmed)
			}
			words, err := splitWords(body[1:])
			if err != "" || len(words) == 0 {
				return fail(start, col, "section tag: %s", orElse(err, "no name"))
			}
			n := &Node{File: path, Line: start, Col: col, Name: words[0], Args: words[1:], Section: true}
			add(n)
			open = append(open, n)
			continue
		}
		words, err := splitWords(trimmed)
		if err != "" {
			return fail(start, col, "%s", err)
		}
		add(&Node{File: path, Line: start, Col: col, Name: words[0], Args: words[1:]})
	}
	if len(open) > 0 {
		o := open[len(open)-1]
		return fail(o.Line, o.Col, "<%s> section is never closed: expected </%s>", o.Name, o.Name)
	}
	return root, comments, nil
}

func orElse(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// splitWords cuts a directive line as ap_getword_conf does: blanks
// separate words; a word that starts with a double or single quote runs to
// the matching quote, and a backslash before that quote escapes it.
func splitWords(s string) ([]string, string) {
	var words []string
	for {
		s = strings.TrimLeft(s, " \t")
		if s == "" {
			return words, ""
		}
		if q := s[0]; q == '"' || q == '\'' {
			var w strings.Builder
			i := 1
			for ; i < len(s) && s[i] != q; i++ {
				if s[i] == '\\' && i+1 < len(s) && s[i+1] == q {
					i++
				}
				w.WriteByte(s[i])
			}
			if i >= len(s) {
				return nil, "unterminated quote"
			}
			words = append(words, w.String())
			s = s[i+1:]
			continue
		}
		end := strings.IndexAny(s, " \t")
		if end < 0 {
			end = len(s)
		}
		words = append(words, s[:end])
		s = s[end:]
	}
}
