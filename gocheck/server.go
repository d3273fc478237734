package gocheck

import (
	"go/ast"
	"go/constant"
	"go/types"
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
	case acceptOptions[typ] && field == "InsecureSkipVerify":
		if tv, ok := c.pass.TypesInfo.Types[v]; ok && tv.Value != nil && constant.BoolVal(tv.Value) {
			c.report(ruleOriginOff, v, skipVerifyMsg)
		}
	}
}

// alwaysTrue reports whether v is a function (a literal, or a function
// declared in this package) whose whole body is `return true`.
func (c *checker) alwaysTrue(v ast.Expr) bool {
	var body *ast.BlockStmt
	switch v := ast.Unparen(v).(type) {
	case *ast.FuncLit:
		body = v.Body
	case *ast.Ident:
		fn, ok := c.pass.TypesInfo.Uses[v].(*types.Func)
		if !ok || fn.Pkg() != c.pass.Pkg {
			return false
		}
		body = c.funcBody(fn)
	}
	if body == nil || len(body.List) != 1 {
		return false
	}
	ret, ok := body.List[0].(*ast.ReturnStmt)
	if !ok || len(ret.Results) != 1 {
		return false
	}
	tv, ok := c.pass.TypesInfo.Types[ret.Results[0]]
	return ok && tv.Value != nil && tv.Value.Kind() == constant.Bool && constant.BoolVal(tv.Value)
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
