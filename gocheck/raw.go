package gocheck

import (
	"encoding/base64"
	"fmt"
	"go/ast"
	"go/build/constraint"
	"go/token"
	"go/types"
	"path/filepath"
	"slices"
	"strings"

	"golang.org/x/tools/go/ast/inspector"
)

// rawSite is a Sec-WebSocket-Key written into a handshake by hand.
type rawSite struct {
	at    ast.Node
	value string // the constant key, if it is one
	known bool
	fate  fate // where the handshake carrying it goes
}

// checkRaw finds handshakes built without a library in one function: an
// http.Header or a string literal that carries Upgrade: websocket and a
// Sec-WebSocket-Key of the caller's making.
func (c *checker) checkRaw(fn inspector.Cursor) {
	var sites, litSites []rawSite
	upgrade, litUpgrade, requestLine := false, false, false
	note := func(key string, at ast.Node, value ast.Expr, carrier func() fate) {
		switch {
		case strings.EqualFold(key, "Sec-WebSocket-Key"):
			s := rawSite{at: at, fate: c.traced(carrier)}
			if value != nil {
				s.value, s.known = c.constValue(fn, value)
			}
			sites = append(sites, s)
		case strings.EqualFold(key, "Upgrade") && value != nil:
			if v, ok := c.constString(value); ok && strings.EqualFold(strings.TrimSpace(v), "websocket") {
				upgrade = true
			}
		}
	}
	for cur := range fn.Preorder((*ast.CallExpr)(nil), (*ast.AssignStmt)(nil), (*ast.BasicLit)(nil), (*ast.CompositeLit)(nil)) {
		switch n := cur.Node().(type) {
		case *ast.CompositeLit:
			if typeName(c.pass.TypesInfo.TypeOf(n)) != "net/http.Header" {
				continue
			}
			litFate := func() fate { return c.fateOfExpr(cur, 0) }
			for _, elt := range n.Elts {
				if kv, ok := elt.(*ast.KeyValueExpr); ok {
					if key, ok := c.constString(kv.Key); ok {
						note(key, kv, singleValue(kv.Value), litFate)
					}
				}
			}
		case *ast.CallExpr:
			fn := c.callee(n)
			if fn == nil || len(n.Args) != 2 {
				continue
			}
			if name := fn.FullName(); name == "(net/http.Header).Set" || name == "(net/http.Header).Add" {
				if key, ok := c.constString(n.Args[0]); ok {
					recv := ast.Unparen(n.Fun).(*ast.SelectorExpr).X
					note(key, n, n.Args[1], func() fate { return c.fateOfHeader(cur, recv) })
				}
			}
		case *ast.AssignStmt:
			if len(n.Lhs) != 1 || len(n.Rhs) != 1 {
				continue
			}
			ix, ok := n.Lhs[0].(*ast.IndexExpr)
			if !ok || typeName(c.pass.TypesInfo.TypeOf(ix.X)) != "net/http.Header" {
				continue
			}
			if key, ok := c.constString(ix.Index); ok {
				note(key, n, singleValue(n.Rhs[0]), func() fate { return c.fateOfHeader(cur, ix.X) })
			}
		case *ast.BasicLit:
			if n.Kind != token.STRING {
				continue
			}
			// A request spelled as a constant concatenation is read whole.
			top := cur
			for {
				p := top.Parent()
				if _, ok := p.Node().(*ast.BinaryExpr); !ok {
					if _, ok := p.Node().(*ast.ParenExpr); !ok {
						break
					}
				}
				if _, ok := c.constString(p.Node().(ast.Expr)); !ok {
					break
				}
				top = p
			}
			if top != cur && firstLit(top.Node()) != n {
				continue // read once, at the concatenation's first literal
			}
			s, ok := c.constString(top.Node().(ast.Expr))
			if !ok {
				continue
			}
			// Only text shaped like a request counts: header lines end in
			// a newline, and a request line starts the handshake.
			if !strings.Contains(s, "\n") {
				continue
			}
			lower := strings.ToLower(s)
			if strings.HasPrefix(lower, "get ") && strings.Contains(lower, "http/1.1") {
				requestLine = true
			}
			if strings.Contains(lower, "upgrade: websocket\r\n") || strings.Contains(lower, "upgrade: websocket\n") {
				litUpgrade = true
			}
			if i := strings.Index(lower, "sec-websocket-key:"); i >= 0 {
				site := rawSite{at: top.Node(), fate: c.traced(func() fate { return c.fateOfExpr(top, 0) })}
				v := s[i+len("sec-websocket-key:"):]
				if j := strings.IndexAny(v, "\r\n"); j >= 0 {
					v = v[:j]
				}
				if v = strings.TrimSpace(v); v != "" && !strings.Contains(v, "%") {
					site.value, site.known = v, true
				}
				litSites = append(litSites, site)
			}
		}
	}
	if litUpgrade && requestLine {
		sites = append(sites, litSites...)
	}
	if !upgrade && (!litUpgrade || !requestLine) {
		return
	}
	sends := c.sends(fn)
	for _, s := range sites {
		if c.reported[s.at.Pos()] {
			continue
		}
		if s.fate.testOnly(sends) {
			// Test input for a handler, an upgrader or a server's reader,
			// or an expected value: nothing dials with it.
			continue
		}
		if !s.known && c.funcVerifies(fn) {
			// A handshake implementation that verifies the answer, such
			// as a client library's own dial code.
			continue
		}
		c.report(ruleHandKey, s.at, rawMessage(s))
	}
}

func firstLit(n ast.Node) *ast.BasicLit {
	var first *ast.BasicLit
	ast.Inspect(n, func(n ast.Node) bool {
		if l, ok := n.(*ast.BasicLit); ok && first == nil {
			first = l
		}
		return first == nil
	})
	return first
}

// fateOfHeader is where the header x (req.Header, or a local header
// variable) goes, through the variable holding it.
func (c *checker) fateOfHeader(at inspector.Cursor, x ast.Expr) fate {
	x = ast.Unparen(x)
	if sel, ok := x.(*ast.SelectorExpr); ok && sel.Sel.Name == "Header" {
		x = ast.Unparen(sel.X)
	}
	if id, ok := x.(*ast.Ident); ok {
		if v, ok := c.pass.TypesInfo.Uses[id].(*types.Var); ok {
			return c.fateOfVar(at, v, 0)
		}
	}
	return fateUnknown
}

// sends reports whether fn sends anything to a peer: a dial, an
// http.Client or a write to a connection.
func (c *checker) sends(fn inspector.Cursor) bool {
	for cur := range fn.Preorder((*ast.CallExpr)(nil)) {
		call := cur.Node().(*ast.CallExpr)
		if _, ok := c.dialOf(call); ok {
			return true
		}
		f := c.callee(call)
		if f == nil {
			continue
		}
		switch f.FullName() {
		case "(*net/http.Client).Do", "(*net/http.Transport).RoundTrip", "(net/http.RoundTripper).RoundTrip", "(*net/http.Request).Write", "(*net/http.Request).WriteProxy":
			return true
		}
		if f.Name() == "Write" || f.Name() == "WriteString" {
			if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok && c.isConn(sel.X) {
				return true
			}
		}
		if len(call.Args) > 1 && (f.Pkg() != nil && (f.Pkg().Path() == "fmt" || f.Pkg().Path() == "io")) && c.isConn(call.Args[0]) {
			return true
		}
	}
	return false
}

// funcVerifies reports whether the handshake built in fn has its answer
// checked: fn reads Sec-WebSocket-Accept itself or through a function it
// hands the response to, or a function of the package that calls fn does
// (fn built or sent the request, its caller checks the answer).
func (c *checker) funcVerifies(fnCur inspector.Cursor) bool {
	fd, ok := fnCur.Node().(*ast.FuncDecl)
	if !ok {
		return false
	}
	if c.bodyVerifies(fd.Body) {
		return true
	}
	fn, ok := c.pass.TypesInfo.Defs[fd.Name].(*types.Func)
	if !ok {
		return false
	}
	for cur := range c.in.Root().Preorder((*ast.CallExpr)(nil)) {
		if c.callee(cur.Node().(*ast.CallExpr)) != fn {
			continue
		}
		if caller, ok := enclosingFunc(cur); ok && c.bodyVerifies(caller.Node()) {
			return true
		}
	}
	return false
}

// readsAccept reports whether n itself reads Sec-WebSocket-Accept.
func (c *checker) readsAccept(n ast.Node) bool {
	found := false
	ast.Inspect(n, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.CallExpr:
			if fn := c.callee(n); fn != nil && len(n.Args) == 1 && c.isAccept(n.Args[0]) {
				switch fn.FullName() {
				case "(net/http.Header).Get", "(net/http.Header).Values":
					found = true
				}
			}
		case *ast.IndexExpr:
			found = found || isHeaderType(c.pass.TypesInfo.TypeOf(n.X)) && c.isAccept(n.Index)
		}
		return !found
	})
	return found
}

func rawMessage(s rawSite) string {
	const fix = "dial with a websocket client library, which generates a fresh key and verifies the answer"
	if !s.known {
		return "hand-built websocket handshake sets its own Sec-WebSocket-Key: nothing checks the server's Sec-WebSocket-Accept against it, so a proxy that never upgraded goes unnoticed; " + fix
	}
	sample, invalid := "", ""
	switch {
	case s.value == rfcSampleKey:
		sample = " (the RFC 6455 sample nonce)"
	case !validKey(s.value):
		invalid = "; it is not the base64 of 16 bytes either, so servers that check it (gorilla/websocket's Upgrader) refuse the handshake with 400"
	}
	return fmt.Sprintf("hand-built websocket handshake with constant Sec-WebSocket-Key %q%s: every handshake is identical, so a cached or replayed upgrade response passes the Sec-WebSocket-Accept check%s; %s", s.value, sample, invalid, fix)
}

// browserOnly reports whether a file builds only for GOOS=js, where the
// browser sets Origin itself and forbids setting handshake headers.
func (c *checker) browserOnly(file *ast.File) bool {
	if tf := c.pass.Fset.File(file.Pos()); tf != nil {
		name := strings.TrimSuffix(strings.TrimSuffix(filepath.Base(tf.Name()), ".go"), "_test")
		parts := strings.Split(name, "_")
		n := len(parts)
		if n > 1 && (parts[n-1] == "js" || (n > 2 && parts[n-2] == "js" && parts[n-1] == "wasm")) {
			return true
		}
	}
	for _, g := range file.Comments {
		if g.Pos() >= file.Package {
			break
		}
		for _, cm := range g.List {
			if !constraint.IsGoBuild(cm.Text) {
				continue
			}
			expr, err := constraint.Parse(cm.Text)
			if err != nil {
				return false
			}
			return !satisfiableWithoutJS(expr)
		}
	}
	return false
}

// satisfiableWithoutJS tries every assignment of the expression's other
// tags with js false.
func satisfiableWithoutJS(expr constraint.Expr) bool {
	var tags []string
	seen := map[string]bool{"js": true}
	var walk func(constraint.Expr)
	walk = func(e constraint.Expr) {
		switch e := e.(type) {
		case *constraint.TagExpr:
			if !seen[e.Tag] {
				seen[e.Tag] = true
				tags = append(tags, e.Tag)
			}
		case *constraint.NotExpr:
			walk(e.X)
		case *constraint.AndExpr:
			walk(e.X)
			walk(e.Y)
		case *constraint.OrExpr:
			walk(e.X)
			walk(e.Y)
		}
	}
	walk(expr)
	if len(tags) > 12 {
		return true // too many to enumerate: assume it also builds elsewhere
	}
	for mask := 0; mask < 1<<len(tags); mask++ {
		on := map[string]bool{}
		for i, t := range tags {
			on[t] = mask&(1<<i) != 0
		}
		if expr.Eval(func(tag string) bool { return on[tag] }) {
			return true
		}
	}
	return false
}

// validKey reports whether k is what RFC 6455 asks for: 16 bytes, base64.
func validKey(k string) bool {
	b, err := base64.StdEncoding.DecodeString(k)
	return err == nil && len(b) == 16
}

// constValue is the constant string e denotes: a constant expression, or
// a local variable of fn initialised with one and never assigned again.
func (c *checker) constValue(fn inspector.Cursor, e ast.Expr) (string, bool) {
	if s, ok := c.constString(e); ok {
		return s, true
	}
	id, ok := ast.Unparen(e).(*ast.Ident)
	if !ok {
		return "", false
	}
	v, ok := c.pass.TypesInfo.Uses[id].(*types.Var)
	if !ok || !c.isLocal(fn, v) {
		return "", false
	}
	var init ast.Expr
	for cur := range fn.Preorder((*ast.Ident)(nil)) {
		n := cur.Node().(*ast.Ident)
		if c.pass.TypesInfo.Defs[n] == v {
			if init, ok = c.initOf(cur, n); !ok || init == nil {
				return "", false
			}
			continue
		}
		if c.pass.TypesInfo.Uses[n] != v {
			continue
		}
		switch p := cur.Parent().Node().(type) {
		case *ast.AssignStmt:
			if slices.Contains(p.Lhs, ast.Expr(n)) {
				return "", false
			}
		case *ast.UnaryExpr:
			if p.Op == token.AND {
				return "", false
			}
		case *ast.IncDecStmt:
			return "", false
		}
	}
	if init == nil {
		return "", false
	}
	return c.constString(init)
}
