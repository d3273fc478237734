package load

import (
	"bytes"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/tufanbarisyildirim/gonginx/config"
	"github.com/tufanbarisyildirim/gonginx/parser"
)

// crossCheck parses the (Lua-blanked) source with gonginx and requires its
// tree to agree with the nodes nginx's tokenizer rules produced:
// gonginx is silently wrong on some valid input (a '}' inside a word, '\;'
// in a bare word, a stray '}' or ';'), and a wrong tree would give wrong
// findings. Directives are matched per block on (end line, name,
// arguments) because gonginx reorders http and upstream children. raw
// holds the tokens as written where they differ from a node's Args.
//
// A directive holding a token gonginx is known to misread (see
// beyondGonginx) is taken from nginx's tokenizer rules alone, and the
// blocks around it are checked header by header, so that one such word
// leaves the rest of the file cross-checked instead of refusing it.
func crossCheck(src []byte, nodes []*Node, raw map[*Node][]string) error {
	c := &checker{src: src, raw: raw}
	c.markBeyond(nodes)
	return c.pieces(nodes, "")
}

type checker struct {
	src []byte
	raw map[*Node][]string
	// beyond: the directives beyond gonginx themselves; holdsBeyond: the
	// blocks with such a directive somewhere inside. Both are found once,
	// by markBeyond, and stay nil in the usual file that has none.
	beyond, holdsBeyond map[*Node]bool
}

// beyondGonginx: the directive's own tokens (a block's header) hold a '}'
// in a bare word that no "${" opened, which nginx reads as part of the
// word (ngx_conf_read_token ends a word only at space, ';' or '{') and
// gonginx as a block end, failing the parse. Real configs have it
// (sub_filter rewriting JavaScript, hassio-addons' birdnet-go), and the
// syntax corpus' 33-brace-in-word holds the tokenizer to nginx's verdict.
// gonginx's other known misreads ('\;' in a bare word, a quoted value
// ending in an escaped backslash) were not seen in real configs and stay
// refused with the reason.
func (c *checker) beyondGonginx(n *Node) bool {
	toks, ok := c.raw[n]
	if !ok {
		toks = n.Args
	}
	for _, t := range toks {
		if t != "" && t[0] != '"' && t[0] != '\'' && strayBrace(t) {
			return true
		}
	}
	return false
}

// strayBrace: a '}' in a bare word that does not close a "${".
func strayBrace(t string) bool {
	open := false
	for i := 0; i < len(t); i++ {
		switch {
		case t[i] == '$' && i+1 < len(t) && t[i+1] == '{':
			open = true
			i++
		case t[i] == '}':
			if !open {
				return true
			}
			open = false
		}
	}
	return false
}

// markBeyond records the directives beyond gonginx and the blocks that
// hold one, and reports whether any of nodes is or holds one.
func (c *checker) markBeyond(nodes []*Node) bool {
	any := false
	for _, n := range nodes {
		if n.Block && !isLua(n) && c.markBeyond(n.Children) {
			if c.holdsBeyond == nil {
				c.holdsBeyond = map[*Node]bool{}
			}
			c.holdsBeyond[n] = true
			any = true
		}
		if !isLua(n) && c.beyondGonginx(n) {
			if c.beyond == nil {
				c.beyond = map[*Node]bool{}
			}
			c.beyond[n] = true
			any = true
		}
	}
	return any
}

// alone: a directive that cannot be parsed together with its neighbours:
// one beyond gonginx, or a block too large or holding such a directive.
func (c *checker) alone(n *Node) bool {
	return !isLua(n) && (c.beyond[n] || (n.Block && (n.End-n.Start > pieceSize || c.holdsBeyond[n])))
}

// pieceSize bounds what gonginx parses at once: its tree of a whole 50 MB
// config would cost many times the input. Consecutive directives are
// checked together up to this size; a larger block is checked as its
// header (name and arguments) and then child by child.
const pieceSize = 1 << 20

func (c *checker) pieces(nodes []*Node, parent string) error {
	for i := 0; i < len(nodes); {
		n := nodes[i]
		if c.alone(n) {
			if n.Block {
				if err := c.header(n, parent); err != nil {
					return err
				}
				if err := c.pieces(n.Children, n.Name); err != nil {
					return err
				}
			}
			i++
			continue
		}
		j := i + 1
		for j < len(nodes) && nodes[j].End-n.Start <= pieceSize && !c.alone(nodes[j]) {
			j++
		}
		if err := c.piece(c.src[n.Start:nodes[j-1].End], nodes[i:j], parent, n.Line-1); err != nil {
			return err
		}
		i = j
	}
	return nil
}

// header checks a block's name and arguments as an empty block of the
// same header, unless the header itself is beyond gonginx.
func (c *checker) header(n *Node, parent string) error {
	if c.beyond[n] {
		return nil
	}
	open, openLine := c.openOf(n)
	header := string(c.src[n.Start:open+1]) + "}"
	h := &Node{Name: n.Name, Args: n.Args, Line: n.Line, Col: n.Col, EndLine: int32(openLine), Block: true}
	if r, ok := c.raw[n]; ok {
		c.raw[h] = r
	}
	err := c.piece([]byte(header), []*Node{h}, parent, n.Line-1)
	delete(c.raw, h)
	return err
}

// openOf is a block's "{": its offset and line.
func (c *checker) openOf(n *Node) (int, int) {
	return int(n.Open), n.Line + bytes.Count(c.src[n.Start:n.Open], []byte{'\n'})
}

// checkPiece parses one piece of the source, whose first line is line
// offset+1 of the file, and matches it against our statements.
func (c *checker) piece(piece []byte, nodes []*Node, parent string, offset int) error {
	cfg, err := safeParse(string(piece))
	if err != nil {
		line, col := 1, 1
		if m := gonginxPos.FindStringSubmatch(err.Error()); m != nil {
			line, _ = strconv.Atoi(m[1])
			col, _ = strconv.Atoi(m[2])
		}
		return &SyntaxError{line + offset, col, "the parser (gonginx) cannot read this file although nginx can (it fails on a quoted value ending in an escaped backslash): " + err.Error()}
	}
	return c.match(nodes, cfg.GetDirectives(), parent, offset)
}

func safeParse(src string) (cfg *config.Config, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("gonginx panicked: %v", r)
		}
	}()
	p := parser.NewStringParser(src, parser.WithSkipValidDirectivesErr(), parser.WithSkipComments())
	return p.Parse()
}

var gonginxPos = regexp.MustCompile(`line (\d+), column (\d+)`)

type stmtKey struct {
	endLine int
	name    string
	args    string
}

func (c *checker) match(ours []*Node, theirs []config.IDirective, parent string, offset int) error {
	index := map[stmtKey][]config.IDirective{}
	for _, d := range theirs {
		k := keyOfTheirs(d, parent, offset)
		index[k] = append(index[k], d)
	}
	for _, n := range ours {
		k := c.keyOfOurs(n, parent)
		cands := index[k]
		if len(cands) == 0 {
			return &SyntaxError{n.Line, int(n.Col), fmt.Sprintf("the parser (gonginx) reads the %q directive differently from nginx; refusing to analyze a wrong tree", n.Name)}
		}
		d := cands[0]
		index[k] = cands[1:]
		if n.Block && !isLua(n) {
			var kids []config.IDirective
			if b := d.GetBlock(); b != nil {
				kids = b.GetDirectives()
			}
			if err := c.match(n.Children, kids, n.Name, offset); err != nil {
				return err
			}
		}
	}
	for _, left := range index {
		if len(left) > 0 {
			return &SyntaxError{left[0].GetLine() + offset, 1, fmt.Sprintf("the parser (gonginx) found a %q directive nginx would not; refusing to analyze a wrong tree", left[0].GetName())}
		}
	}
	return nil
}

func (c *checker) keyOfOurs(n *Node, parent string) stmtKey {
	raw, ok := c.raw[n]
	if !ok {
		raw = n.Args
	}
	if !allValid(raw) {
		valid := make([]string, len(raw))
		for i, r := range raw {
			valid[i] = asRunes(r)
		}
		raw = valid
	}
	return stmtKey{int(n.EndLine), asRunes(n.Name), argKey(raw, parent)}
}

func allValid(ss []string) bool {
	for _, s := range ss {
		if !utf8.ValidString(s) {
			return false
		}
	}
	return true
}

// asRunes reads s the way gonginx does (rune by rune): each byte that is
// not UTF-8, such as a Latin-1 "é" that nginx accepts, becomes U+FFFD,
// so both readings are compared like with like.
func asRunes(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size <= 1 {
			b.WriteRune(utf8.RuneError)
		} else {
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

func keyOfTheirs(d config.IDirective, parent string, offset int) stmtKey {
	var raw []string
	for _, p := range d.GetParameters() {
		raw = append(raw, p.GetValue())
	}
	name := d.GetName()
	// gonginx keeps a quoted directive name's quotes.
	if len(name) >= 2 && (name[0] == '"' || name[0] == '\'') && name[len(name)-1] == name[0] {
		name = unescape(name[1 : len(name)-1])
	}
	return stmtKey{d.GetLine() + offset, name, argKey(raw, parent)}
}

// argKey compares arguments without whitespace; inside upstream gonginx
// re-sorts server parameters, so order is ignored there.
func argKey(raw []string, parent string) string {
	parts := make([]string, 0, len(raw))
	for _, r := range raw {
		parts = append(parts, strings.Join(strings.Fields(r), ""))
	}
	if parent == "upstream" {
		slices.Sort(parts)
		return strings.Join(parts, "\x00")
	}
	return strings.Join(parts, "")
}
