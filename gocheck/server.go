package gocheck

import (
	"fmt"
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"path"
	"strings"
)

// upgraders are the server types whose CheckOrigin decides which pages
// may open a websocket.
var upgraders = map[string]bool{
	"github.com/gorilla/websocket.Upgrader":          true,
	"github.com/fasthttp/websocket.Upgrader":         true,
	"github.com/fasthttp/websocket.FastHTTPUpgrader": true,
}

var acceptOptions = map[string]bool{
	"github.com/coder/websocket.AcceptOptions": true,
	"nhooyr.io/websocket.AcceptOptions":        true,
}

// openUpgrade are the deprecated package-level Upgrade functions, whose
// Upgrader accepts every Origin.
var openUpgrade = map[string]bool{
	"github.com/gorilla/websocket.Upgrade":  true,
	"github.com/fasthttp/websocket.Upgrade": true,
}

const (
	upgradeFuncMsg = "%s accepts every Origin (its CheckOrigin returns true): any web page can open this websocket with the visitor's cookies (cross-site websocket hijacking); use an Upgrader whose CheckOrigin compares the Origin header with an allow-list"
	checkOriginMsg = "CheckOrigin always returns true: any web page can open this websocket with the visitor's cookies (cross-site websocket hijacking); compare the Origin header with an allow-list, or leave CheckOrigin nil to keep the same-host check"
	patternMsg     = "OriginPatterns entry %q matches every host (%s): any web page can open this websocket with the visitor's cookies (cross-site websocket hijacking); list the hosts allowed to open it"
	skipVerifyMsg  = "InsecureSkipVerify: true turns off the Origin check: any web page can open this websocket with the visitor's cookies (cross-site websocket hijacking); list the allowed hosts in OriginPatterns instead"
)

// typeName is "path.Name" for a named type or a pointer to one.
func typeName(t types.Type) string {
	if t == nil {
		return ""
	}
	if p, ok := t.(*types.Pointer); ok {
		t = p.Elem()
	}
	n, ok := t.(*types.Named)
	if !ok || n.Obj().Pkg() == nil {
		return ""
	}
	return n.Obj().Pkg().Path() + "." + n.Obj().Name()
}

func (c *checker) checkServerLit(lit *ast.CompositeLit) {
	name := typeName(c.pass.TypesInfo.TypeOf(lit))
	if !upgraders[name] && !acceptOptions[name] {
		return
	}
	for _, elt := range lit.Elts {
		kv, ok := elt.(*ast.KeyValueExpr)
		if !ok {
			continue
		}
		if id, ok := kv.Key.(*ast.Ident); ok {
			c.checkServerField(name, id.Name, kv.Value)
		}
	}
}

// checkServerAssign handles u.CheckOrigin = ... and o.InsecureSkipVerify = true.
func (c *checker) checkServerAssign(as *ast.AssignStmt) {
	if len(as.Lhs) != len(as.Rhs) {
		return
	}
	for i, l := range as.Lhs {
		sel, ok := ast.Unparen(l).(*ast.SelectorExpr)
		if !ok {
			continue
		}
		c.checkServerField(typeName(c.pass.TypesInfo.TypeOf(sel.X)), sel.Sel.Name, as.Rhs[i])
	}
}

func (c *checker) checkServerField(typ, field string, v ast.Expr) {
	switch {
	case upgraders[typ] && field == "CheckOrigin":
		if c.alwaysTrue(v) {
			c.report(ruleOriginOff, v, checkOriginMsg)
		}
	case acceptOptions[typ] && field == "OriginPatterns":
		c.checkOriginPatterns(typ, v)
	case acceptOptions[typ] && field == "InsecureSkipVerify":
		if tv, ok := c.pass.TypesInfo.Types[v]; ok && tv.Value != nil && constant.BoolVal(tv.Value) {
			c.report(ruleOriginOff, v, skipVerifyMsg)
		}
	}
}

// alwaysTrue reports whether v is a function (a literal, or a function or
// method declared in this package) that can only return true: every
// return statement returns the constant true, and every other statement
// is one that cannot stop it (see inertStmts). Anything that branches,
// loops, defers or calls code not known to be inert is not reported.
func (c *checker) alwaysTrue(v ast.Expr) bool {
	var body *ast.BlockStmt
	switch v := ast.Unparen(v).(type) {
	case *ast.FuncLit:
		body = v.Body
	case *ast.Ident:
		body = c.localFuncBody(v)
	case *ast.SelectorExpr:
		body = c.localFuncBody(v.Sel)
	}
	if body == nil {
		return false
	}
	returns := 0
	return c.inertStmts(body.List, &returns) && returns > 0
}

// localFuncBody is the body of the function or method id names, when it
// is declared in this package.
func (c *checker) localFuncBody(id *ast.Ident) *ast.BlockStmt {
	fn, ok := c.pass.TypesInfo.Uses[id].(*types.Func)
	if !ok || fn.Pkg() != c.pass.Pkg {
		return nil
	}
	return c.funcBody(fn)
}

// inertStmts reports whether list runs straight through to `return true`:
// no statement branches, loops, defers, panics or blocks, and the calls
// are logging or reads of the request (inertExpr). Assignments go only to
// plain variables, which nothing can branch on afterwards.
func (c *checker) inertStmts(list []ast.Stmt, returns *int) bool {
	for _, s := range list {
		switch s := s.(type) {
		case *ast.ReturnStmt:
			if len(s.Results) != 1 || !c.isConstTrue(s.Results[0]) {
				return false
			}
			*returns++
		case *ast.ExprStmt:
			if _, ok := ast.Unparen(s.X).(*ast.CallExpr); !ok || !c.inertExpr(s.X) {
				return false
			}
		case *ast.AssignStmt:
			for _, l := range s.Lhs {
				if _, ok := ast.Unparen(l).(*ast.Ident); !ok {
					return false
				}
			}
			for _, r := range s.Rhs {
				if !c.inertExpr(r) {
					return false
				}
			}
		case *ast.IncDecStmt:
			if _, ok := ast.Unparen(s.X).(*ast.Ident); !ok {
				return false
			}
		case *ast.DeclStmt:
			gd, ok := s.Decl.(*ast.GenDecl)
			if !ok {
				return false
			}
			for _, spec := range gd.Specs {
				if vs, ok := spec.(*ast.ValueSpec); ok {
					for _, val := range vs.Values {
						if !c.inertExpr(val) {
							return false
						}
					}
				}
			}
		case *ast.BlockStmt:
			if !c.inertStmts(s.List, returns) {
				return false
			}
		case *ast.EmptyStmt:
		default:
			return false
		}
	}
	return true
}

func (c *checker) isConstTrue(e ast.Expr) bool {
	tv, ok := c.pass.TypesInfo.Types[e]
	return ok && tv.Value != nil && tv.Value.Kind() == constant.Bool && constant.BoolVal(tv.Value)
}

// inertExpr reports whether evaluating e cannot keep CheckOrigin from
// returning: no closures, channel receives or type assertions, and only
// calls of inertCall. Indexing (r.Header["Origin"][0]) is allowed: a page
// hijacking the socket runs in a browser, which always sends Origin.
func (c *checker) inertExpr(e ast.Expr) bool {
	ok := true
	ast.Inspect(e, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit, *ast.TypeAssertExpr:
			ok = false
		case *ast.UnaryExpr:
			if n.Op == token.ARROW {
				ok = false
			}
		case *ast.CallExpr:
			if !c.inertCall(n) {
				ok = false
			}
		}
		return ok
	})
	return ok
}

// readPkgs are packages whose functions only compute a value from their
// arguments or log it; reqPkgs are those whose methods read a request.
var (
	readPkgs = map[string]bool{"strings": true, "bytes": true, "net/url": true, "strconv": true, "unicode/utf8": true, "log/slog": true}
	reqPkgs  = map[string]bool{"net/http": true, "net/textproto": true, "github.com/valyala/fasthttp": true}
)

// logNames are the method names of common loggers (log, slog, zap,
// logrus, zerolog); Fatal and Panic are absent because they stop the call.
var logNames = map[string]bool{
	"Debug": true, "Info": true, "Warn": true, "Warning": true, "Error": true, "Trace": true,
	"Print": true, "Log": true, "Msg": true, "Str": true, "Output": true,
}

// inertCall reports whether call is a conversion, a pure builtin, a
// logging call or a read of the request: calls whose outcome cannot turn
// the handshake away. Any other call (a helper of the module, panic,
// os.Exit) might, so the CheckOrigin is not reported.
func (c *checker) inertCall(call *ast.CallExpr) bool {
	if tv, ok := c.pass.TypesInfo.Types[call.Fun]; ok && tv.IsType() {
		return true
	}
	if id, ok := ast.Unparen(call.Fun).(*ast.Ident); ok {
		if b, ok := c.pass.TypesInfo.Uses[id].(*types.Builtin); ok {
			switch b.Name() {
			case "len", "cap", "min", "max", "print", "println":
				return true
			}
			return false
		}
	}
	fn := c.callee(call)
	if fn == nil || fn.Pkg() == nil {
		return false
	}
	path, name := fn.Pkg().Path(), fn.Name()
	method := fn.Signature().Recv() != nil
	switch {
	case readPkgs[path], reqPkgs[path] && method:
		return true
	case path == "fmt":
		return strings.HasPrefix(name, "Print") || strings.HasPrefix(name, "Fprint") || strings.HasPrefix(name, "Sprint") || name == "Errorf"
	case path == "log":
		return strings.HasPrefix(name, "Print") || name == "Output"
	case method:
		for _, suffix := range []string{"", "f", "ln", "w", "Context", "Ctx"} {
			if base, ok := strings.CutSuffix(name, suffix); ok && logNames[base] {
				return true
			}
		}
	}
	return false
}

// funcBody finds the declaration of a package-level function.
func (c *checker) funcBody(fn *types.Func) *ast.BlockStmt {
	for _, f := range c.pass.Files {
		if f.Pos() > fn.Pos() || fn.Pos() >= f.End() {
			continue
		}
		for _, d := range f.Decls {
			if fd, ok := d.(*ast.FuncDecl); ok && fd.Name.Pos() == fn.Pos() {
				return fd.Body
			}
		}
	}
	return nil
}

// checkOriginPatterns reports each constant entry of an OriginPatterns
// literal that lets any site in.
func (c *checker) checkOriginPatterns(typ string, v ast.Expr) {
	lit, ok := ast.Unparen(v).(*ast.CompositeLit)
	if !ok {
		return
	}
	coder := strings.HasPrefix(typ, "github.com/coder/websocket.")
	for _, elt := range lit.Elts {
		p, ok := c.constString(elt)
		if !ok || !patternAdmitsAnySite(p, coder) {
			continue
		}
		matcher := "nhooyr.io/websocket's authenticateOrigin matches it against the Origin's host with filepath.Match"
		if coder {
			matcher = "coder/websocket's authenticateOrigin matches it against the Origin's host with path.Match"
		}
		c.report(ruleOriginOff, elt, fmt.Sprintf(patternMsg, p, matcher))
	}
}

// probeSites are two hosts no allow-list names, under different top-level
// domains: a pattern matching both, bare or on a port the attacker picks,
// matches any site an attacker can serve a page from.
var probeSites = []string{"evil.wscheck-probe-one.invalid", "attacker.wscheck-probe-two.test"}

// patternAdmitsAnySite reports whether an OriginPatterns entry matches
// every probe site the way the library's authenticateOrigin does: both
// lowercase the pattern and match it against the Origin's host; coder,
// for a pattern containing "://", against scheme://host. A malformed
// pattern makes the library fail the handshake and is not reported.
func patternAdmitsAnySite(pattern string, coder bool) bool {
	pattern = strings.ToLower(pattern)
	prefixes := []string{""}
	if coder && strings.Contains(pattern, "://") {
		prefixes = []string{"https://", "http://"}
	}
	for _, site := range probeSites {
		matched := false
		for _, pre := range prefixes {
			for _, host := range []string{site, site + ":8443"} {
				if ok, err := path.Match(pattern, pre+host); err == nil && ok {
					matched = true
				}
			}
		}
		if !matched {
			return false
		}
	}
	return true
}
