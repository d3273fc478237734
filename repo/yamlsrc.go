package repo

// nginx text inside YAML: a ConfigMap data: value, the same in a Helm
// template, a block scalar in values.yaml. Each string that looks like
// nginx becomes a virtual file of the YAML file's own shape: the string's
// characters stay where they are and everything else is blanked, so a
// finding's line and column are the YAML file's. That needs the string's
// text to be in the file character for character; a folded or escaped
// string is reported as not analyzed, with the reason, instead of being
// analyzed at positions that would be wrong.

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// Embedded is nginx text found in one YAML string.
type Embedded struct {
	Key       string // where the string sits: data.default.conf
	Line, Col int    // where its text starts
	// Text is the YAML file with every character outside the string
	// blanked and template syntax neutralized: load it under the YAML
	// file's own name.
	Text                     []byte
	Dialect                  Dialect
	Placeholders, Conditions int
}

// SkippedString is a YAML string that holds nginx but cannot be analyzed.
type SkippedString struct {
	Key       string
	Line, Col int
	Reason    string
}

// YAMLError is a YAML file that does not parse, even with its template
// syntax neutralized.
type YAMLError struct {
	Line int // 0 when the parser names none
	Msg  string
}

func (e *YAMLError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%d: %s", e.Line, e.Msg)
	}
	return e.Msg
}

// looksLikeNginx: only strings with an nginx block or proxy_* directives
// are taken; other text in YAML (scripts, Traefik or HAProxy config, JSON)
// is not nginx.
var looksLikeNginx = regexp.MustCompile(`(?m)^[ \t]*(?:(?:http|server|location|upstream|stream)\b[^;{\n]*\{|proxy_[a-z_]+[ \t][^\n]*;)`)

var yamlLineRe = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// ExtractYAML finds the nginx strings of a YAML file (several documents,
// Helm or Jinja template syntax allowed). Annotations are left out: an
// ingress-nginx snippet is spliced into a location the controller
// generates, whose headers no file in the repository shows.
func ExtractYAML(name string, src []byte) ([]Embedded, []SkippedString, error) {
	f, err := ReadYAML(name, src)
	var te *TemplateError
	if errors.As(err, &te) {
		return nil, nil, err
	}
	x := &yamlExtract{name: name, src: src, text: f.Text, lines: strings.Split(string(f.Text), "\n"), dialect: f.Dialect}
	for _, doc := range f.Docs {
		if werr := x.walk(doc, ""); werr != nil {
			return x.found, x.skipped, werr
		}
	}
	return x.found, x.skipped, err
}

type yamlExtract struct {
	name      string
	src, text []byte
	lines     []string // of text
	dialect   Dialect
	found     []Embedded
	skipped   []SkippedString
}

func (x *yamlExtract) walk(n *yaml.Node, key string) error {
	switch n.Kind {
	case yaml.DocumentNode, yaml.SequenceNode:
		for i, c := range n.Content {
			k := key
			if n.Kind == yaml.SequenceNode {
				k = fmt.Sprintf("%s[%d]", key, i)
			}
			if err := x.walk(c, k); err != nil {
				return err
			}
		}
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := n.Content[i].Value
			if key != "" {
				k = key + "." + k
			}
			if k == "metadata.annotations" || strings.HasSuffix(k, ".metadata.annotations") {
				continue
			}
			if err := x.walk(n.Content[i+1], k); err != nil {
				return err
			}
		}
	case yaml.ScalarNode:
		if n.Tag == "!!str" && looksLikeNginx.MatchString(n.Value) {
			return x.take(n, key)
		}
	}
	return nil
}

// take keeps one string's characters in place, or says why it cannot.
func (x *yamlExtract) take(n *yaml.Node, key string) error {
	skip := func(reason string) error {
		x.skipped = append(x.skipped, SkippedString{key, n.Line, n.Column, reason})
		return nil
	}
	keep := map[int]span{} // by 0-based line
	var line, col int
	switch {
	case n.Style&yaml.FoldedStyle != 0:
		return skip("a folded block scalar (>) joins its lines, so its text is not the file's and positions would be wrong; write the nginx text as a literal block scalar (|)")
	case n.Style&yaml.LiteralStyle != 0:
		want := strings.Split(strings.TrimRight(n.Value, "\n"), "\n")
		l := n.Line // the indicator's line; the text starts below it
		for _, w := range want {
			if l >= len(x.lines) {
				return skip("the block scalar's text was not found in the file")
			}
			got := strings.TrimRight(x.lines[l], "\r")
			if !strings.HasSuffix(got, w) || strings.TrimLeft(got[:len(got)-len(w)], " \t") != "" {
				return skip(fmt.Sprintf("line %d of the block scalar is not its text as written (a tab in the indentation?); positions would be wrong", l+1))
			}
			keep[l] = span{whole: true}
			l++
		}
		// Blank lines after the text still belong to the scalar; in a
		// template they hold the tags that close its conditions.
		for ; l < len(x.lines) && strings.TrimSpace(x.lines[l]) == ""; l++ {
			keep[l] = span{whole: true}
		}
		line, col = n.Line+1, 1
	case n.Style&yaml.DoubleQuotedStyle != 0 && strings.Contains(string([]rune(x.lines[n.Line-1])[min(n.Column, utf8.RuneCountInString(x.lines[n.Line-1])):]), `\`):
		return skip(`the string has escapes (\n, \") so its text is not the file's and positions would be wrong; write the nginx text as a literal block scalar (|)`)
	default:
		if strings.Contains(n.Value, "\n") {
			return skip("a multi-line quoted or plain YAML string folds its lines, so its text is not the file's and positions would be wrong; write the nginx text as a literal block scalar (|)")
		}
		raw := []rune(x.lines[n.Line-1])
		start := n.Column - 1
		if n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) != 0 {
			start++
		}
		end := start + utf8.RuneCountInString(n.Value)
		if start < 0 || end > len(raw) || string(raw[start:end]) != n.Value {
			return skip("the string has escapes ('') so its text is not the file's and positions would be wrong; write the nginx text as a literal block scalar (|)")
		}
		keep[n.Line-1] = span{from: start, to: end}
		line, col = n.Line, start+1
	}
	region := blankOutside(x.src, keep)
	e := Embedded{Key: key, Line: line, Col: col, Text: region, Dialect: x.dialect}
	if x.dialect != NoTemplate {
		n := &neutralizer{d: x.dialect, src: region, line: 1, col: 1, ns: nstate{stmtStart: true}, fragment: true}
		if err := n.run(); err != nil {
			return err
		}
		e.Text, e.Placeholders, e.Conditions = n.out, n.placeholders, n.conditions
	}
	x.found = append(x.found, e)
	return nil
}

// span is the rune columns of a line to keep: [from, to), or the whole line.
type span struct {
	from, to int
	whole    bool
}

// blankOutside blanks every character of src outside the kept spans,
// keeping newlines, so the result has src's shape.
func blankOutside(src []byte, keep map[int]span) []byte {
	out := make([]byte, 0, len(src))
	for i, l := range bytes.Split(src, []byte("\n")) {
		if i > 0 {
			out = append(out, '\n')
		}
		k, ok := keep[i]
		for col := 0; len(l) > 0; col++ {
			_, size := utf8.DecodeRune(l)
			if ok && (k.whole || col >= k.from && col < k.to) {
				out = append(out, l[:size]...)
			} else {
				out = append(out, ' ')
			}
			l = l[size:]
		}
	}
	return out
}

// NeutralizeText neutralizes template syntax in a line-based format with
// no nginx statements (YAML, an HAProxy .cfg.j2): control tags and
// expressions alone on their line (they render structure) are blanked,
// other expressions become placeholder words; the shape is kept as by
// Neutralize.
func NeutralizeText(d Dialect, src []byte) ([]byte, error) { return neutralizeYAML(d, src) }

// neutralizeYAML is the mode for YAML files (Helm templates): the result
// must parse as YAML, so control tags and expressions that stand alone on
// their line (they render structure) are blanked, and other expressions
// become opaque scalars.
func neutralizeYAML(d Dialect, src []byte) ([]byte, error) {
	n := &neutralizer{d: d, src: src, line: 1, col: 1, yaml: true}
	if err := n.run(); err != nil {
		return nil, err
	}
	return n.out, nil
}

// YAMLFile is a YAML file read for its objects: every document, with the
// text they were decoded from (template syntax neutralized, same shape as
// Source, so node positions are the file's own).
type YAMLFile struct {
	Docs    []*yaml.Node
	Source  []byte // as written
	Text    []byte // neutralized; Source when not a template
	Dialect Dialect
}

// ReadYAML decodes every document of a YAML file or Helm template. A
// template that cannot be neutralized is a *TemplateError (and no file), a
// document that does not parse a *YAMLError with the documents before it;
// both carry their line.
func ReadYAML(name string, src []byte) (*YAMLFile, error) {
	f := &YAMLFile{Source: src, Text: src, Dialect: DetectTemplate(name, src)}
	if f.Dialect != NoTemplate {
		var err error
		if f.Text, err = neutralizeYAML(f.Dialect, src); err != nil {
			return nil, err
		}
	}
	dec := yaml.NewDecoder(bytes.NewReader(f.Text))
	for {
		var doc yaml.Node
		err := dec.Decode(&doc)
		if errors.Is(err, io.EOF) {
			return f, nil
		}
		if err != nil {
			ye := &YAMLError{Msg: err.Error()}
			if m := yamlLineRe.FindStringSubmatch(err.Error()); m != nil {
				ye.Line, _ = strconv.Atoi(m[1])
				ye.Msg = m[2]
			}
			if f.Dialect != NoTemplate {
				ye.Msg += fmt.Sprintf(" (after neutralizing %s template syntax)", f.Dialect)
			}
			return f, ye
		}
		f.Docs = append(f.Docs, &doc)
	}
}
