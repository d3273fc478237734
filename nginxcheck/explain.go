package nginxcheck

import (
	"cmp"
	"fmt"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"github.com/wscheck/wscheck/nginxcheck/load"
	"github.com/wscheck/wscheck/repo"
	"github.com/wscheck/wscheck/report"
)

// The effective configuration of a location, made visible: what the
// model computes for the rules (inheritance, defaults, maps, hand-offs),
// as data that explain_print.go writes as annotated nginx text or JSON.

// ViewOptions steer ExplainAt and Inventory.
type ViewOptions struct {
	Options
	// Tree, when set, judges files inside the config tree under this
	// directory (as `wscheck nginx --tree`): a snippet is seen with the
	// server and http levels its includer puts around it.
	Tree string
	// Base: paths below it are shown relative to it (the working directory).
	Base string
}

// View is what explain and --locations print.
type View struct {
	Locations []*LocationView    `json:"locations"`
	Errors    []report.FileError `json:"errors"`
}

// LocationView is one location's effective proxy configuration.
type LocationView struct {
	File   string `json:"file"`
	Line   int    `json:"line"`
	Column int    `json:"column"`
	// Root is the config the location was reached from (its tree's root).
	Root string `json:"root"`
	// Location is the location's argument as written ("~* ^/socket\.io/").
	Location string `json:"location"`
	// Match says which requests the location receives.
	Match string `json:"match"`
	// Within lists the enclosing blocks, outermost first.
	Within    []Block `json:"within"`
	Proxies   bool    `json:"proxies"`
	WebSocket bool    `json:"websocket"`
	// Reason says why it is or is not judged a WebSocket location.
	Reason      string     `json:"reason"`
	HandsTo     []Ref      `json:"hands_to,omitempty"`     // named locations its requests are handed to
	ReachedFrom []Ref      `json:"reached_from,omitempty"` // locations that hand requests to this named one
	ProxyPass   *Setting   `json:"proxy_pass,omitempty"`
	IfProxyPass []Setting  `json:"if_proxy_pass,omitempty"` // proxy_pass inside if blocks
	HTTPVersion Setting    `json:"proxy_http_version"`
	ReadTimeout Setting    `json:"proxy_read_timeout"`
	SendTimeout Setting    `json:"proxy_send_timeout"`
	Headers     HeaderList `json:"headers"`
	Maps        []MapView  `json:"maps,omitempty"`
	Variables   []Variable `json:"variables,omitempty"`
	Summary     string     `json:"summary"`
	// Findings are the findings about this location (after suppression).
	Findings []report.Finding `json:"findings"`
}

// Block is an enclosing http, server or location block.
type Block struct {
	Kind string `json:"kind"`           // http, server, location
	Name string `json:"name,omitempty"` // server_name, or the location argument
	File string `json:"file,omitempty"` // empty for a level a fragment implies
	Line int    `json:"line,omitempty"`
}

// Ref points at a location by name.
type Ref struct {
	Name string `json:"name"`
	File string `json:"file,omitempty"`
	Line int    `json:"line,omitempty"`
}

// Origin is where a value comes from.
type Origin struct {
	File string `json:"file,omitempty"`
	Line int    `json:"line,omitempty"`
	// Level is the block that sets it: "this location", "enclosing
	// location", "server", "http".
	Level string `json:"level,omitempty"`
	// Via is the include directive that brought the line to its level.
	Via     *Ref `json:"via,omitempty"`
	Default bool `json:"default,omitempty"` // nginx's built-in value
	// Unknown: an unresolved include or a template decides it; Cause says
	// which, at Cause's position.
	Unknown bool   `json:"unknown,omitempty"`
	Cause   *Cause `json:"cause,omitempty"`
}

// Cause is what makes a value unknown.
type Cause struct {
	What string `json:"what"` // e.g. `include "/etc/nginx/ws.conf" names no readable file`
	File string `json:"file,omitempty"`
	Line int    `json:"line,omitempty"`
	// Directive is the directive as written there, for the text form.
	Directive string `json:"directive,omitempty"`
}

// Setting is one inherited scalar directive.
type Setting struct {
	Value string `json:"value,omitempty"`
	// Directive is the whole directive, as a config line without ';' (for
	// if blocks: the if with its proxy_pass).
	Directive string `json:"directive,omitempty"`
	Note      string `json:"note,omitempty"`
	Origin
}

// HeaderList is the proxy_set_header list nginx uses for the location,
// merged with nginx's defaults.
type HeaderList struct {
	// From says whose list it is: "this location", "server", "http", or
	// "nginx defaults" when no level sets one.
	From string `json:"from"`
	Origin
	Entries []Header `json:"entries"`
	// Replaced is the outer list this level's own list replaces: none of
	// it is sent (nginx inherits proxy_set_header all or nothing).
	Replaced     []Header `json:"replaced,omitempty"`
	ReplacedFrom string   `json:"replaced_from,omitempty"`
}

// Header is one proxy_set_header entry, or a default nginx adds.
type Header struct {
	Name  string `json:"name"`
	Value string `json:"value"` // as written
	// Sent: nginx sends it in a browser's WebSocket handshake.
	Sent bool `json:"sent"`
	// Evaluated is the value the backend receives: variables of the
	// handshake, maps and $proxy_host substituted; variables of the request
	// wscheck cannot know ($host, $remote_addr) are left as written.
	Evaluated string `json:"evaluated,omitempty"`
	// Complete: Evaluated has no variable left.
	Complete bool `json:"complete"`
	// Firefox is the evaluated value for Firefox's handshake when it
	// differs (Connection: keep-alive, Upgrade).
	Firefox string `json:"firefox,omitempty"`
	// Dropped says why nginx does not send it.
	Dropped string `json:"dropped,omitempty"`
	Origin
}

// MapView is a map the Upgrade/Connection/Host values read.
type MapView struct {
	Variable string     `json:"variable"`
	Source   string     `json:"source"`
	File     string     `json:"file"`
	Line     int        `json:"line"`
	Entries  []MapEntry `json:"entries"`
	Unknown  bool       `json:"unknown,omitempty"`
}

// MapEntry is one map line; Key "default" for the default.
type MapEntry struct {
	Key   string `json:"key"`
	Value string `json:"value"`
	Line  int    `json:"line"`
}

// Variable is what one variable in Upgrade, Connection or Host evaluates
// to in a browser's WebSocket handshake.
type Variable struct {
	Name    string `json:"name"` // with '$'
	Headers string `json:"headers"`
	Means   string `json:"means"`
	Known   bool   `json:"known"`
	Value   string `json:"value,omitempty"`   // Chrome's handshake
	Firefox string `json:"firefox,omitempty"` // when it differs
	// Steps follow maps: how the value was reached.
	Steps []string `json:"steps,omitempty"`
}

// Positions on a location are FILE:LINE, the location line or any line
// inside its block.

// ExplainAt returns the views of the locations at file:line: the
// innermost location whose block holds the line, or every location a
// snippet holding the line is included into. A file reached through
// several roots gives one view per root.
func ExplainAt(file string, line int, vo ViewOptions) View {
	roots := []string{file}
	if vo.Tree != "" {
		roots = append(roots, vo.Tree)
	}
	return explainAt(Disk(roots, vo.Options), file, line, vo)
}

func explainAt(fsys repo.FS, file string, line int, vo ViewOptions) View {
	ex := newExplainer(fsys, vo)
	if vo.Tree != "" {
		ex.a.analyzeDir(fsys, filepath.Clean(vo.Tree))
	}
	want := ex.key(filepath.Clean(file))
	loaded := false
	for f := range ex.a.files {
		loaded = loaded || ex.key(f.Path) == want
	}
	if !loaded {
		if _, err := fsys.Stat(file); err != nil {
			return View{Locations: []*LocationView{}, Errors: []report.FileError{{File: relativeTo(vo.Base, file), Message: repo.Reason(err)}}}
		}
		ex.a.maps = nil
		ex.a.within(filepath.Dir(filepath.Clean(file)))
		if isYAML(file) {
			for _, name := range ex.a.addYAML(filepath.Clean(file)) {
				ex.a.addRoot(name)
			}
		} else {
			ex.a.addRoot(filepath.Clean(file))
		}
	}
	res := ex.a.finish()
	var picked []explained
	for _, t := range ex.trees {
		if loc := ex.locationAt(t.m, want, line); loc != nil {
			picked = append(picked, explained{t, loc})
			continue
		}
		for _, loc := range t.m.locations {
			if ex.splicedAt(loc, want, line) {
				picked = append(picked, explained{t, loc})
			}
		}
	}
	v := View{Locations: []*LocationView{}, Errors: relErrors(res.Errors, vo.Base)}
	if len(picked) == 0 && len(res.Errors) == 0 {
		v.Errors = append(v.Errors, report.FileError{File: relativeTo(vo.Base, file), Line: line,
			Message: "no location holds this line" + ex.locationLines(want)})
	}
	for _, p := range picked {
		v.Locations = append(v.Locations, ex.view(p.t, p.loc, res.Findings))
	}
	return v
}

// Inventory returns the views of every proxying location under paths
// (files or directories, as `wscheck nginx` reads them).
func Inventory(paths []string, vo ViewOptions) View {
	return inventory(Disk(paths, vo.Options), paths, vo)
}

func inventory(fsys repo.FS, paths []string, vo ViewOptions) View {
	ex := newExplainer(fsys, vo)
	for _, p := range paths {
		p = filepath.Clean(p)
		st, err := fsys.Stat(p)
		switch {
		case err != nil:
			ex.a.errors = append(ex.a.errors, report.FileError{File: p, Message: repo.Reason(err)})
		case st.IsDir():
			ex.a.analyzeDir(fsys, p)
		case isYAML(p):
			ex.a.maps = nil
			ex.a.within(filepath.Dir(p))
			for _, name := range ex.a.addYAML(p) {
				ex.a.addRoot(name)
			}
		default:
			ex.a.maps = nil
			ex.a.within(filepath.Dir(p))
			ex.a.addRoot(p)
		}
	}
	res := ex.a.finish()
	v := View{Locations: []*LocationView{}, Errors: relErrors(res.Errors, vo.Base)}
	for _, t := range ex.trees {
		for _, loc := range t.m.locations {
			if loc.proxies {
				v.Locations = append(v.Locations, ex.view(t, loc, res.Findings))
			}
		}
	}
	return v
}

type explainer struct {
	vo    ViewOptions
	a     *analysis
	trees []*explainedTree
	// Set by index and key: findings by rule and position, the tree
	// rules' findings, and file keys.
	byKey map[findingKey][]int
	tree  []int
	keys  map[string]string
}

type explainedTree struct {
	m        *model
	complete bool
	ws       map[*location]*wsLocation
}

type explained struct {
	t   *explainedTree
	loc *location
}

// newExplainer reads through fsys as AnalyzeFS does: templates
// neutralized, YAML nginx strings as virtual files.
func newExplainer(fsys repo.FS, vo ViewOptions) *explainer {
	ex := &explainer{vo: vo, a: newAnalysis(repo.NewTemplateFS(fsys), vo.Options)}
	ex.a.onModel = func(m *model, complete bool) {
		t := &explainedTree{m: m, complete: complete, ws: map[*location]*wsLocation{}}
		for _, w := range m.websocketLocations() {
			t.ws[w.location] = w
		}
		ex.trees = append(ex.trees, t)
	}
	return ex
}

// locationAt is the innermost location of the file whose block holds line.
func (ex *explainer) locationAt(m *model, file string, line int) *location {
	var best *location
	for _, loc := range m.locations {
		n := loc.node
		if n.File == nil || ex.key(n.File.Path) != file {
			continue
		}
		end := int(n.EndLine)
		if loc.level.node == nil { // a snippet of bare directives: the whole file
			end = int(^uint(0) >> 1)
		}
		if line >= n.Line && line <= end && (best == nil || n.Line >= best.node.Line) {
			best = loc
		}
	}
	return best
}

// splicedAt reports whether a directive at file:line reaches the
// location through an include: spliced into its level, or an entry of the
// header list it inherits (a server-level snippet).
func (ex *explainer) splicedAt(loc *location, file string, line int) bool {
	at := func(n *load.Node) bool {
		return n.File != nil && ex.key(n.File.Path) == file && line >= n.Line && line <= max(n.Line, int(n.EndLine))
	}
	for _, s := range loc.level.dirs {
		if s.Node != s.Site && at(s.Node) {
			return true
		}
	}
	if !loc.proxies {
		return false
	}
	for _, h := range effectiveHeaders(loc.level).list {
		if h.Node != h.Site && at(h.Node) {
			return true
		}
	}
	return false
}

func (ex *explainer) locationLines(file string) string {
	var lines []int
	for _, t := range ex.trees {
		for _, loc := range t.m.locations {
			if loc.node.File != nil && ex.key(loc.node.File.Path) == file {
				lines = append(lines, loc.node.Line)
			}
		}
	}
	slices.Sort(lines)
	lines = slices.Compact(lines)
	if len(lines) == 0 {
		return " (the file has no location block, and no location includes it)"
	}
	return " (locations start at lines " + strings.Trim(strings.Join(strings.Fields(fmt.Sprint(lines)), ", "), "[]") + ")"
}

func relErrors(errs []report.FileError, base string) []report.FileError {
	out := make([]report.FileError, 0, len(errs))
	for _, e := range errs {
		e.File = relativeTo(base, e.File)
		out = append(out, e)
	}
	return out
}

// relativeTo shows paths below base relative to it, as report.Normalize.
func relativeTo(base, file string) string {
	if base == "" || file == "" || file == "-" || !filepath.IsAbs(file) {
		return file
	}
	rel, err := filepath.Rel(base, file)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return file
	}
	return rel
}

// rel shows a file's path; an nginx string of a YAML file is shown as
// the YAML file.
func (ex *explainer) rel(f *load.File) string {
	if f == nil {
		return ""
	}
	return relativeTo(ex.vo.Base, repo.SourceName(f.Path))
}

// view builds one location's view.
func (ex *explainer) view(t *explainedTree, loc *location, findings []report.Finding) *LocationView {
	m := t.m
	n := loc.node
	v := &LocationView{
		File: ex.rel(n.File), Line: n.Line, Column: int(n.Col), Root: ex.rel(m.tree.Root),
		Location: shown(loc.name()), Match: shown(matchOf(loc)), Proxies: loc.proxies,
	}
	for l := loc.level.parent; l != nil; l = l.parent {
		b := Block{Kind: l.kind}
		if l.node != nil {
			b.File, b.Line = ex.rel(l.node.File), l.node.Line
			switch l.kind {
			case "location":
				b.Name = shown(strings.Join(l.node.Args, " "))
			case "server":
				if sn := l.own("server_name"); len(sn) > 0 {
					b.Name = shown(strings.Join(sn[0].Node.Args, " "))
				}
			}
		}
		v.Within = append([]Block{b}, v.Within...)
	}
	ws := t.ws[loc]
	hs := effectiveHeaders(loc.level)
	if ws != nil {
		v.WebSocket, v.Reason = true, shown(sourceNames(ws.reason))
		hs = ws.headers
	} else {
		v.Reason = ex.notWebSocket(t, loc, hs)
	}
	for _, name := range loc.via {
		r := Ref{Name: name}
		if target := m.named[name]; target != nil {
			r.File, r.Line = ex.rel(target.node.File), target.node.Line
		}
		v.HandsTo = append(v.HandsTo, r)
	}
	if strings.HasPrefix(loc.path(), "@") {
		for _, from := range m.locations {
			if slices.Contains(from.via, loc.path()) {
				v.ReachedFrom = append(v.ReachedFrom, Ref{Name: shown(from.name()), File: ex.rel(from.node.File), Line: from.node.Line})
			}
		}
	}
	ex.proxyPass(v, loc)
	version := ex.vo.NginxVersion
	defVersion, defNote := "1.0", "nginx's default before 1.29.7 (1.1 from 1.29.7)"
	if version.AtLeast(http11Default) {
		defVersion, defNote = "1.1", "nginx's default from 1.29.7"
	}
	v.HTTPVersion = ex.setting(loc, "proxy_http_version", defVersion, defNote)
	v.ReadTimeout = ex.setting(loc, "proxy_read_timeout", "60s", "nginx's default")
	v.SendTimeout = ex.setting(loc, "proxy_send_timeout", "60s", "nginx's default")
	v.Headers = ex.headers(m, loc, hs, v.ProxyPass)
	ex.variables(m, v, hs)
	v.Findings = ex.findingsOf(t, loc, ws, findings, causes(v))
	v.Summary = summary(v)
	return v
}

// matchOf says in words which requests reach a location.
func matchOf(loc *location) string {
	args := loc.node.Args
	if loc.level.node == nil {
		return "a snippet of bare directives: the location that includes it decides"
	}
	p := loc.path()
	mod := ""
	if len(args) > 1 {
		mod = args[0]
	}
	var s string
	switch {
	case strings.HasPrefix(p, "@"):
		return "no request path: a named location, reached only through try_files, error_page and the like"
	case mod == "=":
		s = fmt.Sprintf("exactly the path %q", p)
	case mod == "^~":
		s = fmt.Sprintf("paths starting with %q (regular expression locations are then not checked)", p)
	case mod == "~":
		s = fmt.Sprintf("paths matching the regular expression %q (case-sensitive)", p)
	case mod == "~*":
		s = fmt.Sprintf("paths matching the regular expression %q (case-insensitive)", p)
	default:
		s = fmt.Sprintf("paths starting with %q", p)
	}
	if parent := loc.level.parent; parent != nil && parent.kind == "location" && parent.node != nil {
		s += ", within location " + strings.Join(parent.node.Args, " ")
	}
	return s
}

// notWebSocket says why a location is not judged a WebSocket location.
func (ex *explainer) notWebSocket(t *explainedTree, loc *location, hs headerSet) string {
	if !loc.proxies && len(loc.via) > 0 {
		return "it does not proxy itself (no proxy_pass): the named location it hands requests to is judged instead"
	}
	if !loc.proxies {
		return "it does not proxy (no proxy_pass)"
	}
	if hs.unknown {
		return "its proxy_set_header list is unknown (see headers), and its path is no well-known WebSocket endpoint"
	}
	if _, ok := isWellKnownEndpoint(loc.path()); ok && keepAliveOnly(hs) {
		return "it sets a Connection header without Upgrade (keep-alive or Server-Sent Events), although its path looks like a WebSocket endpoint"
	}
	return "it sets no Upgrade header and no Connection asking for an upgrade, its path is no well-known WebSocket endpoint, and no WebSocket location hands requests to it"
}

// origin says where a directive seen at level l comes from, for the
// location at level loc.
func (ex *explainer) origin(loc, l *level, s load.Spliced) Origin {
	o := Origin{File: ex.rel(s.Node.File), Line: s.Node.Line}
	if l != nil {
		o.Level = strings.TrimPrefix(levelName(l, loc), "the ")
	}
	if s.Site != nil && s.Site != s.Node {
		o.Via = &Ref{Name: "include " + s.Site.Arg(0), File: ex.rel(s.Site.File), Line: s.Site.Line}
	}
	return o
}

// cause finds what makes a directive unknown at a level or above: an
// unresolved include, a template placeholder or condition.
func (ex *explainer) cause(l *level, name string) *Cause {
	for ; l != nil; l = l.parent {
		for _, s := range l.dirs {
			n := s.Node
			switch {
			case n.Name == name && slices.ContainsFunc(n.Args, load.IsPlaceholder):
				return &Cause{What: "a template expression decides its value", File: ex.rel(n.File), Line: n.Line}
			case n.Name == name && l.conditional[name] && underCondition(n):
				return &Cause{What: "it is set only under a template condition", File: ex.rel(n.File), Line: n.Line}
			case name == "proxy_set_header" && n.Name == name && (load.IsPlaceholder(n.Arg(0)) || load.IsPlaceholder(n.Arg(1))):
				return &Cause{What: "a template expression decides a header", File: ex.rel(n.File), Line: n.Line}
			}
		}
		if len(l.own(name)) > 0 && !l.unknown {
			return nil
		}
		for _, s := range l.dirs {
			n := s.Node
			switch {
			case n.Include != nil && n.Include.Unknown:
				why := ""
				if n.Include.Reason != "" {
					why = " (" + n.Include.Reason + ")"
				}
				return &Cause{What: shown(fmt.Sprintf("include %q names no readable file%s: what it sets is unknown", n.Arg(0), why)),
					File: ex.rel(n.File), Line: n.Line, Directive: shown("include " + strings.Join(n.Args, " "))}
			case load.IsPlaceholder(n.Name):
				return &Cause{What: "a template expression renders directives here", File: ex.rel(n.File), Line: n.Line}
			}
		}
		if len(l.own(name)) > 0 {
			return nil
		}
	}
	return nil
}

func (ex *explainer) proxyPass(v *LocationView, loc *location) {
	for _, s := range loc.level.own("proxy_pass") {
		v.ProxyPass = &Setting{Value: shown(s.Node.Arg(0)), Directive: shown("proxy_pass " + strings.Join(s.Node.Args, " ")), Origin: ex.origin(loc.level, loc.level, s)}
		if slices.ContainsFunc(s.Node.Args, load.IsPlaceholder) {
			v.ProxyPass.Unknown = true
			v.ProxyPass.Cause = &Cause{What: "a template expression decides the target", File: ex.rel(s.Node.File), Line: s.Node.Line}
		}
	}
	for _, s := range loc.level.own("if") {
		for _, c := range load.Expand(s.Node.Children) {
			if c.Node.Name == "proxy_pass" {
				v.IfProxyPass = append(v.IfProxyPass, Setting{
					Value:     shown(c.Node.Arg(0)),
					Directive: shown(fmt.Sprintf("if %s { proxy_pass %s; }", strings.Join(s.Node.Args, " "), strings.Join(c.Node.Args, " "))),
					Note:      "requests through this if use the location's headers",
					Origin:    ex.origin(loc.level, loc.level, c),
				})
			}
		}
	}
}

func (ex *explainer) setting(loc *location, name, def, defNote string) Setting {
	s := effective(loc.level, name)
	switch {
	case s.unknown:
		return Setting{Origin: Origin{Unknown: true, Cause: ex.cause(loc.level, name)}}
	case s.node == nil:
		return Setting{Value: def, Directive: name + " " + def, Note: defNote, Origin: Origin{Default: true}}
	}
	o := ex.origin(loc.level, s.at, load.Spliced{Node: s.node, Site: s.site})
	return Setting{Value: shown(s.node.Arg(0)), Directive: shown(name + " " + strings.Join(s.node.Args, " ")), Origin: o}
}

// levelName names the level a header list belongs to, seen from loc.
func levelName(l, from *level) string {
	switch {
	case l == nil:
		return "nginx defaults"
	case l == from:
		return "this " + l.kind
	case l.kind == "location":
		return "the enclosing location"
	}
	return "the " + l.kind
}

// nginx adds its default entries (ngx_http_proxy_headers in
// ngx_http_proxy_module.c) to every list that does not name them: Host
// $proxy_host, Connection close (before 1.29.7), and Upgrade, Keep-Alive,
// TE and Expect set empty, so the client's are never forwarded. Of those
// only Upgrade matters to a handshake.
var hopByHopDropped = []string{"Upgrade"}

func (ex *explainer) headers(m *model, loc *location, hs headerSet, pp *Setting) HeaderList {
	hl := HeaderList{From: levelName(hs.from, loc.level), Entries: []Header{}}
	if hs.from != nil && hs.from.node != nil {
		hl.File, hl.Line, hl.Level = ex.rel(hs.from.node.File), hs.from.node.Line, hs.from.kind
	} else if hs.from != nil {
		hl.Level = hs.from.kind
	}
	if hs.unknown {
		hl.Unknown, hl.Cause = true, ex.cause(hs.from, "proxy_set_header")
	}
	named := map[string]bool{}
	for _, h := range hs.list {
		named[h.name] = true
		e := ex.header(m, h.Node.Arg(0), h.value, pp, ex.origin(loc.level, hs.from, h.Spliced))
		if hs.from.conditional["proxy_set_header"] && underCondition(h.Node) {
			e.Sent, e.Evaluated, e.Complete, e.Firefox, e.Dropped = false, "", false, "", ""
			e.Unknown, e.Cause = true, &Cause{What: "it exists only under a template condition", File: e.File, Line: e.Line}
		}
		hl.Entries = append(hl.Entries, e)
	}
	if !hs.unknown {
		if !named["host"] {
			hl.Entries = append(hl.Entries, ex.header(m, "Host", "$proxy_host", pp, Origin{Default: true}))
		}
		if !named["connection"] {
			if ex.vo.NginxVersion.AtLeast(http11Default) {
				hl.Entries = append(hl.Entries, Header{Name: "Connection", Dropped: "nginx 1.29.7 and later send no Connection header by default (upstream keep-alive)", Origin: Origin{Default: true}})
			} else {
				hl.Entries = append(hl.Entries, ex.header(m, "Connection", "close", pp, Origin{Default: true}))
			}
		}
		for _, name := range hopByHopDropped {
			if !named[strings.ToLower(name)] {
				hl.Entries = append(hl.Entries, Header{Name: name, Dropped: "nginx never forwards the client's " + name + " (hop-by-hop); only proxy_set_header sends one", Origin: Origin{Default: true}})
			}
		}
	}
	if hs.from != nil && hs.from.parent != nil && !hs.unknown {
		outer := effectiveHeaders(hs.from.parent)
		if outer.from != nil && !outer.unknown {
			hl.ReplacedFrom = levelName(outer.from, loc.level)
			for _, h := range outer.list {
				e := ex.header(m, h.Node.Arg(0), h.value, pp, ex.origin(loc.level, outer.from, h.Spliced))
				e.Sent, e.Evaluated, e.Complete, e.Firefox = false, "", false, ""
				e.Dropped = "not inherited: " + hl.From + " has its own proxy_set_header list"
				hl.Replaced = append(hl.Replaced, e)
			}
		}
	}
	return hl
}

// header evaluates one entry for a browser's WebSocket handshake.
func (ex *explainer) header(m *model, name, value string, pp *Setting, o Origin) Header {
	h := Header{Name: shown(name), Value: shown(value), Origin: o}
	if value == "" {
		h.Dropped = "empty value: nginx drops the entry when it loads the config"
		return h
	}
	if load.IsPlaceholder(value) || load.IsPlaceholder(name) {
		h.Unknown = true
		h.Cause = &Cause{What: "a template expression decides it", File: o.File, Line: o.Line}
		return h
	}
	chrome, complete := ex.partialEval(m, value, handshakes[0], pp)
	firefox, _ := ex.partialEval(m, value, handshakes[1], pp)
	if complete && chrome == "" {
		h.Dropped = fmt.Sprintf("%s is empty in a WebSocket handshake, and nginx sends no header with an empty value", value)
		return h
	}
	h.Sent, h.Evaluated, h.Complete = true, chrome, complete
	if firefox != chrome {
		h.Firefox = firefox
	}
	return h
}

// partialEval substitutes what wscheck knows in a handshake: the client's
// Upgrade and Connection, maps over known inputs, $proxy_host. Other
// variables stay as written; complete reports that none is left.
func (ex *explainer) partialEval(m *model, value string, hs handshake, pp *Setting) (string, bool) {
	complete := true
	out := varRef.ReplaceAllStringFunc(value, func(ref string) string {
		sub := varRef.FindStringSubmatch(ref)
		name := strings.ToLower(sub[1] + sub[2])
		if name == "proxy_host" {
			if h, ok := proxyHost(pp); ok {
				return h
			}
		}
		if v, ok := m.variableFor(name, hs, 0); ok {
			return v
		}
		complete = false
		return ref
	})
	return out, complete
}

// proxyHost is $proxy_host: the proxy_pass host, with its port unless it
// is the scheme's default (ngx_http_proxy_set_vars).
func proxyHost(pp *Setting) (string, bool) {
	if pp == nil || pp.Unknown || strings.Contains(pp.Value, "$") {
		return "", false
	}
	rest, ok := strings.CutPrefix(pp.Value, "http://")
	def := "80"
	if !ok {
		if rest, ok = strings.CutPrefix(pp.Value, "https://"); !ok {
			return "", false
		}
		def = "443"
	}
	host, _, _ := strings.Cut(rest, "/")
	if h, port, ok := strings.Cut(host, ":"); ok && port == def && !strings.HasPrefix(host, "[") {
		host = h
	}
	return host, host != ""
}

// variables explains every variable of the Upgrade, Connection and Host
// values, following maps.
func (ex *explainer) variables(m *model, v *LocationView, hs headerSet) {
	seen := map[string]bool{}
	mapsSeen := map[string]bool{}
	for _, h := range v.Headers.Entries {
		switch strings.ToLower(h.Name) {
		case "upgrade", "connection", "host":
		default:
			continue
		}
		for _, name := range variables(h.Value) {
			if seen[name] {
				continue
			}
			seen[name] = true
			v.Variables = append(v.Variables, ex.variable(m, name, h.Name, v.ProxyPass, mapsSeen, v))
		}
	}
	_ = hs
}

func (ex *explainer) variable(m *model, name, header string, pp *Setting, mapsSeen map[string]bool, v *LocationView) Variable {
	vr := Variable{Name: "$" + name, Headers: header}
	chrome, ok := m.variableFor(name, handshakes[0], 0)
	firefox, _ := m.variableFor(name, handshakes[1], 0)
	if ok {
		vr.Known, vr.Value = true, chrome
		if firefox != chrome {
			vr.Firefox = firefox
		}
	}
	switch name {
	case "http_upgrade":
		vr.Means = "the client's Upgrade header"
	case "http_connection":
		vr.Means = "the client's Connection header, every token it lists"
	case "host":
		vr.Means = "the request's host name: the client's Host without its port (else the server_name); depends on the request"
	case "http_host":
		vr.Means = "the client's Host header, port included; depends on the request"
	case "server_name":
		vr.Means = "the server's first server_name"
	case "proxy_host":
		vr.Means = "the proxy_pass host and port"
		if h, ok := proxyHost(pp); ok {
			vr.Known, vr.Value = true, h
		}
	case "is_request_port", "request_port":
		vr.Means = "the client's port when the Host has one (nginx 1.29.3 and later); depends on the request"
	}
	if md := m.maps[name]; md != nil {
		vr.Means = fmt.Sprintf("a map on %s", md.source)
		ex.addMap(m, md, name, mapsSeen, v)
		vr.Steps = ex.mapSteps(m, name, handshakes[0], 0)
	} else if vr.Means == "" {
		vr.Means = "not evaluated by wscheck: depends on the request"
		if !isBuiltin(name) && !m.defined[name] {
			vr.Means = "defined nowhere in the files read (a fragment's map may live in the main config)"
		}
	}
	return vr
}

// mapSteps says how a map yields its value, maps through maps included.
func (ex *explainer) mapSteps(m *model, name string, hs handshake, depth int) []string {
	md := m.maps[name]
	if md == nil || depth > maxEvalDepth {
		return nil
	}
	in, ok := m.eval(md.source, hs, depth+1)
	if !ok {
		return []string{fmt.Sprintf("$%s: its input %s is not known in a handshake", name, md.source)}
	}
	out, entry, ok := md.match(in)
	if !ok {
		return []string{fmt.Sprintf("$%s: the map at %s:%d cannot be evaluated (an unseen include, a template or a regular expression Go cannot compile)", name, ex.rel(md.node.File), md.node.Line)}
	}
	var steps []string
	if md.source != "" {
		for _, src := range variables(md.source) {
			steps = append(steps, ex.mapSteps(m, src, hs, depth+1)...)
		}
	}
	which := "no entry matches and the map has no default: it yields \"\""
	if entry != nil {
		k := "default"
		if entry != md.defNode {
			k = quoteWord(entry.Name)
		}
		which = fmt.Sprintf("entry %s (%s:%d) yields %q", k, ex.rel(entry.File), entry.Line, out)
	}
	steps = append(steps, fmt.Sprintf("$%s: %s is %q; %s", name, md.source, in, which))
	for _, sub := range variables(out) {
		steps = append(steps, ex.mapSteps(m, sub, hs, depth+1)...)
	}
	return steps
}

func (ex *explainer) addMap(m *model, md *mapDef, name string, seen map[string]bool, v *LocationView) {
	if seen[name] {
		return
	}
	seen[name] = true
	mv := MapView{Variable: "$" + name, Source: md.source, File: ex.rel(md.node.File), Line: md.node.Line, Unknown: md.unknown, Entries: []MapEntry{}}
	for _, e := range md.entries {
		mv.Entries = append(mv.Entries, MapEntry{Key: shown(e.key), Value: shown(e.value), Line: e.node.Line})
	}
	if md.hasDef {
		mv.Entries = append(mv.Entries, MapEntry{Key: "default", Value: shown(md.def), Line: md.defNode.Line})
	}
	slices.SortStableFunc(mv.Entries, func(a, b MapEntry) int { return cmp.Compare(a.Line, b.Line) })
	// Maps feeding this one come first, as nginx needs them defined.
	for _, src := range variables(md.source) {
		if sub := m.maps[src]; sub != nil {
			ex.addMap(m, sub, src, seen, v)
		}
	}
	v.Maps = append(v.Maps, mv)
	for _, e := range mv.Entries {
		for _, sub := range variables(e.Value) {
			if md := m.maps[sub]; md != nil {
				ex.addMap(m, md, sub, seen, v)
			}
		}
	}
}

// findingsOf returns the findings about a location: those its WebSocket
// rules produce (matched after suppression and deduplication), and tree
// findings inside its block or on a directive spliced into its level.
// causes are the positions that make some of a view's values unknown.
func causes(v *LocationView) map[string]bool {
	out := map[string]bool{}
	for _, s := range []Setting{v.HTTPVersion, v.ReadTimeout, v.SendTimeout} {
		if s.Cause != nil {
			out[at(s.Cause.File, s.Cause.Line)] = true
		}
	}
	if c := v.Headers.Cause; c != nil {
		out[at(c.File, c.Line)] = true
	}
	return out
}

// findingsOf: causes are positions (shown paths) whose tree findings, an
// unresolved include, explain an unknown value of the view.
func (ex *explainer) findingsOf(t *explainedTree, loc *location, ws *wsLocation, all []report.Finding, causes map[string]bool) []report.Finding {
	ex.index(all)
	seen := map[int]bool{}
	out := []report.Finding{}
	add := func(i int) {
		if !seen[i] {
			seen[i] = true
			f := all[i]
			f.File = relativeTo(ex.vo.Base, f.File)
			f.Message, f.Reason = sourceNames(f.Message), sourceNames(f.Reason)
			out = append(out, f)
		}
	}
	if ws != nil {
		var mine []report.Finding
		for _, r := range rules {
			if r.onLocation == nil || (r.doc.Off && !slices.Contains(ex.vo.Enable, r.doc.Name)) {
				continue
			}
			p := &pass{m: t.m, opts: ex.vo.Options, complete: t.complete, findings: &mine, rule: r}
			r.onLocation(p, ws)
		}
		for _, f := range mine {
			for _, i := range ex.byKey[findingKey{f.Rule, ex.key(f.File), f.Line}] {
				add(i)
			}
		}
	}
	inside := func(f report.Finding) bool {
		n := loc.node
		if n.File != nil && ex.key(n.File.Path) == ex.key(f.File) && f.Line >= n.Line && f.Line <= int(n.EndLine) {
			return true
		}
		for _, s := range loc.level.dirs {
			if s.Node.File != nil && s.Node.Line == f.Line && !s.Node.Block && ex.key(s.Node.File.Path) == ex.key(f.File) {
				return true
			}
		}
		return false
	}
	for _, i := range ex.tree {
		f := all[i]
		if inside(f) || causes[at(relativeTo(ex.vo.Base, f.File), f.Line)] {
			add(i)
		}
	}
	slices.SortFunc(out, func(a, b report.Finding) int {
		return cmp.Or(cmp.Compare(a.File, b.File), cmp.Compare(a.Line, b.Line), cmp.Compare(a.Column, b.Column), cmp.Compare(a.Rule, b.Rule))
	})
	return out
}

type findingKey struct {
	rule, file string
	line       int
}

// index sorts the run's findings once: by rule and position, and the
// tree rules' apart (there are few).
func (ex *explainer) index(all []report.Finding) {
	if ex.byKey != nil {
		return
	}
	ex.byKey = map[findingKey][]int{}
	for i, f := range all {
		k := findingKey{f.Rule, ex.key(f.File), f.Line}
		ex.byKey[k] = append(ex.byKey[k], i)
		if isTreeRule(f.Rule) {
			ex.tree = append(ex.tree, i)
		}
	}
}

// key is the package's key (symlinks resolved), computed once per path.
func (ex *explainer) key(p string) string {
	if k, ok := ex.keys[p]; ok {
		return k
	}
	if ex.keys == nil {
		ex.keys = map[string]string{}
	}
	k := key(repo.SourceName(p)) // an nginx string of a YAML file is that file
	ex.keys[p] = k
	return k
}

func isTreeRule(name string) bool {
	for _, r := range rules {
		if r.doc.Name == name {
			return r.onTree != nil
		}
	}
	return name == "unused-ignore" || name == "invalid-ignore"
}

// summary is the one-line effective configuration of --locations.
func summary(v *LocationView) string {
	var parts []string
	if v.ProxyPass != nil {
		parts = append(parts, "proxy_pass "+v.ProxyPass.Value)
	} else if len(v.IfProxyPass) > 0 {
		parts = append(parts, "proxy_pass "+v.IfProxyPass[0].Value+" (in if)")
	}
	val := func(s Setting) string {
		if s.Unknown {
			return "unknown"
		}
		if s.Default {
			return s.Value + " (default)"
		}
		return s.Value
	}
	if v.HTTPVersion.Unknown {
		parts = append(parts, "HTTP version unknown")
	} else {
		parts = append(parts, "HTTP/"+val(v.HTTPVersion))
	}
	for _, name := range []string{"Upgrade", "Connection", "Host"} {
		parts = append(parts, name+": "+sentValue(v.Headers, name))
	}
	parts = append(parts, "read timeout "+val(v.ReadTimeout))
	return strings.Join(parts, "; ")
}

// sentValue is what the backend receives as one header: the evaluated
// values of every entry sent, "(none)", or "unknown".
func sentValue(hl HeaderList, name string) string {
	var vals []string
	for _, h := range hl.Entries {
		if !strings.EqualFold(h.Name, name) {
			continue
		}
		if h.Unknown {
			return "unknown"
		}
		if h.Sent {
			vals = append(vals, h.Evaluated)
		}
	}
	if len(vals) == 0 {
		if hl.Unknown {
			return "unknown"
		}
		return "(none)"
	}
	return strings.Join(vals, ", ")
}

// underCondition reports whether a directive sits between template
// condition markers (load.MarkOpen ... load.MarkEnd) among its siblings.
func underCondition(n *load.Node) bool {
	if n.File == nil {
		return false
	}
	var depthAt func(nodes []*load.Node) (int, bool)
	depthAt = func(nodes []*load.Node) (int, bool) {
		depth := 0
		for _, c := range nodes {
			switch {
			case c == n:
				return depth, true
			case c.Name == load.MarkOpen:
				depth++
			case c.Name == load.MarkEnd:
				depth = max(0, depth-1)
			}
			if d, ok := depthAt(c.Children); ok {
				return d, true
			}
		}
		return 0, false
	}
	d, _ := depthAt(n.File.Nodes)
	return d > 0
}

// virtualSuffix is the part of a YAML string's virtual file name after
// its YAML file (repo.VirtualName): texts show the YAML file alone.
var virtualSuffix = regexp.MustCompile("\x00[^:\\s)\"]*")

func sourceNames(s string) string { return virtualSuffix.ReplaceAllString(s, "") }

// shown writes template placeholders (opaque words after neutralization)
// as {{...}}, the way a reader of the template sees them.
func shown(s string) string {
	if !load.IsPlaceholder(s) {
		return s
	}
	var b strings.Builder
	in := false
	for _, r := range s {
		if r == load.PlaceholderRune {
			if !in {
				b.WriteString("{{...}}")
			}
			in = true
			continue
		}
		in = false
		b.WriteRune(r)
	}
	return b.String()
}

// quoteWord writes a word so nginx reads it back: quoted when empty or
// when it holds a space, quote, ';', '{', '}' or '#'.
func quoteWord(s string) string {
	if s != "" && !strings.ContainsAny(s, " \t\n;{}#'\"") {
		return s
	}
	if !strings.Contains(s, "'") {
		return "'" + s + "'"
	}
	return `"` + strings.ReplaceAll(s, `"`, `\"`) + `"`
}
