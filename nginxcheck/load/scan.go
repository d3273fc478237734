package load

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
)

// maxDepth bounds block nesting: nginx itself recurses per block, and a
// generated or corrupted file must not exhaust the stack of any parser.
const maxDepth = 100

// SyntaxError is input nginx would reject, located like nginx does.
type SyntaxError struct {
	Line, Col int
	Msg       string
}

func (e *SyntaxError) Error() string { return fmt.Sprintf("%d:%d: %s", e.Line, e.Col, e.Msg) }

// scanner tokenizes like ngx_conf_read_token: words end at whitespace, ';'
// or '{' (not '}'), '#' starts a comment only at the start of a token, a
// quoted token must be followed by a separator, and a backslash escapes
// the next character.
type scanner struct {
	src        []byte
	pos        int
	line, col  int
	comments   map[int]Comment
	lastTok    int    // line of the last token, to tell trailing comments
	blanked    []byte // src with Lua bodies blanked, for gonginx
	blankedLua bool
	// tableFile: a file whose first entry is not an identifier is taken to
	// be included inside map, types or geo; it is checked as a table.
	tableFile bool
	// words holds one copy of each short word: a large config repeats
	// proxy_set_header, Upgrade and $http_upgrade thousands of times.
	words map[string]string
	file  *File // the nodes' file
	// raw holds the tokens as written (quotes kept) of the nodes where
	// they differ from Args, for the cross-check; dropped after it.
	raw map[*Node][]string
	// Scratch space reused by every statement, so a node costs its own
	// allocations only: children, arguments and tokens are copied out at
	// their exact size (and equal argument lists are shared, see args).
	kids       []*Node
	slab       []Node // see node
	argBuf     []string
	rawBuf     []string
	rawDiffers bool
	argSets    map[string][]string
	argKeyBuf  []byte
}

// word returns the text of b, shared with every earlier equal word.
func (s *scanner) word(b []byte) string {
	if len(b) > 48 {
		return string(b)
	}
	if w, ok := s.words[string(b)]; ok {
		return w
	}
	if s.words == nil {
		s.words = map[string]string{}
	}
	w := string(b)
	s.words[w] = w
	return w
}

type token struct {
	text      string // raw
	value     string // unquoted
	quoted    bool
	line, col int
	off       int  // byte offset of the token's start
	kind      byte // 'w' word, ';', '{', '}', 0 EOF
}

// scan reads src into the nodes of f.
func scan(src []byte, f *File) ([]*Node, *scanner, error) {
	s := &scanner{src: src, line: 1, col: 1, comments: map[int]Comment{}, file: f, raw: map[*Node][]string{}}
	if bytes.HasPrefix(src, []byte("\xef\xbb\xbf")) {
		// nginx reads the BOM as part of the first directive name.
		return nil, s, &SyntaxError{1, 1, "unexpected byte order mark at the start of the file: nginx reads it as part of the first directive name (unknown directive); save the file as UTF-8 without BOM"}
	}
	s.tableFile = looksLikeTable(src)
	nodes, err := s.block(0, nil)
	s.argSets = nil
	return nodes, s, err
}

func (s *scanner) block(depth int, opener *Node) ([]*Node, error) {
	base := len(s.kids)
	defer func() { s.kids = s.kids[:base] }()
	for {
		tok, err := s.next()
		if err != nil {
			return nil, err
		}
		switch tok.kind {
		case 0:
			if opener != nil {
				return nil, &SyntaxError{s.line, s.col, `unexpected end of file, expecting "}"`}
			}
			return s.children(base), nil
		case '}':
			if opener == nil {
				return nil, &SyntaxError{tok.line, tok.col, `unexpected "}"`}
			}
			opener.EndLine = int32(tok.line)
			return s.children(base), nil
		case ';':
			return nil, &SyntaxError{tok.line, tok.col, `unexpected ";"`}
		case '{':
			return nil, &SyntaxError{tok.line, tok.col, `unexpected "{"`}
		}
		n := s.node()
		*n = Node{Name: tok.value, File: s.file, Line: tok.line, Col: int32(tok.col), Start: int32(tok.off)}
		if !tok.quoted && !validName(tok.value) && !IsPlaceholder(tok.value) && (opener == nil || !tableBlocks[opener.Name]) && !s.tableFile {
			return nil, &SyntaxError{tok.line, tok.col, fmt.Sprintf("unknown directive %q", tok.value)}
		}
		if err := s.rest(n, depth); err != nil {
			return nil, err
		}
		s.kids = append(s.kids, n)
	}
}

// node takes the next node of the current slab: a large config has
// millions, and one allocation per node would cost each its own size-class
// rounding and garbage-collector bookkeeping. Each slab is sized from
// what is left of the file (a directive takes some 35 bytes), so a small
// file wastes little.
func (s *scanner) node() *Node {
	if len(s.slab) == cap(s.slab) {
		s.slab = make([]Node, 0, min(1024, (len(s.src)-s.pos)/32+1))
	}
	s.slab = s.slab[:len(s.slab)+1]
	return &s.slab[len(s.slab)-1]
}

// children copies the nodes a block collected since base out of the
// shared stack, at their exact size.
func (s *scanner) children(base int) []*Node {
	if len(s.kids) == base {
		return nil
	}
	return slices.Clone(s.kids[base:])
}

// tableBlocks hold key/value entries rather than directives.
var tableBlocks = map[string]bool{"map": true, "types": true, "geo": true, "split_clients": true, "charset_map": true, "match": true}

// Directive names are identifiers in nginx and every module; anything else
// is a tokenization accident (07-regex-quantifier-unquoted).
// (A loop, not a regular expression: it runs on every directive.)
func validName(w string) bool {
	if w == "" {
		return false
	}
	for i := 0; i < len(w); i++ {
		if !nameByte(w[i]) {
			return false
		}
	}
	return true
}

func nameByte(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_'
}

// rest reads a statement's arguments up to ';' or its block.
func (s *scanner) rest(n *Node, depth int) error {
	s.argBuf, s.rawBuf, s.rawDiffers = s.argBuf[:0], s.rawBuf[:0], false
	for {
		tok, err := s.next()
		if err != nil {
			return err
		}
		switch tok.kind {
		case 0:
			return &SyntaxError{s.line, s.col, `unexpected end of file, expecting ";" or "}"`}
		case ';':
			n.EndLine, n.End = int32(tok.line), int32(s.pos)
			s.finish(n)
			return nil
		case '}':
			return &SyntaxError{tok.line, tok.col, `unexpected "}"`}
		case '{':
			n.Block, n.Open = true, int32(tok.off)
			if err := checkIf(n, s.rawBuf, s.argBuf); err != nil {
				return err
			}
			if depth+1 > maxDepth {
				return &SyntaxError{tok.line, tok.col, fmt.Sprintf("blocks nested more than %d deep", maxDepth)}
			}
			s.finish(n)
			if isLua(n) {
				return s.skipLua(n)
			}
			kids, err := s.block(depth+1, n)
			if err != nil {
				return err
			}
			n.Children, n.End = kids, int32(s.pos)
			return nil
		default:
			s.rawBuf = append(s.rawBuf, tok.text)
			s.argBuf = append(s.argBuf, tok.value)
			s.rawDiffers = s.rawDiffers || tok.text != tok.value
		}
	}
}

// isLua: a *_by_lua_block's body is Lua, never nginx statements.
func isLua(n *Node) bool { return n.Block && strings.HasSuffix(n.Name, "_by_lua_block") }

// finish gives a node its arguments and remembers its raw tokens when
// they differ from them.
func (s *scanner) finish(n *Node) {
	n.Args = s.args()
	if s.rawDiffers {
		s.raw[n] = slices.Clone(s.rawBuf)
	}
}

// args returns the statement's arguments, shared with every earlier
// statement of the file with the same ones: a large config repeats
// "proxy_set_header Upgrade $http_upgrade" thousands of times. The tree
// is read-only, so sharing is safe.
func (s *scanner) args() []string {
	if len(s.argBuf) == 0 {
		return nil
	}
	key := s.argKeyBuf[:0]
	for _, a := range s.argBuf {
		key = append(key, a...)
		key = append(key, 0)
	}
	s.argKeyBuf = key
	if len(key) > 64 {
		return slices.Clone(s.argBuf)
	}
	if a, ok := s.argSets[string(key)]; ok {
		return a
	}
	if s.argSets == nil {
		s.argSets = map[string][]string{}
	}
	a := slices.Clone(s.argBuf)
	s.argSets[string(key)] = a
	return a
}

// checkIf rejects an if whose condition is not parenthesised, as nginx does
// ("invalid condition"); it catches a regex quantifier that split the line.
func checkIf(n *Node, raw, args []string) error {
	if n.Name != "if" {
		return nil
	}
	if len(raw) == 0 || !strings.HasPrefix(raw[0], "(") || !strings.HasSuffix(raw[len(raw)-1], ")") {
		last := ""
		if len(args) > 0 {
			last = args[len(args)-1]
		}
		return &SyntaxError{n.Line, int(n.Col), fmt.Sprintf("invalid condition %q", last)}
	}
	return nil
}

func (s *scanner) peek() byte {
	if s.pos < len(s.src) {
		return s.src[s.pos]
	}
	return 0
}

func (s *scanner) advance() byte {
	c := s.src[s.pos]
	s.pos++
	if c == '\n' {
		s.line++
		s.col = 1
	} else if c&0xC0 != 0x80 { // count characters, not UTF-8 continuation bytes
		s.col++
	}
	return c
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }

func (s *scanner) next() (token, error) {
	for s.pos < len(s.src) {
		c := s.peek()
		if isSpace(c) {
			s.advance()
			continue
		}
		if c == '#' {
			line := s.line
			start := s.pos + 1
			for s.pos < len(s.src) && s.peek() != '\n' {
				s.advance()
			}
			s.comments[line] = Comment{Text: strings.TrimSpace(string(s.src[start:s.pos])), Trailing: s.lastTok == line}
			continue
		}
		break
	}
	if s.pos >= len(s.src) {
		return token{kind: 0}, nil
	}
	line, col := s.line, s.col
	s.lastTok = line
	c := s.peek()
	switch c {
	case ';', '{', '}':
		s.advance()
		return token{kind: c, line: line, col: col, text: string(c), off: s.pos - 1}, nil
	case '"', '\'':
		return s.quoted(c, line, col)
	}
	start := s.pos
	variable := false
	for s.pos < len(s.src) {
		c := s.peek()
		if c == '{' && variable { // ${name} is part of the word
			s.advance()
			continue
		}
		variable = false
		if c == '\\' {
			s.advance()
			if s.pos < len(s.src) {
				s.advance()
			}
			continue
		}
		if c == '$' {
			variable = true
			s.advance()
			continue
		}
		if isSpace(c) || c == ';' || c == '{' {
			break
		}
		s.advance()
	}
	text := s.word(s.src[start:s.pos])
	return token{kind: 'w', text: text, value: unescape(text), line: line, col: col, off: start}, nil
}

func (s *scanner) quoted(q byte, line, col int) (token, error) {
	start := s.pos
	s.advance()
	for {
		if s.pos >= len(s.src) {
			return token{}, &SyntaxError{s.line, s.col, `unexpected end of file, expecting ";" or "}"`}
		}
		c := s.advance()
		if c == '\\' {
			if s.pos < len(s.src) {
				s.advance()
			}
			continue
		}
		if c == q {
			break
		}
	}
	text := s.word(s.src[start:s.pos])
	// nginx wants a separator after a closing quote (')' is allowed, for if).
	if s.pos < len(s.src) {
		n := s.peek()
		if !isSpace(n) && n != ';' && n != '{' && n != ')' {
			return token{}, &SyntaxError{s.line, s.col, fmt.Sprintf("unexpected %q", string(n))}
		}
	}
	return token{kind: 'w', text: text, value: unescape(text[1 : len(text)-1]), quoted: true, line: line, col: col, off: start}, nil
}

// unescape resolves the escapes nginx resolves; others keep the backslash.
func unescape(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) {
			switch s[i+1] {
			case '"', '\'', '\\':
				b.WriteByte(s[i+1])
				i++
				continue
			case 't':
				b.WriteByte('\t')
				i++
				continue
			case 'r':
				b.WriteByte('\r')
				i++
				continue
			case 'n':
				b.WriteByte('\n')
				i++
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// skipLua consumes a Lua body up to its matching '}' the way the Lua
// module's own lexer does (strings, long brackets and comments can hold
// braces), and blanks it so that gonginx never sees Lua.
func (s *scanner) skipLua(n *Node) error {
	if s.blanked == nil {
		s.blanked = append([]byte(nil), s.src...)
	}
	bodyStart := s.pos
	depth := 1
	for s.pos < len(s.src) {
		c := s.peek()
		switch {
		case c == '-' && s.pos+1 < len(s.src) && s.src[s.pos+1] == '-':
			s.advance()
			s.advance()
			if lvl, ok := s.longBracket(); ok {
				s.skipLong(lvl)
				continue
			}
			for s.pos < len(s.src) && s.peek() != '\n' {
				s.advance()
			}
		case c == '"' || c == '\'':
			s.advance()
			for s.pos < len(s.src) {
				d := s.advance()
				if d == '\\' && s.pos < len(s.src) {
					s.advance()
				} else if d == c || d == '\n' {
					break
				}
			}
		case c == '[':
			if lvl, ok := s.longBracket(); ok {
				s.skipLong(lvl)
				continue
			}
			s.advance()
		case c == '{':
			depth++
			s.advance()
		case c == '}':
			depth--
			if depth == 0 {
				for i := bodyStart; i < s.pos; i++ {
					if s.blanked[i] != '\n' {
						s.blanked[i] = ' '
					}
				}
				s.blankedLua = true
				n.EndLine = int32(s.line)
				s.advance()
				n.End = int32(s.pos)
				return nil
			}
			s.advance()
		default:
			s.advance()
		}
	}
	return &SyntaxError{s.line, s.col, `unexpected end of file in a Lua block, expecting "}"`}
}

// longBracket recognises "[[" or "[==[" at pos and consumes it.
func (s *scanner) longBracket() (int, bool) {
	if s.peek() != '[' {
		return 0, false
	}
	i := s.pos + 1
	lvl := 0
	for i < len(s.src) && s.src[i] == '=' {
		lvl++
		i++
	}
	if i >= len(s.src) || s.src[i] != '[' {
		return 0, false
	}
	for s.pos <= i {
		s.advance()
	}
	return lvl, true
}

func (s *scanner) skipLong(lvl int) {
	closer := "]" + strings.Repeat("=", lvl) + "]"
	for s.pos < len(s.src) {
		if bytes.HasPrefix(s.src[s.pos:], []byte(closer)) {
			for range closer {
				s.advance()
			}
			return
		}
		s.advance()
	}
}

// looksLikeTable reports whether the first token of a file is not a
// directive name: the file is a list of map, types or geo entries.
func looksLikeTable(src []byte) bool {
	probe := &scanner{src: src, line: 1, col: 1, comments: map[int]Comment{}}
	tok, err := probe.next()
	return err == nil && tok.kind == 'w' && !tok.quoted && !validName(tok.value) && !IsPlaceholder(tok.value)
}
