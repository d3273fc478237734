package repo

// Templates: nginx configs kept as Jinja2, Go text/template, ERB, envsubst,
// Terraform templatefile or %%var%% files are analyzed by neutralizing the
// template syntax, never by rendering it.
//
// Neutralization keeps the file's shape: every character maps to exactly
// one character at the same line and column (newlines are kept), so the
// loader's file, line and column are the template's own and no mapping
// table exists that could drift. A template expression becomes an opaque
// word of PlaceholderRune characters; a control tag at statement level
// becomes a condition marker directive (MarkOpen, MarkElse, MarkEnd);
// comments and assignments become blanks.
//
// Why not render (for Helm: its engine as a library with the chart's
// default values, as kube-linter does)? Rendering sees one set of values:
// the default branch of every {{ if }}, and nothing of a location the
// defaults disable, while the break a user ships may sit in the other
// branch. Rendered text has no line mapping back to the template
// (nindent, toYaml, range and include move and multiply lines), so a
// finding could not point at the line to edit. It fails on charts whose
// defaults are incomplete (required, fail, lookup), it would pull Helm and
// the Kubernetes client libraries into a pre-commit hook, and it covers
// Helm only: Ansible, tempio, Jitsi's tpl, ERB and envsubst files have no
// values to render with. Neutralization reads every branch, keeps exact
// positions, and makes whatever depends on a value unknown, so it never
// reports a finding that a value could make false.

import (
	"bytes"
	"fmt"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// What neutralization leaves in nginx text (package load reads them):
//
//   - a placeholder: every character of a template expression ({{ x }},
//     ${VAR}, %%var%%, <%= x %>) replaced by PlaceholderRune, so it stays one
//     opaque word (or part of one) at the template's own line and column;
//   - a condition marker: a directive named MarkOpen, MarkElse or MarkEnd
//     where a template condition or loop opens, branches or closes between
//     statements. Directives between MarkOpen and its MarkEnd exist only
//     when the template says so.
const (
	PlaceholderRune = '¤'
	MarkOpen        = "¤if"
	MarkElse        = "¤else"
	MarkEnd         = "¤end"
)

// Dialect is a template language that can hold nginx text.
type Dialect int

const (
	NoTemplate Dialect = iota
	Jinja              // Ansible .j2: {{ expr }}, {% tag %}, {# comment #}
	GoTemplate         // text/template: Helm, sprig, tpl, tempio .gtpl
	ERB                // Chef/Puppet .erb: <%= expr %>, <% code %>, <%# comment %>
	Envsubst           // the official image's templates/*.template: ${VAR}, $VAR
	Terraform          // templatefile(): ${expr}, %{ if } ... %{ endif }
	Percent            // %%var%% filled in by a start script (Home Assistant add-ons)
)

var dialectNames = [...]string{"plain", "jinja2", "go-template", "erb", "envsubst", "terraform", "percent"}

func (d Dialect) String() string {
	if int(d) < len(dialectNames) {
		return dialectNames[d]
	}
	return fmt.Sprintf("dialect(%d)", int(d))
}

// templateExts are the suffixes template files carry in real repositories.
var templateExts = map[string]bool{".j2": true, ".jinja": true, ".jinja2": true, ".tpl": true, ".gtpl": true,
	".tmpl": true, ".gotmpl": true, ".template": true, ".erb": true, ".tftpl": true}

// TemplateName reports whether a file name carries a template suffix, and
// the name without it: "vhost.conf.j2" is "vhost.conf".
func TemplateName(name string) (string, bool) {
	ext := strings.ToLower(path.Ext(name))
	if !templateExts[ext] {
		return name, false
	}
	return name[:len(name)-len(ext)], true
}

var (
	erbTag      = regexp.MustCompile(`<%[=#-]?[\s\S]*?%>`)
	jinjaTag    = regexp.MustCompile(`\{%[\s\S]*?%\}|\{#[\s\S]*?#\}`)
	goAction    = regexp.MustCompile(`\{\{-?\s*(?:if|else|end|range|with|define|block|template|include|tpl|toYaml|/\*|\.|\$)`)
	tfDirective = regexp.MustCompile(`%\{~?\s*(?:if|for|else|endif|endfor)\b`)
	envVar      = regexp.MustCompile(`\$\{[A-Z][A-Z0-9_]*\}`)
	envBare     = regexp.MustCompile(`\$[A-Z][A-Z0-9_]*\b`)
	percentVar  = regexp.MustCompile(`%%[A-Za-z_][A-Za-z0-9_]*%%`)

	// Anchored forms, matched at one position.
	envVarAt     = regexp.MustCompile(`^\$\{[A-Z][A-Z0-9_]*\}`)
	envBareAt    = regexp.MustCompile(`^\$[A-Z][A-Z0-9_]*\b`)
	percentVarAt = regexp.MustCompile(`^%%[A-Za-z_][A-Za-z0-9_]*%%`)
)

// DetectTemplate tells the template dialect of a file from its content,
// whatever its name: real repositories keep a Go template under the plain
// name nginx.conf. The name only settles what the content leaves open.
func DetectTemplate(name string, src []byte) Dialect {
	ext := strings.ToLower(filepath.Ext(name))
	switch {
	case erbTag.Match(src):
		return ERB
	case jinjaTag.Match(src):
		return Jinja
	case bytes.Contains(src, []byte("{{")):
		// Both languages print {{ x }}; only Go has actions such as {{ if }}.
		if goAction.Match(src) || ext == ".gtpl" || ext == ".tpl" || ext == ".tmpl" || ext == ".gotmpl" {
			return GoTemplate
		}
		return Jinja
	case tfDirective.Match(src) || ext == ".tftpl" || (ext == ".tpl" && bytes.Contains(src, []byte("${"))):
		return Terraform
	case envVar.Match(src) || (ext == ".template" && envBare.Match(src)):
		return Envsubst
	case percentVar.Match(src):
		return Percent
	}
	return NoTemplate
}

// Neutralized is a templated file turned into nginx text of the same shape.
type Neutralized struct {
	Dialect Dialect
	Text    []byte
	// Placeholders counts template expressions that became opaque words;
	// Conditions counts conditions and loops.
	Placeholders, Conditions int
}

// TemplateError is template syntax that cannot be made into nginx tokens,
// located at the construct's own line and column.
type TemplateError struct {
	Dialect   Dialect
	Line, Col int
	Construct string // the tag as written, shortened
	Msg       string
}

func (e *TemplateError) Error() string { return fmt.Sprintf("%d:%d: %s", e.Line, e.Col, e.Reason()) }

// Reason is the error without its position, for reports that place it.
func (e *TemplateError) Reason() string {
	return fmt.Sprintf("%s template: %s %s", e.Dialect, e.Construct, e.Msg)
}

// ReadTemplate detects a file's dialect and neutralizes it; a file with no
// template syntax comes back unchanged with Dialect NoTemplate.
func ReadTemplate(name string, src []byte) (*Neutralized, error) {
	d := DetectTemplate(name, src)
	if d == NoTemplate {
		return &Neutralized{Dialect: NoTemplate, Text: src}, nil
	}
	return Neutralize(d, src)
}

// Neutralize turns template syntax into same-shape nginx text.
func Neutralize(d Dialect, src []byte) (*Neutralized, error) {
	n := &neutralizer{d: d, src: src, line: 1, col: 1, ns: nstate{stmtStart: true}}
	if err := n.run(); err != nil {
		return nil, err
	}
	return &Neutralized{Dialect: d, Text: n.out, Placeholders: n.placeholders, Conditions: n.conditions}, nil
}

type tagKind int

const (
	tagOutput  tagKind = iota // an expression: its value is unknown
	tagOpen                   // if, for, range, with, a Ruby block
	tagMid                    // else, elif, elsif, when
	tagClose                  // end, endif, endfor
	tagNeutral                // assignments, imports: render nothing
	tagComment
	tagRaw    // Jinja {% raw %}: the text up to {% endraw %} is literal
	tagEscape // prints literal, e.g. ERB "<%%" prints "<%"
)

type tag struct {
	start, end int // byte offsets in src
	kind       tagKind
	literal    string // what a tagEscape prints
}

type openTag struct {
	text      string
	line, col int
	depth     int // nginx block depth where it opened
}

type neutralizer struct {
	d         Dialect
	yaml      bool // a YAML file: the result must stay YAML
	fragment  bool // a piece of a file: conditions may open or close outside it
	src, out  []byte
	pos       int
	line, col int // of pos
	ns        nstate
	stack     []openTag

	placeholders, conditions int
}

func (n *neutralizer) run() error {
	for n.pos < len(n.src) {
		t, ok, err := n.tagAt()
		if err != nil {
			return err
		}
		if !ok {
			n.copyByte()
			continue
		}
		if err := n.emit(t); err != nil {
			return err
		}
	}
	if len(n.stack) > 0 && !n.fragment {
		top := n.stack[len(n.stack)-1]
		return &TemplateError{n.d, top.line, top.col, top.text, "is never closed"}
	}
	return nil
}

// copyByte passes one byte of nginx text through.
func (n *neutralizer) copyByte() {
	c := n.src[n.pos]
	n.out = append(n.out, c)
	n.ns.feed(c)
	n.advance()
}

func (n *neutralizer) advance() {
	c := n.src[n.pos]
	n.pos++
	if c == '\n' {
		n.line++
		n.col = 1
	} else if c&0xC0 != 0x80 {
		n.col++
	}
}

func (n *neutralizer) errAt(start int, msg string) error {
	return &TemplateError{n.d, n.line, n.col, shorten(n.src[start:min(len(n.src), start+40)]), msg}
}

// shorten keeps the first line of a construct for messages.
func shorten(b []byte) string {
	s := string(b)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	if len(s) > 30 {
		s = s[:30] + "..."
	}
	return strings.ToValidUTF8(s, "?")
}

func (n *neutralizer) has(prefix string) bool {
	return bytes.HasPrefix(n.src[n.pos:], []byte(prefix))
}

// closeAfter finds the end of a tag opened at pos+skip whose closer is
// closer, stepping over quoted strings when quotes is set.
func (n *neutralizer) closeAfter(skip int, closer string, quotes string) (int, error) {
	for i := n.pos + skip; i < len(n.src); i++ {
		c := n.src[i]
		if strings.IndexByte(quotes, c) >= 0 {
			for i++; i < len(n.src) && n.src[i] != c; i++ {
				if n.src[i] == '\\' && c != '`' {
					i++
				}
			}
			continue
		}
		if bytes.HasPrefix(n.src[i:], []byte(closer)) {
			return i + len(closer), nil
		}
	}
	return 0, n.errAt(n.pos, "is never closed by "+closer)
}

// tagAt recognises a template construct at pos.
func (n *neutralizer) tagAt() (tag, bool, error) {
	c := n.src[n.pos]
	switch n.d {
	case Jinja:
		switch {
		case n.has("{{"):
			end, err := n.closeAfter(2, "}}", `"'`)
			return tag{n.pos, end, tagOutput, ""}, true, err
		case n.has("{%"):
			end, err := n.closeAfter(2, "%}", `"'`)
			if err != nil {
				return tag{}, false, err
			}
			return tag{n.pos, end, jinjaKind(string(n.src[n.pos+2 : end-2])), ""}, true, nil
		case n.has("{#"):
			end, err := n.closeAfter(2, "#}", "")
			return tag{n.pos, end, tagComment, ""}, true, err
		}
	case GoTemplate:
		if n.has("{{") {
			end, err := n.closeAfter(2, "}}", "\"`'")
			if err != nil {
				return tag{}, false, err
			}
			return tag{n.pos, end, goKind(string(n.src[n.pos+2 : end-2])), ""}, true, nil
		}
	case ERB:
		switch {
		case n.has("<%%"):
			return tag{n.pos, n.pos + 3, tagEscape, "<%"}, true, nil
		case n.has("<%#"):
			end, err := n.closeAfter(3, "%>", "")
			return tag{n.pos, end, tagComment, ""}, true, err
		case n.has("<%="):
			end, err := n.closeAfter(3, "%>", `"'`)
			return tag{n.pos, end, tagOutput, ""}, true, err
		case n.has("<%"):
			end, err := n.closeAfter(2, "%>", `"'`)
			if err != nil {
				return tag{}, false, err
			}
			return tag{n.pos, end, rubyKind(string(n.src[n.pos+2 : end-2])), ""}, true, nil
		}
	case Terraform:
		switch {
		case n.has("$${") || n.has("%%{"):
			return tag{n.pos, n.pos + 3, tagEscape, string(n.src[n.pos+1 : n.pos+3])}, true, nil
		case n.has("${"):
			end, err := n.closeBrace()
			return tag{n.pos, end, tagOutput, ""}, true, err
		case n.has("%{"):
			end, err := n.closeBrace()
			if err != nil {
				return tag{}, false, err
			}
			return tag{n.pos, end, terraformKind(string(n.src[n.pos+2 : end-1])), ""}, true, nil
		}
	case Envsubst:
		if c == '$' {
			rest := n.src[n.pos:min(len(n.src), n.pos+256)]
			if m := envVarAt.Find(rest); m != nil {
				return tag{n.pos, n.pos + len(m), tagOutput, ""}, true, nil
			}
			if m := envBareAt.Find(rest); m != nil {
				return tag{n.pos, n.pos + len(m), tagOutput, ""}, true, nil
			}
		}
	case Percent:
		if c == '%' {
			if m := percentVarAt.Find(n.src[n.pos:min(len(n.src), n.pos+256)]); m != nil {
				return tag{n.pos, n.pos + len(m), tagOutput, ""}, true, nil
			}
		}
	}
	return tag{}, false, nil
}

// closeBrace finds the "}" that closes a Terraform "${" or "%{", counting
// nested braces and stepping over strings.
func (n *neutralizer) closeBrace() (int, error) {
	depth := 0
	for i := n.pos + 1; i < len(n.src); i++ {
		switch n.src[i] {
		case '"':
			for i++; i < len(n.src) && n.src[i] != '"'; i++ {
				if n.src[i] == '\\' {
					i++
				}
			}
		case '{':
			depth++
		case '}':
			depth--
			if depth == 0 {
				return i + 1, nil
			}
		}
	}
	return 0, n.errAt(n.pos, "is never closed by }")
}

// trimTag drops whitespace-control marks and spaces around a tag's body.
func trimTag(body string) string {
	return strings.TrimSpace(strings.Trim(strings.TrimSpace(body), "-+~"))
}

func firstWord(body string) string {
	f := strings.FieldsFunc(body, func(r rune) bool {
		return !strings.ContainsRune("_/*$=:", r) && !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
	if len(f) == 0 {
		return ""
	}
	return f[0]
}

func jinjaKind(body string) tagKind {
	w := firstWord(trimTag(body))
	switch w {
	case "if", "for", "macro", "call", "filter", "block", "with", "autoescape":
		return tagOpen
	case "set":
		// {% set x %}...{% endset %} captures text; {% set x = 1 %} does not.
		if strings.Contains(body, "=") {
			return tagNeutral
		}
		return tagOpen
	case "elif", "else":
		return tagMid
	case "raw":
		return tagRaw
	case "include":
		return tagOutput
	}
	if strings.HasPrefix(w, "end") {
		return tagClose
	}
	return tagNeutral
}

func goKind(body string) tagKind {
	b := trimTag(body)
	if strings.HasPrefix(b, "/*") {
		return tagComment
	}
	switch w := firstWord(b); w {
	case "if", "range", "with", "define", "block":
		return tagOpen
	case "else":
		return tagMid
	case "end":
		return tagClose
	case "break", "continue":
		return tagNeutral
	default:
		if strings.HasPrefix(w, "$") && (strings.Contains(b, ":=") || strings.Contains(b, " = ")) {
			return tagNeutral
		}
	}
	return tagOutput
}

var (
	rubyOpenEnd = regexp.MustCompile(`(?:\bdo|\{)\s*(?:\|[^|]*\|)?\s*$`)
	rubyEnds    = regexp.MustCompile(`\bend\s*$`)
)

func rubyKind(body string) tagKind {
	b := trimTag(body)
	w := firstWord(b)
	switch {
	case b == "end" || b == "}":
		return tagClose
	case w == "else" || w == "elsif" || w == "when" || w == "rescue" || w == "ensure":
		return tagMid
	case w == "if" || w == "unless" || w == "while" || w == "until" || w == "case" || w == "for" || w == "begin":
		if rubyEnds.MatchString(b) {
			return tagNeutral // a one-line "if x then y end"
		}
		return tagOpen
	case rubyOpenEnd.MatchString(b):
		return tagOpen
	}
	return tagNeutral
}

func terraformKind(body string) tagKind {
	switch w := firstWord(trimTag(body)); w {
	case "if", "for":
		return tagOpen
	case "else":
		return tagMid
	case "endif", "endfor":
		return tagClose
	}
	return tagNeutral
}

// emit writes a template construct's replacement.
func (n *neutralizer) emit(t tag) error {
	switch t.kind {
	case tagRaw:
		return n.emitRaw(t)
	case tagEscape:
		// One blank, then what it prints: three characters stay three.
		n.out = append(n.out, ' ')
		n.ns.feed(' ')
		for i := 0; i < len(t.literal); i++ {
			n.out = append(n.out, t.literal[i])
			n.ns.feed(t.literal[i])
		}
		for n.pos < t.end {
			n.advance()
		}
		return nil
	}
	startLine, startCol := n.line, n.col
	text := n.src[t.start:t.end]
	// A fragment (nginx text cut out of a YAML file) may close or branch a
	// condition opened outside it: that tag says nothing about the text.
	outside := n.fragment && (t.kind == tagMid || t.kind == tagClose) && len(n.stack) == 0
	if !outside {
		if err := n.structure(t, startLine, startCol); err != nil {
			return err
		}
	}
	switch {
	case t.kind == tagComment || t.kind == tagNeutral || outside:
		n.fill(text, "", false)
	case n.yaml:
		n.emitYAML(t, text)
	case n.ns.comment:
		n.fill(text, "", false)
	case t.kind == tagOutput:
		n.placeholders++
		if n.ns.atStatement() && n.restOfLineBlank(t.end) {
			// It renders whole directives: an unknown statement.
			n.fill(text, ";", true)
		} else {
			n.fill(text, "", true)
		}
	case n.ns.atStatement():
		marker := map[tagKind]string{tagOpen: MarkOpen, tagMid: MarkElse, tagClose: MarkEnd}[t.kind]
		if !n.fillMarker(text, marker+";") {
			return &TemplateError{n.d, startLine, startCol, shorten(text), "is too short to mark where the condition starts or ends"}
		}
	default:
		// A condition inside a value or between arguments: the value is unknown.
		n.placeholders++
		n.fill(text, "", true)
	}
	for n.pos < t.end {
		n.advance()
	}
	return nil
}

// structure checks that conditions nest and that every branch leaves the
// nginx block depth as it found it: otherwise the branches render
// different block structures that no single nginx tree can stand for.
func (n *neutralizer) structure(t tag, line, col int) error {
	text := shorten(n.src[t.start:t.end])
	switch t.kind {
	case tagOpen:
		n.conditions++
		n.stack = append(n.stack, openTag{text, line, col, n.ns.depth})
	case tagMid, tagClose:
		if len(n.stack) == 0 {
			return &TemplateError{n.d, line, col, text, "closes or branches a condition that was never opened"}
		}
		top := n.stack[len(n.stack)-1]
		if !n.yaml && n.ns.depth != top.depth {
			verb := "opens"
			diff := n.ns.depth - top.depth
			if diff < 0 {
				verb, diff = "closes", -diff
			}
			return &TemplateError{n.d, line, col, text, fmt.Sprintf("ends a branch of %s (%d:%d) that %s %d nginx block(s) it does not also close or open: the branches render different block structures; keep each { and its } inside one branch", top.text, top.line, top.col, verb, diff)}
		}
		if t.kind == tagClose {
			n.stack = n.stack[:len(n.stack)-1]
		}
	}
	return nil
}

// fill writes one character per character of text: blanks, or placeholder
// characters when opaque; newlines stay. With suffix, the last characters
// before the first newline become the suffix (";" ends a statement).
func (n *neutralizer) fill(text []byte, suffix string, opaque bool) {
	firstNL := bytes.IndexByte(text, '\n')
	if firstNL < 0 {
		firstNL = len(text)
	}
	headRunes := utf8.RuneCount(text[:firstNL])
	i := 0
	for k := 0; i < len(text); k++ {
		r, size := utf8.DecodeRune(text[i:])
		i += size
		switch {
		case r == '\n':
			n.out = append(n.out, '\n')
			n.ns.feed('\n')
		case suffix != "" && i <= firstNL && k >= headRunes-utf8.RuneCountInString(suffix):
			c := suffix[k-(headRunes-utf8.RuneCountInString(suffix))]
			n.out = append(n.out, c)
			n.ns.feed(c)
		case opaque:
			n.out = utf8.AppendRune(n.out, PlaceholderRune)
			n.ns.feed('x')
		default:
			n.out = append(n.out, ' ')
			n.ns.feed(' ')
		}
	}
}

// fillMarker blanks text and writes marker in its longest line.
func (n *neutralizer) fillMarker(text []byte, marker string) bool {
	lines := bytes.Split(text, []byte("\n"))
	best := 0
	for i, l := range lines {
		if utf8.RuneCount(l) > utf8.RuneCount(lines[best]) {
			best = i
		}
	}
	if utf8.RuneCount(lines[best]) < utf8.RuneCountInString(marker) {
		return false
	}
	for i, l := range lines {
		if i > 0 {
			n.out = append(n.out, '\n')
			n.ns.feed('\n')
		}
		k := 0
		if i == best {
			n.out = append(n.out, marker...)
			for j := 0; j < len(marker); j++ {
				n.ns.feed(marker[j])
			}
			k = utf8.RuneCountInString(marker)
		}
		for width := utf8.RuneCount(l); k < width; k++ {
			n.out = append(n.out, ' ')
			n.ns.feed(' ')
		}
	}
	return true
}

// emitYAML: in a YAML file only scalars may become placeholders.
func (n *neutralizer) emitYAML(t tag, text []byte) {
	standalone := n.lineBlankBefore(t.start) && n.restOfLineBlank(t.end)
	if t.kind == tagOutput && !standalone {
		n.fill(text, "", true)
		return
	}
	n.fill(text, "", false)
}

// emitRaw copies a Jinja {% raw %} block's body as nginx text.
func (n *neutralizer) emitRaw(t tag) error {
	n.fill(n.src[t.start:t.end], "", false)
	for n.pos < t.end {
		n.advance()
	}
	for n.pos < len(n.src) {
		if n.has("{%") {
			end, err := n.closeAfter(2, "%}", `"'`)
			if err != nil {
				return err
			}
			if firstWord(trimTag(string(n.src[n.pos+2:end-2]))) == "endraw" {
				n.fill(n.src[n.pos:end], "", false)
				for n.pos < end {
					n.advance()
				}
				return nil
			}
		}
		n.copyByte()
	}
	return &TemplateError{n.d, n.line, n.col, "{% raw %}", "is never closed by {% endraw %}"}
}

func (n *neutralizer) restOfLineBlank(from int) bool {
	for i := from; i < len(n.src) && n.src[i] != '\n'; i++ {
		if c := n.src[i]; c != ' ' && c != '\t' && c != '\r' {
			return false
		}
	}
	return true
}

func (n *neutralizer) lineBlankBefore(at int) bool {
	for i := at - 1; i >= 0 && n.src[i] != '\n'; i-- {
		if c := n.src[i]; c != ' ' && c != '\t' {
			return false
		}
	}
	return true
}

// nstate follows nginx's tokenizer over the text written so far, to tell
// where a template construct sits: between statements, inside a value,
// inside a quoted string or a comment.
type nstate struct {
	stmtStart bool // no token yet in the current statement
	inWord    bool
	dollar    bool // the last byte was '$': "${" continues a word
	escape    bool
	comment   bool
	quote     byte
	depth     int
}

func (s *nstate) atStatement() bool { return s.stmtStart && !s.inWord && s.quote == 0 && !s.comment }

func (s *nstate) feed(c byte) {
	dollar := s.dollar
	s.dollar = false
	switch {
	case s.comment:
		if c == '\n' {
			s.comment = false
		}
	case s.quote != 0:
		switch {
		case s.escape:
			s.escape = false
		case c == '\\':
			s.escape = true
		case c == s.quote:
			s.quote = 0
			s.inWord = true
		}
	case s.escape:
		s.escape = false
	case c == ' ' || c == '\t' || c == '\r' || c == '\n':
		s.inWord = false
	case c == ';':
		s.stmtStart, s.inWord = true, false
	case c == '{' && (!s.inWord || !dollar):
		s.depth++
		s.stmtStart, s.inWord = true, false
	case c == '}' && !s.inWord:
		s.depth--
		s.stmtStart = true
	case c == '#' && !s.inWord:
		s.comment = true
	case (c == '"' || c == '\'') && !s.inWord:
		s.quote = c
		s.stmtStart = false
	default:
		if c == '\\' {
			s.escape = true
		}
		s.dollar = c == '$'
		s.inWord, s.stmtStart = true, false
	}
}
