package gocheck

import (
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"net/http"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/inspector"
)

// headerEntry is one header key the caller sets.
type headerEntry struct {
	name   string              // the key as it reaches the library (Set and Add canonicalise)
	at     ast.Node            // where it is set: the key-value pair, or the Set/Add/assignment statement
	value  ast.Expr            // the value, when it is a single expression
	remove []analysis.TextEdit // edits that delete it; nil when none is safe
}

// headerSet is what the pass knows about the headers of one dial.
type headerSet struct {
	complete bool // every key is known, so a missing Origin is provably missing
	isNil    bool // the header is the nil literal
	entries  []headerEntry
	lit      *ast.CompositeLit // the literal the header starts from, where a fix can add an Origin
	origin   bool              // a helper's result carries an Origin
	from     string            // the helper whose result the header starts from
}

func (hs headerSet) hasOrigin() bool {
	if hs.origin {
		return true
	}
	for _, e := range hs.entries {
		if strings.EqualFold(e.name, "Origin") {
			return true
		}
	}
	return false
}

func constantString(v constant.Value) (string, bool) {
	if v.Kind() != constant.String {
		return "", false
	}
	return constant.StringVal(v), true
}

func (c *checker) isNil(e ast.Expr) bool {
	tv, ok := c.pass.TypesInfo.Types[e]
	return ok && tv.IsNil()
}

// resolveHeader works out the keys of a header expression. sink is the
// use that hands the header to the library; every other use of a local
// header variable must be one the pass understands, or the set is
// incomplete.
func (c *checker) resolveHeader(fn inspector.Cursor, e, sink ast.Expr) headerSet {
	e = ast.Unparen(e)
	if c.isNil(e) {
		return headerSet{complete: true, isNil: true}
	}
	switch e := e.(type) {
	case *ast.CompositeLit:
		if t := c.pass.TypesInfo.TypeOf(e); t != nil {
			if _, ok := t.Underlying().(*types.Map); ok {
				return c.literalHeader(e)
			}
		}
	case *ast.CallExpr:
		if tv, ok := c.pass.TypesInfo.Types[e.Fun]; ok && tv.IsType() && len(e.Args) == 1 {
			// A conversion such as ws.HandshakeHeaderHTTP(h) keeps the keys.
			return c.resolveHeader(fn, e.Args[0], e.Args[0])
		}
		if id, ok := ast.Unparen(e.Fun).(*ast.Ident); ok {
			if b, ok := c.pass.TypesInfo.Uses[id].(*types.Builtin); ok && b.Name() == "make" {
				return headerSet{complete: true}
			}
		}
		if fn := c.callee(e); fn != nil {
			if f := c.helperHeader(fn); f != nil {
				return headerSet{complete: true, origin: f.Origin, from: shortName(e) + "()"}
			}
		}
	case *ast.Ident:
		if v, ok := c.pass.TypesInfo.Uses[e].(*types.Var); ok && c.isLocal(fn, v) {
			return c.localHeader(fn, v, sink)
		}
	}
	return headerSet{}
}

// isLocal reports whether v is a variable declared in fn's body (not a
// parameter, result or package variable).
func (c *checker) isLocal(fn inspector.Cursor, v *types.Var) bool {
	var body *ast.BlockStmt
	switch f := fn.Node().(type) {
	case *ast.FuncDecl:
		body = f.Body
	case *ast.FuncLit:
		body = f.Body
	}
	return body != nil && !v.IsField() && body.Pos() <= v.Pos() && v.Pos() < body.End()
}

func (c *checker) literalHeader(lit *ast.CompositeLit) headerSet {
	hs := headerSet{complete: true, lit: lit}
	for i, elt := range lit.Elts {
		kv, ok := elt.(*ast.KeyValueExpr)
		if !ok {
			hs.complete = false
			continue
		}
		key, ok := c.constString(kv.Key)
		if !ok {
			hs.complete = false
			continue
		}
		hs.entries = append(hs.entries, headerEntry{name: key, at: kv, value: singleValue(kv.Value), remove: c.removeElt(lit, i)})
	}
	return hs
}

// singleValue is v itself, or the element of a one-element slice literal.
func singleValue(v ast.Expr) ast.Expr {
	if cl, ok := ast.Unparen(v).(*ast.CompositeLit); ok {
		if len(cl.Elts) == 1 {
			return cl.Elts[0]
		}
		return nil
	}
	return v
}

// headerReads are http.Header methods that neither add keys nor let the
// header escape.
var headerReads = map[string]bool{"Get": true, "Values": true, "Clone": true, "Write": true, "WriteSubset": true, "Del": true}

// localHeader follows a local header variable through its function.
func (c *checker) localHeader(fn inspector.Cursor, v *types.Var, sink ast.Expr) headerSet {
	hs := headerSet{complete: true}
	var init ast.Expr
	defined := false
	for cur := range fn.Preorder((*ast.Ident)(nil)) {
		id := cur.Node().(*ast.Ident)
		if c.pass.TypesInfo.Defs[id] == v {
			init, defined = c.initOf(cur, id)
			continue
		}
		if c.pass.TypesInfo.Uses[id] != v || id == sink {
			continue
		}
		parent := cur.Parent()
		switch p := parent.Node().(type) {
		case *ast.SelectorExpr:
			call, ok := parent.Parent().Node().(*ast.CallExpr)
			if !ok || call.Fun != p {
				hs.complete = false
				continue
			}
			fn := c.callee(call)
			if fn == nil || fn.Pkg() == nil || fn.Pkg().Path() != "net/http" {
				hs.complete = false
				continue
			}
			switch name := fn.Name(); {
			case (name == "Set" || name == "Add") && len(call.Args) == 2:
				key, ok := c.constString(call.Args[0])
				if !ok {
					hs.complete = false
					continue
				}
				at := ast.Node(call)
				var remove []analysis.TextEdit
				if stmt, ok := parent.Parent().Parent().Node().(*ast.ExprStmt); ok {
					at, remove = stmt, c.removeStmt(stmt)
				}
				hs.entries = append(hs.entries, headerEntry{name: http.CanonicalHeaderKey(key), at: at, value: call.Args[1], remove: remove})
			case headerReads[name]:
			default:
				hs.complete = false
			}
		case *ast.IndexExpr:
			assign, ok := parent.Parent().Node().(*ast.AssignStmt)
			if !ok || len(assign.Lhs) != 1 || assign.Lhs[0] != p {
				continue // a read
			}
			key, ok := c.constString(p.Index)
			if !ok {
				hs.complete = false
				continue
			}
			hs.entries = append(hs.entries, headerEntry{name: key, at: assign, value: singleValue(assign.Rhs[0]), remove: c.removeStmt(assign)})
		case *ast.ReturnStmt:
			// Handed back to the caller after the dial, or as a helper's
			// result: keys added later do not reach this dial.
			if innermostFunc(cur) != fn.Node() {
				hs.complete = false
			}
		default:
			// Reassigned, passed on, stored or captured in a way the pass
			// does not follow: keys may be added where it cannot see.
			hs.complete = false
		}
	}
	if !defined {
		return headerSet{}
	}
	if init != nil {
		base := c.resolveHeader(fn, init, init)
		hs.complete = hs.complete && base.complete
		hs.lit, hs.origin, hs.from = base.lit, base.origin, base.from
		hs.entries = append(base.entries, hs.entries...)
	}
	return hs
}

// initOf finds the initial value of the variable defined at id; a nil
// expression means the zero value.
func (c *checker) initOf(cur inspector.Cursor, id *ast.Ident) (ast.Expr, bool) {
	switch p := cur.Parent().Node().(type) {
	case *ast.AssignStmt:
		if p.Tok == token.DEFINE && len(p.Rhs) == 1 && len(p.Lhs) > 1 {
			return c.headerResult(p, id)
		}
		if p.Tok != token.DEFINE || len(p.Lhs) != len(p.Rhs) {
			return nil, false
		}
		for i, l := range p.Lhs {
			if l == id {
				return p.Rhs[i], true
			}
		}
	case *ast.ValueSpec:
		if len(p.Values) == 0 {
			return nil, true
		}
		if len(p.Values) != len(p.Names) {
			return nil, false
		}
		for i, n := range p.Names {
			if n == id {
				return p.Values[i], true
			}
		}
	}
	return nil, false
}

// headerResult is the call in h, err := call() when h is the call's
// first http.Header result: a helper's fact describes that result.
func (c *checker) headerResult(as *ast.AssignStmt, id *ast.Ident) (ast.Expr, bool) {
	call, ok := as.Rhs[0].(*ast.CallExpr)
	if !ok || !isHeaderType(c.pass.TypesInfo.TypeOf(id)) {
		return nil, false
	}
	tuple, ok := c.pass.TypesInfo.TypeOf(call).(*types.Tuple)
	if !ok {
		return nil, false
	}
	for i, l := range as.Lhs {
		if i < tuple.Len() && isHeaderType(tuple.At(i).Type()) {
			if l == id {
				return call, true
			}
			return nil, false
		}
	}
	return nil, false
}

// structSet is what the pass knows about an options or dialer struct.
type structSet struct {
	complete bool
	isNil    bool
	lit      *ast.CompositeLit
	field    ast.Expr // the header field's value in the literal, nil if unset
}

// resolveStruct works out the header field of an options struct (a
// literal, &literal, nil, a local variable holding one, or gobwas's
// DefaultDialer).
func (c *checker) resolveStruct(fn inspector.Cursor, e, sink ast.Expr, field string) structSet {
	e = ast.Unparen(e)
	if c.isNil(e) {
		return structSet{complete: true, isNil: true}
	}
	if u, ok := e.(*ast.UnaryExpr); ok && u.Op == token.AND {
		e = ast.Unparen(u.X)
		if sink == u {
			sink = e // &opts hands opts itself to the library
		}
	}
	switch e := e.(type) {
	case *ast.CompositeLit:
		st := structSet{complete: true, lit: e}
		for _, elt := range e.Elts {
			kv, ok := elt.(*ast.KeyValueExpr)
			if !ok {
				return structSet{}
			}
			if id, ok := kv.Key.(*ast.Ident); ok && id.Name == field {
				st.field = kv.Value
			}
		}
		return st
	case *ast.SelectorExpr:
		if v, ok := c.pass.TypesInfo.Uses[e.Sel].(*types.Var); ok && isDefaultDialer(v) {
			return structSet{complete: true}
		}
	case *ast.Ident:
		v, ok := c.pass.TypesInfo.Uses[e].(*types.Var)
		if !ok {
			return structSet{}
		}
		if isDefaultDialer(v) {
			return structSet{complete: true}
		}
		if c.isLocal(fn, v) {
			return c.localStruct(fn, v, sink, field)
		}
	}
	return structSet{}
}

// isDefaultDialer reports whether v is gobwas's zero DefaultDialer.
func isDefaultDialer(v *types.Var) bool {
	return v.Pkg() != nil && v.Pkg().Path() == "github.com/gobwas/ws" && v.Name() == "DefaultDialer" && v.Parent() == v.Pkg().Scope()
}

// localStruct follows a local options variable: field assignments other
// than the header field are fine, anything else makes it unknown.
func (c *checker) localStruct(fn inspector.Cursor, v *types.Var, sink ast.Expr, field string) structSet {
	var init ast.Expr
	defined := false
	for cur := range fn.Preorder((*ast.Ident)(nil)) {
		id := cur.Node().(*ast.Ident)
		if c.pass.TypesInfo.Defs[id] == v {
			init, defined = c.initOf(cur, id)
			continue
		}
		if c.pass.TypesInfo.Uses[id] != v || id == sink {
			continue
		}
		sel, ok := cur.Parent().Node().(*ast.SelectorExpr)
		if !ok || sel.X != id {
			return structSet{}
		}
		if _, isField := c.pass.TypesInfo.Selections[sel]; !isField {
			return structSet{}
		}
		if c.pass.TypesInfo.Selections[sel].Kind() != types.FieldVal {
			// A method call on the struct, e.g. the Dial being checked.
			if call, ok := cur.Parent().Parent().Node().(*ast.CallExpr); ok && call.Fun == sel {
				if _, ok := c.dialOf(call); ok {
					continue
				}
			}
			return structSet{}
		}
		if sel.Sel.Name == field {
			return structSet{} // the header field is replaced or read elsewhere
		}
	}
	if !defined {
		return structSet{}
	}
	if init == nil {
		if _, isPtr := v.Type().Underlying().(*types.Pointer); isPtr {
			return structSet{} // a nil pointer that is never set: left to the nil case
		}
		return structSet{complete: true} // the zero struct: no header
	}
	st := c.resolveStruct(fn, init, init, field)
	if st.isNil {
		return structSet{}
	}
	return st
}
