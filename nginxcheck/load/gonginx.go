package load

import (
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
// tree to agree with the statements nginx's tokenizer rules produced:
// gonginx is silently wrong on some valid input (a '}' inside a word, '\;'
// in a bare word, a stray '}' or ';'), and a wrong tree would give wrong
// findings. Statements are matched per block on (end line, name,
// arguments) because gonginx reorders http and upstream children.
func crossCheck(src []byte, stmts []*statement) error {
	return checkPieces(src, stmts, "")
}

// pieceSize bounds what gonginx parses at once: its tree of a whole 50 MB
// config would cost many times the input. Consecutive statements are
// checked together up to this size; a larger block is checked as its
// header (name and arguments) and then child by child.
const pieceSize = 1 << 20

func checkPieces(src []byte, stmts []*statement, parent string) error {
	for i := 0; i < len(stmts); {
		st := stmts[i]
		if st.end-st.start > pieceSize && st.block && !st.lua {
			header := string(src[st.start:st.open+1]) + "}"
			if err := checkPiece([]byte(header), []*statement{{name: st.name, raw: st.raw, line: st.line, col: st.col, endLine: st.openLine, block: true}}, parent, st.line-1); err != nil {
				return err
			}
			if err := checkPieces(src, st.children, st.name); err != nil {
				return err
			}
			i++
			continue
		}
		j := i + 1
		for j < len(stmts) && stmts[j].end-st.start <= pieceSize {
			j++
		}
		if err := checkPiece(src[st.start:stmts[j-1].end], stmts[i:j], parent, st.line-1); err != nil {
			return err
		}
		i = j
	}
	return nil
}

// checkPiece parses one piece of the source, whose first line is line
// offset+1 of the file, and matches it against our statements.
func checkPiece(piece []byte, stmts []*statement, parent string, offset int) error {
	cfg, err := safeParse(string(piece))
	if err != nil {
		line, col := 1, 1
		if m := gonginxPos.FindStringSubmatch(err.Error()); m != nil {
			line, _ = strconv.Atoi(m[1])
			col, _ = strconv.Atoi(m[2])
		}
		return &SyntaxError{line + offset, col, "the parser (gonginx) cannot read this file although nginx can (it fails on a '}' inside a bare word, and on a quoted value ending in an escaped backslash): " + err.Error()}
	}
	return matchBlock(stmts, cfg.GetDirectives(), parent, offset)
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

func matchBlock(ours []*statement, theirs []config.IDirective, parent string, offset int) error {
	index := map[stmtKey][]config.IDirective{}
	for _, d := range theirs {
		k := keyOfTheirs(d, parent, offset)
		index[k] = append(index[k], d)
	}
	for _, st := range ours {
		k := keyOfOurs(st, parent)
		cands := index[k]
		if len(cands) == 0 {
			return &SyntaxError{st.line, st.col, fmt.Sprintf("the parser (gonginx) reads the %q directive differently from nginx; refusing to analyze a wrong tree", st.name)}
		}
		d := cands[0]
		index[k] = cands[1:]
		if st.block && !st.lua {
			var kids []config.IDirective
			if b := d.GetBlock(); b != nil {
				kids = b.GetDirectives()
			}
			if err := matchBlock(st.children, kids, st.name, offset); err != nil {
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

func keyOfOurs(st *statement, parent string) stmtKey {
	raw := st.raw
	if !allValid(raw) {
		raw = make([]string, len(st.raw))
		for i, r := range st.raw {
			raw[i] = asRunes(r)
		}
	}
	return stmtKey{st.endLine, asRunes(st.name), argKey(raw, parent)}
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
