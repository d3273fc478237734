package gocheck

import (
	"fmt"
	"go/ast"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/inspector"
)

// behaviour is what a client library does with handshake headers the
// caller set, read from each library's dial code.
type behaviour int

const (
	// rejectsCanonical: gorilla and fasthttp fail the dial on a canonical
	// managed key ("duplicate header not allowed") and copy any other
	// spelling over their own value.
	rejectsCanonical behaviour = iota
	// overwritesCanonical: coder, nhooyr and gws Set their own value
	// after copying the caller's header, so a canonical key is replaced
	// and any other spelling is sent a second time.
	overwritesCanonical
	// writesAll: gobwas writes the caller's header unfiltered after its own.
	writesAll
)

// dialKind is where a dial's request headers come from.
type dialKind int

const (
	headerArg  dialKind = iota // an http.Header argument (gorilla, fasthttp)
	optionsArg                 // a pointer to an options struct with a header field (coder, nhooyr, gws)
	noHeader                   // no way to pass headers (gobwas ws.Dial)
	receiver                   // a header field in the receiver (gobwas Dialer.Dial)
	originArg                  // an origin string argument (x/net)
)

type dialSpec struct {
	key      string // the dials key
	lib      string // as named in messages
	does     behaviour
	kind     dialKind
	url      int    // index of the URL argument; -1: the options' urlField
	arg      int    // index of the header, options or origin argument
	field    string // header field of the options or receiver struct
	urlField string
	optType  string // options type, for a fix that builds it
	// recvField names the receiver's field holding the dialer whose
	// headers are sent (gobwas wsutil.DebugDialer).
	recvField string
	fwd       *dialForward // set when a function of the module forwards to this dial
}

// dials lists client entry points by (*types.Func).FullName.
var dials = func() map[string]dialSpec {
	m := map[string]dialSpec{}
	for path, lib := range map[string]string{"github.com/gorilla/websocket": "gorilla/websocket", "github.com/fasthttp/websocket": "fasthttp/websocket"} {
		m["(*"+path+".Dialer).Dial"] = dialSpec{lib: lib, does: rejectsCanonical, kind: headerArg, url: 0, arg: 1}
		m["(*"+path+".Dialer).DialContext"] = dialSpec{lib: lib, does: rejectsCanonical, kind: headerArg, url: 1, arg: 2}
	}
	for path, lib := range map[string]string{"github.com/coder/websocket": "coder/websocket", "nhooyr.io/websocket": "nhooyr.io/websocket"} {
		m[path+".Dial"] = dialSpec{lib: lib, does: overwritesCanonical, kind: optionsArg, url: 1, arg: 2, field: "HTTPHeader", optType: "DialOptions"}
	}
	m["github.com/gobwas/ws.Dial"] = dialSpec{lib: "gobwas/ws", does: writesAll, kind: noHeader, url: 1}
	m["(github.com/gobwas/ws.Dialer).Dial"] = dialSpec{lib: "gobwas/ws", does: writesAll, kind: receiver, url: 1, field: "Header"}
	// Upgrade sends the same handshake over a connection the caller made.
	m["(github.com/gobwas/ws.Dialer).Upgrade"] = dialSpec{lib: "gobwas/ws", does: writesAll, kind: receiver, url: -1, field: "Header"}
	m["(*github.com/gobwas/ws/wsutil.DebugDialer).Dial"] = dialSpec{lib: "gobwas/ws", does: writesAll, kind: receiver, url: 1, field: "Header", recvField: "Dialer"}
	m["golang.org/x/net/websocket.Dial"] = dialSpec{lib: "x/net/websocket", kind: originArg, url: 0, arg: 2}
	m["golang.org/x/net/websocket.NewConfig"] = dialSpec{lib: "x/net/websocket", kind: originArg, url: 0, arg: 1}
	for _, name := range []string{"NewClient", "NewClientFromConn"} {
		m["github.com/lxzan/gws."+name] = dialSpec{lib: "lxzan/gws", does: overwritesCanonical, kind: optionsArg, url: -1, urlField: "Addr", arg: 1, field: "RequestHeader"}
	}
	for k, s := range m {
		s.key = k
		m[k] = s
	}
	return m
}()

const (
	rfcSampleKey = "dGhlIHNhbXBsZSBub25jZQ=="
	noOriginWhy  = "servers that enforce an allowed-origin list (Socket.IO CORS, Phoenix check_origin, ActionCable, x/net/websocket) answer 403"
)

// managedHeaders are the handshake headers every client library writes
// itself, in lower case.
var managedHeaders = map[string]bool{"upgrade": true, "connection": true, "sec-websocket-version": true, "sec-websocket-extensions": true}

// dialOf is the dial a call makes: a library entry point, or a function
// of the module that forwards to one (a dialForward fact).
func (c *checker) dialOf(call *ast.CallExpr) (dialSpec, bool) {
	fn := c.callee(call)
	if fn == nil {
		return dialSpec{}, false
	}
	if spec, ok := dials[fn.FullName()]; ok {
		// The library's own implementation is not a client of itself.
		return spec, fn.Pkg() != c.pass.Pkg
	}
	f := c.forwardOf(fn)
	if f == nil {
		return dialSpec{}, false
	}
	inner, ok := dials[f.Dial]
	if !ok {
		return dialSpec{}, false
	}
	inner.fwd = f
	return inner, true
}

// carrier is the argument or receiver that carries the dial's headers,
// as the caller wrote it; nil when the headers sit in a receiver's field.
func (s dialSpec) carrier(call *ast.CallExpr) ast.Expr {
	if s.fwd != nil {
		if s.fwd.Param >= 0 && s.fwd.Param < len(call.Args) {
			return call.Args[s.fwd.Param]
		}
		return nil
	}
	switch s.kind {
	case headerArg, optionsArg, originArg:
		if s.arg < len(call.Args) {
			return call.Args[s.arg]
		}
	case receiver:
		if s.recvField == "" {
			if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok {
				return sel.X
			}
		}
	}
	return nil
}

// urlExpr is the argument holding the URL dialled, or nil.
func (s dialSpec) urlExpr(call *ast.CallExpr) ast.Expr {
	i := s.url
	if s.fwd != nil {
		i = s.fwd.URL
	}
	if i >= 0 && i < len(call.Args) {
		return call.Args[i]
	}
	return nil
}

func (c *checker) checkCall(cur inspector.Cursor, file *ast.File, call *ast.CallExpr) {
	fn := c.callee(call)
	if fn == nil {
		return
	}
	if openUpgrade[fn.FullName()] && fn.Pkg() != c.pass.Pkg {
		c.report(ruleOriginOff, call, fmt.Sprintf(upgradeFuncMsg, shortName(call)))
		return
	}
	spec, ok := c.dialOf(call)
	if !ok {
		return
	}
	fnCur, ok := enclosingFunc(cur)
	if !ok {
		// A package-level var initialised by a dial constructor, as in
		// var DefaultDialer = NewDialer(websocket.DefaultDialer, nil).
		for f := range cur.Enclosing((*ast.File)(nil)) {
			fnCur = f
		}
	}
	d := dial{c: c, spec: spec, call: call, file: file, fn: fnCur}
	if u := spec.urlExpr(call); u != nil {
		d.url, d.urlKnown = c.constString(u)
	}
	if spec.fwd != nil {
		if spec.fwd.URLConst != "" {
			d.url, d.urlKnown = spec.fwd.URLConst, true
		}
		d.forwarded()
		return
	}
	switch spec.kind {
	case headerArg, optionsArg, originArg:
		if arg := spec.carrier(call); arg != nil {
			d.judge(arg)
		}
	case receiver:
		if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok {
			d.judge(sel.X)
		}
	case noHeader:
		if !d.exempt() {
			c.report(ruleNoOrigin, call, fmt.Sprintf("%s cannot send an Origin header: %s; dial with ws.Dialer{Header: ws.HandshakeHeaderHTTP(http.Header{\"Origin\": ...})} instead", shortName(call), noOriginWhy))
		}
	}
}

// judge checks the expression that carries the dial's headers, read the
// way the library reads it.
func (d *dial) judge(x ast.Expr) {
	switch d.spec.kind {
	case headerArg:
		d.header(d.c.resolveHeader(d.fn, x, x), x, nil)
	case optionsArg:
		d.options(x, x)
	case originArg:
		d.origin(x)
	case receiver:
		if d.spec.recvField == "" {
			d.options(x, x)
			return
		}
		// A wrapper such as wsutil.DebugDialer dials with the dialer in
		// its field.
		st := d.c.resolveStruct(d.fn, x, x, d.spec.recvField)
		switch {
		case !st.complete || st.isNil:
		case st.field == nil:
			d.header(headerSet{complete: true}, x, nil)
		default:
			d.options(st.field, st.field)
		}
	}
}

// forwarded checks a call of a function that hands its parameter or its
// receiver's field to a dial.
func (d *dial) forwarded() {
	f := d.spec.fwd
	if f.Param >= 0 {
		if x := d.spec.carrier(d.call); x != nil {
			d.judge(x)
		}
		return
	}
	sel, ok := ast.Unparen(d.call.Fun).(*ast.SelectorExpr)
	if !ok {
		return
	}
	st := d.c.resolveStruct(d.fn, sel.X, sel.X, f.Field)
	switch {
	case !st.complete || st.isNil:
	case st.field == nil:
		// The field is left at its zero value: no header, nil options, or
		// a zero dialer.
		d.header(headerSet{complete: true}, sel.X, nil)
	default:
		d.judge(st.field)
	}
}

// dial is one client dial being checked.
type dial struct {
	c        *checker
	spec     dialSpec
	call     *ast.CallExpr
	file     *ast.File
	fn       inspector.Cursor
	url      string
	urlKnown bool
}

// exempt reports whether the dial's constant URL needs no Origin.
func (d *dial) exempt() bool {
	if !d.urlKnown {
		return false
	}
	for _, s := range d.c.exempt {
		if strings.Contains(d.url, s) {
			return true
		}
	}
	return false
}

// originFor is the browser Origin matching a constant ws:// or wss:// URL.
func (d *dial) originFor() (string, bool) {
	if !d.urlKnown {
		return "", false
	}
	u, err := url.Parse(d.url)
	if err != nil || u.Host == "" {
		return "", false
	}
	switch u.Scheme {
	case "ws":
		return "http://" + u.Host, true
	case "wss":
		return "https://" + u.Host, true
	}
	return "", false
}

// options checks an options or receiver struct whose header field
// carries the request headers.
func (d *dial) options(e, sink ast.Expr) {
	st := d.c.resolveStruct(d.fn, e, sink, d.spec.field)
	if !st.complete {
		return
	}
	if st.lit != nil && d.spec.urlField != "" {
		if v := fieldValue(st.lit, d.spec.urlField); v != nil {
			d.url, d.urlKnown = d.c.constString(v)
		}
	}
	if st.isNil {
		if d.spec.kind == optionsArg && d.spec.urlField == "" {
			d.header(headerSet{complete: true}, e, d.nilOptionsFix(e))
		}
		return
	}
	if st.field == nil {
		d.header(headerSet{complete: true}, e, d.addFieldFix(st.lit))
		return
	}
	d.header(d.c.resolveHeader(d.fn, st.field, st.field), st.field, nil)
}

// header reports the hand-set handshake headers of hs and a missing
// Origin at at. fix, if any, adds the Origin when hs has no literal.
func (d *dial) header(hs headerSet, at ast.Node, fix []analysis.SuggestedFix) {
	for _, e := range hs.entries {
		if d.c.reported[e.at.Pos()] {
			continue // one header handed to several dials is reported once
		}
		lower := strings.ToLower(e.name)
		switch {
		case lower == "sec-websocket-key":
			d.c.report(ruleHandKey, e.at, fmt.Sprintf("%s set by hand: %s; remove it, the library generates the key and checks the server's answer", d.c.keySubject(e.value), d.effect(e.name, true)), removeFix("Remove the hand-set Sec-WebSocket-Key", e.remove)...)
		case managedHeaders[lower]:
			d.c.report(ruleManagedHeader, e.at, fmt.Sprintf("%s set by hand: %s; remove it, %s writes it itself", e.name, d.effect(e.name, false), d.spec.lib), removeFix("Remove the hand-set "+e.name, e.remove)...)
		}
	}
	if !hs.complete || hs.hasOrigin() || d.exempt() {
		return
	}
	if hs.isNil {
		fix = d.nilHeaderFix(at)
	} else if hs.lit != nil {
		fix = d.insertOriginFix(hs.lit)
	}
	from := ""
	if hs.from != "" {
		from = " (" + hs.from + " returns a header without one)"
	}
	d.c.report(ruleNoOrigin, at, fmt.Sprintf("%s dial%s sends no Origin header%s: %s; set Origin%s", d.spec.lib, d.through(), from, noOriginWhy, d.originHint()), fix...)
}

// through names the module's function a forwarded dial goes through.
func (d *dial) through() string {
	if d.spec.fwd == nil {
		return ""
	}
	return " through " + d.spec.fwd.Via
}

func (d *dial) originHint() string {
	if o, ok := d.originFor(); ok {
		return fmt.Sprintf(" (e.g. %q)", o)
	}
	return " to the site the websocket belongs to"
}

// effect says what the library does with a hand-set header.
func (d *dial) effect(name string, isKey bool) string {
	canonical := name == http.CanonicalHeaderKey(name)
	switch d.spec.does {
	case rejectsCanonical:
		if canonical {
			return fmt.Sprintf("%s fails the dial with \"duplicate header not allowed\"", d.spec.lib)
		}
		if isKey {
			return fmt.Sprintf("this spelling slips past %s's duplicate check and replaces its key, so the server's Sec-WebSocket-Accept no longer matches and the dial fails with \"bad handshake\"", d.spec.lib)
		}
		return fmt.Sprintf("this spelling slips past %s's duplicate check and replaces the library's own value, which corrupts the handshake", d.spec.lib)
	case overwritesCanonical:
		if canonical {
			return fmt.Sprintf("%s overwrites it, so this value is never sent", d.spec.lib)
		}
		return fmt.Sprintf("%s sends this spelling a second time beside its own, and servers reject the duplicated header with 400", d.spec.lib)
	}
	return fmt.Sprintf("%s writes it a second time beside its own, and servers reject the duplicated header with 400", d.spec.lib)
}

// keySubject names a hand-set key, calling out a constant one.
func (c *checker) keySubject(v ast.Expr) string {
	if v == nil {
		return "Sec-WebSocket-Key"
	}
	s, ok := c.constString(v)
	switch {
	case !ok:
		return "Sec-WebSocket-Key"
	case s == rfcSampleKey:
		return fmt.Sprintf("constant Sec-WebSocket-Key %q (the RFC 6455 sample nonce)", s)
	}
	return fmt.Sprintf("constant Sec-WebSocket-Key %q", s)
}

// origin checks x/net/websocket's origin argument.
func (d *dial) origin(arg ast.Expr) {
	s, ok := d.c.constString(arg)
	if !ok || s != "" {
		return
	}
	var fixes []analysis.SuggestedFix
	if o, ok := d.originFor(); ok {
		fixes = []analysis.SuggestedFix{{
			Message:   "Pass the Origin " + o,
			TextEdits: []analysis.TextEdit{{Pos: arg.Pos(), End: arg.End(), NewText: []byte(strconv.Quote(o))}},
		}}
	}
	hint := "pass the origin of the site the websocket belongs to, such as \"https://chat.example.com\""
	if o, ok := d.originFor(); ok {
		hint = fmt.Sprintf("pass the site's origin (e.g. %q)", o)
	}
	d.c.report(ruleNoOrigin, arg, fmt.Sprintf("%s: %s fails at run time with \"empty url\"; %s", xnetEmptyOrigin, shortName(d.call), hint), fixes...)
}

// shortName is how a call is spelled, for messages: websocket.Dial.
func shortName(call *ast.CallExpr) string {
	switch f := ast.Unparen(call.Fun).(type) {
	case *ast.SelectorExpr:
		if id, ok := f.X.(*ast.Ident); ok {
			return id.Name + "." + f.Sel.Name
		}
		return f.Sel.Name
	case *ast.Ident:
		return f.Name
	}
	return "the call"
}

func fieldValue(lit *ast.CompositeLit, name string) ast.Expr {
	for _, elt := range lit.Elts {
		if kv, ok := elt.(*ast.KeyValueExpr); ok {
			if id, ok := kv.Key.(*ast.Ident); ok && id.Name == name {
				return kv.Value
			}
		}
	}
	return nil
}
