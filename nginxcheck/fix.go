package nginxcheck

import (
	"bytes"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/wscheck/wscheck/nginxcheck/load"
	"github.com/wscheck/wscheck/repo"
	"github.com/wscheck/wscheck/report"
)

// Repairs are minimal text edits at the statements the loader located
// (load.Node.Start/End/Open): a new directive gets a line of its own with
// its neighbour's indentation, a wrong value is replaced token for token,
// and nothing else of the file is rewritten.

// sources reads the files repairs edit, once per run, and refuses the
// ones a repair must not touch.
type sources struct {
	a     *analysis
	files map[string][]byte
}

func (s *sources) read(name string) ([]byte, string) {
	a := s.a
	_, dump := a.src.(*load.Dump)
	switch {
	case dump:
		return nil, "read from nginx -T output, which is no file to edit"
	case strings.HasPrefix(name, "(stock "):
		return nil, "the list lives in nginx's stock " + name + ", not in the repository"
	case repo.SourceName(name) != name:
		return nil, "an nginx string inside " + repo.SourceName(name) + ": repair the YAML by hand"
	}
	if d, ok := a.dialectOf(name); ok {
		return nil, fmt.Sprintf("%s is a %s template: its placeholders decide the text, so repair it by hand", name, d)
	}
	if b, ok := s.files[name]; ok {
		return b, ""
	}
	b, err := a.src.ReadFile(name)
	if err != nil {
		return nil, "reading " + name + ": " + repo.Reason(err)
	}
	if load.IsTemplate(string(b)) { // read as is, without neutralization (--tree)
		return nil, name + " holds template syntax: its placeholders decide the text, so repair it by hand"
	}
	s.files[name] = b
	return b, ""
}

// repair builds one finding's edits; the first refusal wins.
type repair struct {
	p    *pass
	fix  report.Fix
	why  string
	note string
	// snippets are included files the repair edits, each included once
	// in this tree; finish refuses the repair if another tree includes one.
	snippets []string
}

func (r *repair) refuse(why string) {
	if r.why == "" {
		r.why = why
	}
}

// src returns the text of n's file, checked against n: a node whose
// offsets do not frame its name means the file is not what was parsed.
func (r *repair) src(n *load.Node) []byte {
	if r.why != "" {
		return nil
	}
	b, why := r.p.srcs.read(n.File.Path)
	if why != "" {
		r.refuse(why)
		return nil
	}
	if n.End <= n.Start || int(n.End) > len(b) || !bytes.HasPrefix(b[n.Start:], []byte(n.Name)) {
		r.refuse(fmt.Sprintf("%s changed since it was read", n.File.Path))
		return nil
	}
	return b
}

func (r *repair) edit(file string, start, end int, text string) {
	r.fix.Edits = append(r.fix.Edits, report.Edit{File: file, Start: start, End: end, New: text})
}

// lineStart is the offset of the first byte of the line holding off.
func lineStart(b []byte, off int) int { return bytes.LastIndexByte(b[:off], '\n') + 1 }

// indent is the whitespace before n on its line, and whether only
// whitespace precedes it (a directive on a line of its own).
func indent(b []byte, n *load.Node) (string, bool) {
	pre := b[lineStart(b, int(n.Start)):n.Start]
	if len(bytes.TrimLeft(pre, " \t")) != 0 {
		return "", false
	}
	return string(pre), true
}

// unit is one step of indentation in a file: the first indented line's
// leading whitespace, or four spaces.
func unit(b []byte) string {
	// Line by line without splitting the file: a repair in a 47 MB config
	// must not cost a slice of its 1.6M lines.
	for len(b) > 0 {
		line := b
		if i := bytes.IndexByte(b, '\n'); i >= 0 {
			line, b = b[:i], b[i+1:]
		} else {
			b = nil
		}
		if ws := line[:len(line)-len(bytes.TrimLeft(line, " \t"))]; len(ws) > 0 && len(ws) < len(line) {
			return string(ws)
		}
	}
	return "    "
}

// lines renders directives for a place with the given indentation; a
// line starting with "\t" is indented one step more (a map's entries).
func lines(ind, step string, text []string) string {
	var out strings.Builder
	for _, l := range text {
		if l == "" {
			out.WriteString("\n")
			continue
		}
		extra := ""
		for strings.HasPrefix(l, "\t") {
			l, extra = l[1:], extra+step
		}
		out.WriteString(ind + extra + l + "\n")
	}
	return out.String()
}

// inline renders directives on one line, for a minified config.
func inline(text []string) string {
	var parts []string
	for _, l := range text {
		if l = strings.TrimLeft(l, "\t"); l != "" {
			parts = append(parts, l)
		}
	}
	return strings.Join(parts, " ")
}

// insertBefore puts directives in front of n: on lines of their own when n
// starts its line, else on n's line.
func (r *repair) insertBefore(n *load.Node, text ...string) {
	b := r.src(n)
	if b == nil {
		return
	}
	if ind, own := indent(b, n); own {
		r.edit(n.File.Path, lineStart(b, int(n.Start)), lineStart(b, int(n.Start)), lines(ind, unit(b), text))
		return
	}
	r.edit(n.File.Path, int(n.Start), int(n.Start), inline(text)+" ")
}

// insertAfter puts directives after n: on the lines after n's when only a
// comment follows it there, else on n's line.
func (r *repair) insertAfter(n *load.Node, text ...string) {
	b := r.src(n)
	if b == nil {
		return
	}
	rest := b[n.End:]
	eol := bytes.IndexByte(rest, '\n')
	tail := rest
	if eol >= 0 {
		tail = rest[:eol]
	}
	trimmed := bytes.TrimSpace(tail)
	ind, own := indent(b, n)
	if !own || (len(trimmed) > 0 && trimmed[0] != '#') {
		r.edit(n.File.Path, int(n.End), int(n.End), " "+inline(text))
		return
	}
	if eol < 0 {
		r.edit(n.File.Path, len(b), len(b), "\n"+strings.TrimSuffix(lines(ind, unit(b), text), "\n"))
		return
	}
	at := int(n.End) + eol + 1
	r.edit(n.File.Path, at, at, lines(ind, unit(b), text))
}

// argSpans finds the byte ranges of n's arguments as written (quotes
// included), checked against what the loader read.
func argSpans(b []byte, n *load.Node) ([][2]int, bool) {
	i := int(n.Start) + len(n.Name)
	end := int(n.End)
	var out [][2]int
	for i < end {
		c := b[i]
		switch c {
		case ' ', '\t', '\r', '\n':
			i++
			continue
		case ';', '{':
			return out, len(out) == len(n.Args)
		case '#':
			for i < end && b[i] != '\n' {
				i++
			}
			continue
		}
		start := i
		if c == '"' || c == '\'' {
			i++
			for i < end && b[i] != c {
				if b[i] == '\\' {
					i++
				}
				i++
			}
			i++
		} else {
			for i < end && !strings.ContainsRune(" \t\r\n;{", rune(b[i])) {
				if b[i] == '\\' {
					i++
				}
				i++
			}
		}
		out = append(out, [2]int{start, min(i, end)})
	}
	return out, false
}

// replaceArg replaces n's i-th argument with text (written as is).
func (r *repair) replaceArg(n *load.Node, i int, text string) {
	b := r.src(n)
	if b == nil {
		return
	}
	spans, ok := argSpans(b, n)
	if !ok || i >= len(spans) {
		r.refuse(fmt.Sprintf("the arguments of %q at %s:%d could not be located in the text", n.Name, n.File.Path, n.Line))
		return
	}
	r.edit(n.File.Path, spans[i][0], spans[i][1], text)
}

// text is the source of a directive as written, for copying it.
func (r *repair) text(n *load.Node) string {
	b := r.src(n)
	if b == nil {
		return ""
	}
	return string(b[n.Start:n.End])
}

// fixLast attaches the repair build makes to the finding reported last.
func (p *pass) fixLast(message string, build func(r *repair)) {
	if len(*p.findings) == 0 || p.srcs == nil { // not asked for (Options.Repairs), or explain
		return
	}
	r := &repair{p: p, fix: report.Fix{Message: message}}
	build(r)
	f := &(*p.findings)[len(*p.findings)-1]
	if r.why == "" && len(r.fix.Edits) == 0 {
		r.why = "no edit found for it"
	}
	if r.why != "" {
		f.NoFix = r.why
		return
	}
	r.fix.Note = r.note
	f.Fix = &r.fix
	if len(r.snippets) > 0 {
		p.snippetFixes[f.Fix] = r.snippets
	}
}

// anchor is where a header entry's neighbours go: the entry itself when
// it lives in the location's file or in a snippet included only once in
// this tree (the snippet is where the list lives), else the include
// directive at the location's level that brings it.
func (r *repair) anchor(h header) *load.Node {
	if h.Node == h.Site {
		return h.Node
	}
	if r.p.m.inclusions(h.Node.File) == 1 {
		if !slices.Contains(r.snippets, h.Node.File.Path) {
			r.snippets = append(r.snippets, h.Node.File.Path)
		}
		return h.Node
	}
	return h.Site
}

// inclusions counts the include directives (through every include path)
// that bring f into the tree.
func (m *model) inclusions(f *load.File) int {
	if m.included == nil {
		m.included = map[*load.File]int{}
		load.Walk(m.tree.Root.Nodes, func(n *load.Node) bool {
			if n.Include != nil {
				for _, g := range n.Include.Files {
					m.included[g]++
				}
			}
			return true
		})
	}
	return m.included[f]
}

// addHeader adds "proxy_set_header NAME VALUE;" to the list ws uses, next
// to its Upgrade/Connection neighbours. A list inherited from an outer
// level is copied into the location first, so no other location changes.
func (r *repair) addHeader(ws *wsLocation, name, value string) {
	entry := "proxy_set_header " + name + " " + value + ";"
	hs := ws.headers
	if hs.from == ws.level && len(hs.list) > 0 {
		before, after := "", ""
		switch strings.ToLower(name) {
		case "upgrade":
			before = "connection"
		case "connection":
			after = "upgrade"
		case "host":
			r.insertBefore(r.anchor(hs.list[0]), entry)
			return
		}
		for _, h := range hs.list {
			if h.name == before {
				r.insertBefore(r.anchor(h), entry)
				return
			}
		}
		last := hs.list[len(hs.list)-1]
		for _, h := range hs.list {
			if h.name == after {
				last = h
			}
		}
		r.insertAfter(r.anchor(last), entry)
		return
	}
	if ws.node == nil || ws.node.Name != "location" || !ws.node.Block {
		r.refuse("the location is the whole file (a snippet of bare directives): add the header where it is included")
		return
	}
	var copied []string
	if hs.from != nil {
		for _, h := range hs.list {
			copied = append(copied, r.text(h.Node))
		}
	}
	// The copy is an edit of its own: two repairs of one location copy
	// the same list, and identical edits are made once.
	if len(copied) > 0 {
		r.insertInLocation(ws, copied...)
	}
	r.insertInLocation(ws, entry)
}

// insertInLocation adds directives to a location block: after its own
// proxy_http_version or proxy_pass (where proxy settings are read), else
// at the top.
func (r *repair) insertInLocation(ws *wsLocation, text ...string) {
	n := ws.node
	if !n.Block {
		r.refuse("the location is the whole file (a snippet of bare directives): add the directive where it is included")
		return
	}
	var after *load.Node
	for _, c := range n.Children {
		if c.Name == "proxy_http_version" || (c.Name == "proxy_pass" && after == nil) {
			after = c
		}
	}
	switch {
	case after != nil:
		r.insertAfter(after, text...)
	case len(n.Children) > 0:
		r.insertBefore(n.Children[0], text...)
	default:
		r.refuse("the location block is empty")
	}
}

// connectionValue is what a repaired Connection entry sends: a map on
// $http_upgrade that yields upgrade in a handshake, the standard map
// added to http {} when the config is complete and has none, or in a
// fragment the constant "upgrade" (adding a map there could clash with
// one the unseen nginx.conf defines, and nginx refuses a duplicate).
func (r *repair) connectionValue() string {
	m := r.p.m
	for _, name := range slices.Sorted(maps.Keys(m.maps)) {
		md := m.maps[name]
		if !strings.EqualFold(md.source, "$http_upgrade") || md.unknown {
			continue
		}
		ok := true
		for _, hs := range handshakes {
			v, known := m.evalFor("$"+name, hs)
			ok = ok && known && asksUpgrade(v)
		}
		if ok {
			return "$" + name
		}
	}
	const name = "connection_upgrade"
	why := ""
	switch {
	case m.defined[name] || m.maps[name] != nil:
		why = "$" + name + " is defined but does not yield upgrade in a handshake"
	case len(m.tree.Unresolved) > 0:
		n := m.tree.Unresolved[0]
		why = fmt.Sprintf("no map on $http_upgrade is in view, and include %q (%s:%d) is not read: it may define one, and a second would make nginx refuse the config", n.Arg(0), n.File.Path, n.Line)
	case !r.p.complete:
		why = "no map on $http_upgrade is in view in this fragment: the nginx.conf that includes it may define one, and a second would make nginx refuse the config"
	}
	if why == "" {
		if http := m.httpBlock(); http != nil && len(http.Children) > 0 {
			r.insertMap(http, name)
			return "$" + name
		}
		why = "the http {} block has no directive to place a map next to"
	}
	r.note = why + `: Connection is the constant "upgrade", which plain requests to this location get too; ` + recommendedMap(r.p.opts.NginxVersion, name) + ` in http {} with "Connection $` + name + `" avoids that`
	return `"upgrade"`
}

// httpBlock is the http {} of a complete config.
func (m *model) httpBlock() *load.Node {
	for _, s := range load.Expand(m.tree.Root.Nodes) {
		if s.Node.Name == "http" && s.Node.Block {
			return s.Node
		}
	}
	return nil
}

// insertMap adds the Connection map at the top of http {}, in the variant
// that suits --nginx-version.
func (r *repair) insertMap(http *load.Node, name string) {
	empty := "close"
	if r.p.opts.NginxVersion.AtLeast(http11Default) {
		empty = "''"
	}
	r.insertBefore(http.Children[0], "map $http_upgrade $"+name+" {", "\tdefault upgrade;", "\t''      "+empty+";", "}", "")
}
