package haproxycheck

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"

	"github.com/wscheck/wscheck/report"
)

// Directive is one configuration line cut into words as HAProxy cuts it.
type Directive struct {
	Line, Col int      // of the first word
	Words     []string // quotes and escapes removed
	// Env: a word expands an environment variable ("$X" in double
	// quotes), so its value is unknown here.
	Env bool
	// Cond: inside a .if block, so HAProxy may or may not read it.
	Cond bool
}

// Keyword is the directive's first word.
func (d *Directive) Keyword() string { return d.Words[0] }

// Arg returns word i after the keyword, or "".
func (d *Directive) Arg(i int) string {
	if i+1 < len(d.Words) {
		return d.Words[i+1]
	}
	return ""
}

// Section is a "defaults", "frontend", "backend", "listen" (or other)
// section with the directives up to the next section line.
type Section struct {
	Kind, Name, From string
	Line, Col        int
	End              int // the last line that belongs to it
	Directives       []*Directive
}

func (s *Section) String() string {
	if s.Name == "" {
		return s.Kind
	}
	return s.Kind + " " + s.Name
}

// comment is a "#" comment; Trailing when words precede it on its line.
type comment struct {
	Line, Col int
	Text      string
	Trailing  bool
}

// File is one parsed HAProxy config.
type File struct {
	Path     string
	Sections []*Section
	Comments []comment
}

// sectionKeywords open a section (cfgparse's section list, 2.6 to 3.x).
var sectionKeywords = map[string]bool{
	"global": true, "defaults": true, "frontend": true, "backend": true, "listen": true,
	"userlist": true, "peers": true, "resolvers": true, "mailers": true, "program": true,
	"http-errors": true, "ring": true, "cache": true, "log-forward": true, "fcgi-app": true,
	"crt-store": true, "traces": true, "acme": true,
}

// Parse reads one config. Errors carry the line HAProxy would name; a file
// with an error yields no sections, so no finding rests on a misread.
func Parse(path string, src []byte) (*File, []report.FileError) {
	f := &File{Path: path}
	fail := func(line, col int, format string, args ...any) (*File, []report.FileError) {
		return &File{Path: path}, []report.FileError{{File: path, Line: line, Column: col, Message: fmt.Sprintf(format, args...)}}
	}
	if i := bytes.IndexByte(src, 0); i >= 0 {
		return fail(bytes.Count(src[:i], []byte("\n"))+1, 0, "NUL byte: not an HAProxy config")
	}
	src = bytes.TrimPrefix(src, []byte("\xef\xbb\xbf"))
	var cur *Section
	var conds []int // lines of the open .if blocks
	lines := strings.Split(string(src), "\n")
	for i, text := range lines {
		n := i + 1
		d, c, err := splitLine(strings.TrimSuffix(text, "\r"))
		if err != nil {
			return fail(n, err.col, "%s", err.msg)
		}
		if c != nil {
			c.Line = n
			f.Comments = append(f.Comments, *c)
		}
		if d == nil {
			continue
		}
		d.Line = n
		d.Cond = len(conds) > 0
		switch kw := d.Keyword(); {
		case kw == ".if":
			conds = append(conds, n)
			continue
		case kw == ".elif" || kw == ".else":
			if len(conds) == 0 {
				return fail(n, d.Col, "'%s' without a matching '.if'", kw)
			}
			continue
		case kw == ".endif":
			if len(conds) == 0 {
				return fail(n, d.Col, "'.endif' without a matching '.if'")
			}
			conds = conds[:len(conds)-1]
			continue
		case strings.HasPrefix(kw, "."): // .diag, .notice, .warning, .alert
			continue
		case sectionKeywords[kw]:
			if cur != nil {
				cur.End = n - 1
			}
			cur = &Section{Kind: kw, Line: n, Col: d.Col}
			args := d.Words[1:]
			if len(args) > 0 && args[0] != "from" {
				cur.Name, args = args[0], args[1:]
			}
			if len(args) >= 2 && args[0] == "from" {
				cur.From = args[1]
			} else if len(args) == 1 && args[0] == "from" {
				return fail(n, d.Col, "'%s': 'from' needs the name of a defaults section", kw)
			}
			if cur.Name == "" && (kw == "frontend" || kw == "backend" || kw == "listen") {
				return fail(n, d.Col, "'%s' needs a name", kw)
			}
			f.Sections = append(f.Sections, cur)
			continue
		}
		if cur == nil {
			return fail(n, d.Col, "unknown keyword '%s' out of section", d.Keyword())
		}
		cur.Directives = append(cur.Directives, d)
	}
	if len(conds) > 0 {
		return fail(conds[len(conds)-1], 1, "'.if' is never closed by '.endif'")
	}
	if cur != nil {
		cur.End = len(lines)
	}
	return f, nil
}

type lineError struct {
	col int
	msg string
}

// splitLine cuts a line into words (configuration manual 2.2): blanks
// separate words, a backslash escapes the next character, double quotes
// quote weakly ($VAR expands), single quotes strongly, and "#" outside
// quotes starts a comment.
func splitLine(s string) (*Directive, *comment, *lineError) {
	var (
		words           []string
		word            strings.Builder
		inWord, env     bool
		squote, dquote  bool
		quoteCol, first int
	)
	end := func() {
		if inWord {
			words = append(words, word.String())
			word.Reset()
			inWord = false
		}
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case squote:
			if c == '\'' {
				squote = false
			} else {
				word.WriteByte(c)
			}
			continue
		case c == '\\' && i+1 < len(s):
			if !inWord && first == 0 {
				first = i + 1
			}
			inWord = true
			i++
			switch e := s[i]; e {
			case 'n':
				word.WriteByte('\n')
			case 'r':
				word.WriteByte('\r')
			case 't':
				word.WriteByte('\t')
			case 'x':
				if i+2 < len(s) {
					if v, err := strconv.ParseUint(s[i+1:i+3], 16, 8); err == nil {
						word.WriteByte(byte(v))
						i += 2
						continue
					}
				}
				return nil, nil, &lineError{i, `invalid "\x" escape: want two hexadecimal digits`}
			default:
				word.WriteByte(e)
			}
			continue
		case dquote:
			if c == '"' {
				dquote = false
			} else {
				env = env || c == '$'
				word.WriteByte(c)
			}
			continue
		case c == '"' || c == '\'':
			if !inWord && first == 0 {
				first = i + 1
			}
			inWord = true
			quoteCol = i + 1
			dquote, squote = c == '"', c == '\''
			continue
		case c == '#':
			end()
			d := directive(words, first, env)
			return d, &comment{Col: i + 1, Text: strings.TrimSpace(s[i+1:]), Trailing: d != nil}, nil
		case c == ' ' || c == '\t':
			end()
			continue
		}
		if !inWord && first == 0 {
			first = i + 1
		}
		inWord = true
		word.WriteByte(c)
	}
	if squote || dquote {
		return nil, nil, &lineError{quoteCol, "unmatched quote"}
	}
	end()
	return directive(words, first, env), nil, nil
}

func directive(words []string, col int, env bool) *Directive {
	if len(words) == 0 {
		return nil
	}
	return &Directive{Col: col, Words: words, Env: env}
}
