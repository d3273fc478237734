package gocheck

import (
	"go/ast"
	"go/token"
	"go/types"
	"slices"
	"strings"

	"golang.org/x/tools/go/ast/inspector"
)

// Where a hand-built handshake goes decides whether it is a client's
// handshake at all: a request handed to a handler, an Upgrader or a
// server's reader is test input for the code under test, and a header
// that only serves as an expected value is never sent. The pass follows
// the request (or raw text, or header) through the function, and through
// the callers of a function that returns it, and keeps every finding
// whose data may reach a client: a dial, a connection, an http.Client.

// fate is the set of places a handshake's data reaches.
type fate uint8

const (
	fateServer   fate = 1 << iota // handed to server code: a handler, an upgrader, http.ReadRequest
	fateTable                     // stored in a table of test cases
	fateExpected                  // compared with another value
	fateStripped                  // handed to a function that deletes Sec-WebSocket-Key first
	fateSent                      // written to a connection or sent by a client
	fateUnknown                   // somewhere the pass does not follow
	fateReturned                  // a parameter returned by the function it is followed in
)

// testOnly reports whether data with this fate provably never reaches a
// client. Data stored in a table counts only when the function sends
// nothing at all (sends false).
func (f fate) testOnly(sends bool) bool {
	if f&(fateSent|fateUnknown) != 0 {
		return false
	}
	return f&(fateServer|fateExpected|fateStripped) != 0 || (f&fateTable != 0 && !sends)
}

const (
	maxFlowDepth = 12
	// maxFlowSteps bounds the work for one handshake: past it the data's
	// fate is unknown, so the finding stays and the pass never stalls.
	maxFlowSteps = 5000
)

// traced runs one handshake's flow analysis with a fresh step budget.
func (c *checker) traced(f func() fate) fate {
	c.flowSteps = 0
	return f()
}

// fateOfExpr follows the value of the expression at cur upwards: into the
// call, literal, assignment or return that uses it.
func (c *checker) fateOfExpr(cur inspector.Cursor, depth int) fate {
	c.flowSteps++
	if depth > maxFlowDepth || c.flowSteps > maxFlowSteps {
		return fateUnknown
	}
	node := cur.Node()
	parent := cur.Parent()
	up := func() fate { return c.fateOfExpr(parent, depth+1) }
	switch p := parent.Node().(type) {
	case *ast.ParenExpr, *ast.StarExpr:
		return up()
	case *ast.UnaryExpr:
		if p.Op == token.AND {
			return up()
		}
		return fateUnknown
	case *ast.BinaryExpr:
		switch p.Op {
		case token.ADD:
			return up() // text concatenated into a longer request
		case token.EQL, token.NEQ:
			return fateExpected
		}
		return fateUnknown
	case *ast.KeyValueExpr:
		if p.Value != node {
			return 0
		}
		return c.fateInLiteral(parent.Parent(), depth)
	case *ast.CompositeLit:
		return c.fateInLiteral(parent, depth)
	case *ast.CallExpr:
		if p.Fun == node {
			return fateUnknown
		}
		return c.fateAsArg(parent, node.(ast.Expr), depth)
	case *ast.SelectorExpr:
		return c.fateOfSelector(parent, depth)
	case *ast.AssignStmt:
		if len(p.Lhs) != len(p.Rhs) {
			return fateUnknown
		}
		for i, r := range p.Rhs {
			if r == node {
				return c.fateOfStore(cur, p.Lhs[i], depth)
			}
		}
		return 0 // assigned to: the old value is gone
	case *ast.ValueSpec:
		for i, v := range p.Values {
			if v == node && len(p.Names) == len(p.Values) {
				if obj, ok := c.pass.TypesInfo.Defs[p.Names[i]].(*types.Var); ok {
					return c.fateOfVar(cur, obj, depth)
				}
			}
		}
		return fateUnknown
	case *ast.ReturnStmt:
		return c.fateOfReturn(cur, depth)
	case *ast.ExprStmt:
		return 0
	case *ast.IfStmt, *ast.SwitchStmt:
		return 0 // a condition
	}
	return fateUnknown
}

// fateInLiteral: data stored in a composite literal goes where the
// literal goes if the literal is a struct (an http.Request, or a wrapper
// of the test's making); a slice or map of them is a table of cases.
func (c *checker) fateInLiteral(lit inspector.Cursor, depth int) fate {
	t := c.pass.TypesInfo.TypeOf(lit.Node().(ast.Expr))
	if t == nil {
		return fateUnknown
	}
	switch t.Underlying().(type) {
	case *types.Struct:
		return c.fateOfExpr(lit, depth+1)
	case *types.Slice, *types.Array, *types.Map:
		if isHeaderType(t) {
			return c.fateOfExpr(lit, depth+1) // a header value list
		}
		return fateTable
	}
	return fateUnknown
}

// fateOfSelector: x.Header carries the key, other fields do not; a
// method called on the data decides by what it does.
func (c *checker) fateOfSelector(selCur inspector.Cursor, depth int) fate {
	sel := selCur.Node().(*ast.SelectorExpr)
	s, ok := c.pass.TypesInfo.Selections[sel]
	if !ok {
		return 0
	}
	if s.Kind() == types.FieldVal {
		if sel.Sel.Name == "Header" || isHeaderType(s.Type()) {
			return c.fateOfExpr(selCur, depth+1)
		}
		return 0
	}
	call, ok := selCur.Parent().Node().(*ast.CallExpr)
	if !ok || call.Fun != sel {
		return fateUnknown // a method value
	}
	fn, _ := s.Obj().(*types.Func)
	if fn == nil {
		return fateUnknown
	}
	switch fn.FullName() {
	case "(*net/http.Request).Write", "(*net/http.Request).WriteProxy":
		return fateSent
	case "(*net/http.Request).WithContext", "(*net/http.Request).Clone", "(net/http.Header).Clone":
		return c.fateOfExpr(selCur.Parent(), depth+1)
	case "(net/http.Header).Set", "(net/http.Header).Add", "(net/http.Header).Get", "(net/http.Header).Del", "(net/http.Header).Values":
		return 0
	}
	return fateUnknown
}

// fateAsArg: a call that takes the data as an argument.
func (c *checker) fateAsArg(callCur inspector.Cursor, arg ast.Expr, depth int) fate {
	call := callCur.Node().(*ast.CallExpr)
	if tv, ok := c.pass.TypesInfo.Types[call.Fun]; ok && tv.IsType() {
		return c.fateOfExpr(callCur, depth+1) // a conversion such as []byte(s)
	}
	if _, ok := c.dialOf(call); ok {
		return fateSent
	}
	fn := c.callee(call)
	if fn == nil {
		return fateUnknown
	}
	sig := fn.Signature()
	switch name := fn.FullName(); {
	case name == "(*net/http.Client).Do", name == "(*net/http.Transport).RoundTrip", name == "(net/http.RoundTripper).RoundTrip":
		return fateSent
	case name == "net/http.ReadRequest":
		return fateServer // the server side of a connection reads it
	case name == "reflect.DeepEqual", fn.Pkg() != nil && comparePkgs[fn.Pkg().Path()]:
		return fateExpected
	case fn.Pkg() != nil && fn.Pkg().Path() == "testing":
		return 0 // logged by the test
	case name == "fmt.Fprintf", name == "fmt.Fprint", name == "fmt.Fprintln", name == "io.WriteString", name == "io.Copy":
		if len(call.Args) > 0 && arg != call.Args[0] && c.isConn(call.Args[0]) {
			return fateSent
		}
		return fateUnknown
	case fn.Name() == "Write" || fn.Name() == "WriteString":
		if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok && c.isConn(sel.X) {
			return fateSent
		}
		return fateUnknown
	}
	if takesResponseWriter(sig) {
		return fateServer // a handler, an upgrader, a proxy under test
	}
	if fd := c.funcs.decls[fn.Origin()]; fd != nil {
		// A function of this package: follow the parameter inside it.
		if c.stripsKey(fd) {
			return fateStripped
		}
		i := slices.Index(call.Args, arg)
		if i < 0 || sig.Variadic() && i >= sig.Params().Len()-1 || i >= sig.Params().Len() {
			return fateUnknown
		}
		f := c.fateOfParam(fn.Origin(), fd, i, depth)
		if f&fateReturned != 0 {
			// Handed back: it goes where this call's result goes.
			f = f&^fateReturned | c.fateOfResult(callCur, depth+1)
		}
		return f
	}
	if sig.Results().Len() == 1 {
		// A constructor or wrapper: its result carries the data on.
		return c.fateOfExpr(callCur, depth+1)
	}
	return fateUnknown
}

// comparePkgs hold the comparison helpers of tests.
var comparePkgs = map[string]bool{
	"github.com/google/go-cmp/cmp":        true,
	"github.com/stretchr/testify/assert":  true,
	"github.com/stretchr/testify/require": true,
}

func takesResponseWriter(sig *types.Signature) bool {
	for i := range sig.Params().Len() {
		if typeName(sig.Params().At(i).Type()) == "net/http.ResponseWriter" {
			return true
		}
	}
	return false
}

// isConn reports whether e's type implements net.Conn.
func (c *checker) isConn(e ast.Expr) bool {
	t := c.pass.TypesInfo.TypeOf(e)
	conn := c.netConn()
	return t != nil && conn != nil && types.Implements(t, conn)
}

// netConn is the net.Conn interface, if the package can see net.
func (c *checker) netConn() *types.Interface {
	if c.conn != nil || c.connLooked {
		return c.conn
	}
	c.connLooked = true
	seen := map[*types.Package]bool{}
	var find func(p *types.Package) *types.Interface
	find = func(p *types.Package) *types.Interface {
		if seen[p] {
			return nil
		}
		seen[p] = true
		if p.Path() == "net" {
			if obj := p.Scope().Lookup("Conn"); obj != nil {
				i, _ := obj.Type().Underlying().(*types.Interface)
				return i
			}
			return nil
		}
		for _, q := range p.Imports() {
			if i := find(q); i != nil {
				return i
			}
		}
		return nil
	}
	c.conn = find(c.pass.Pkg)
	return c.conn
}

// fateOfStore: data assigned to a variable goes where the variable goes;
// assigned to a request's Header it goes where the request goes.
func (c *checker) fateOfStore(at inspector.Cursor, lhs ast.Expr, depth int) fate {
	switch l := ast.Unparen(lhs).(type) {
	case *ast.Ident:
		if v, ok := c.pass.TypesInfo.ObjectOf(l).(*types.Var); ok {
			return c.fateOfVar(at, v, depth)
		}
	case *ast.SelectorExpr:
		if l.Sel.Name != "Header" {
			return fateUnknown
		}
		if id, ok := ast.Unparen(l.X).(*ast.Ident); ok {
			if v, ok := c.pass.TypesInfo.Uses[id].(*types.Var); ok {
				return c.fateOfVar(at, v, depth)
			}
		}
	}
	return fateUnknown
}

// fateOfVar is the union of where every use of a local variable takes
// its value. A parameter, a field or a package variable is unknown: the
// caller or another function may send it. A request made by
// httptest.NewRequest is an incoming server request: net/http's client
// refuses to send it (its RequestURI is set), so only an explicit write
// to a connection sends it.
func (c *checker) fateOfVar(at inspector.Cursor, v *types.Var, depth int) fate {
	fn, ok := enclosingFunc(at)
	if !ok || !c.isLocal(fn, v) {
		return fateUnknown
	}
	var f fate
	incoming := false
	for cur := range fn.Preorder((*ast.Ident)(nil)) {
		id := cur.Node().(*ast.Ident)
		if c.pass.TypesInfo.Defs[id] == v {
			if init, ok := c.initOf(cur, id); ok && init != nil {
				incoming = incoming || c.isIncomingRequest(init)
			}
			continue
		}
		if c.pass.TypesInfo.Uses[id] != v {
			continue
		}
		if as, ok := cur.Parent().Node().(*ast.AssignStmt); ok && slices.Contains(as.Lhs, ast.Expr(id)) {
			if len(as.Lhs) == len(as.Rhs) {
				for i, l := range as.Lhs {
					if l == id {
						incoming = incoming || c.isIncomingRequest(as.Rhs[i])
					}
				}
			}
			continue
		}
		f |= c.fateOfExpr(cur, depth+1)
	}
	if incoming && f&fateSent == 0 {
		f = f&^fateUnknown | fateServer
	}
	return f
}

// fateOfParam is where parameter i of a function of this package takes
// its value; a recursive path is unknown.
func (c *checker) fateOfParam(fn *types.Func, fd *ast.FuncDecl, i int, depth int) fate {
	key := paramKey{fn, i}
	if f, ok := c.paramFates[key]; ok {
		return f
	}
	if c.paramBusy[key] {
		return fateUnknown
	}
	cur, ok := c.cursorOf(fd)
	if !ok {
		return fateUnknown
	}
	c.paramBusy[key] = true
	c.inParam[fd]++
	defer func() { c.inParam[fd]-- }()
	v := fn.Signature().Params().At(i)
	var f fate
	for idCur := range cur.Preorder((*ast.Ident)(nil)) {
		id := idCur.Node().(*ast.Ident)
		if c.pass.TypesInfo.Uses[id] != v {
			continue
		}
		if as, ok := idCur.Parent().Node().(*ast.AssignStmt); ok && slices.Contains(as.Lhs, ast.Expr(id)) {
			continue
		}
		f |= c.fateOfExpr(idCur, depth+1)
	}
	delete(c.paramBusy, key)
	c.paramFates[key] = f
	return f
}

type paramKey struct {
	fn *types.Func
	i  int
}

// stripsKey reports whether fd deletes Sec-WebSocket-Key from a header
// (Del with the key, or with each name of a constant list holding it), as
// a proxy does before it dials with a copy of the request's headers.
func (c *checker) stripsKey(fd *ast.FuncDecl) bool {
	found := false
	ast.Inspect(fd.Body, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok || found || len(call.Args) != 1 {
			return !found
		}
		if fn := c.callee(call); fn == nil || fn.FullName() != "(net/http.Header).Del" {
			return true
		}
		if s, ok := c.constString(call.Args[0]); ok {
			found = strings.EqualFold(s, "Sec-WebSocket-Key")
			return !found
		}
		found = c.rangesOverKey(fd.Body, call.Args[0])
		return !found
	})
	return found
}

// rangesOverKey reports whether e is the value of a range over a list of
// constant names that holds Sec-WebSocket-Key (a package-level slice
// literal, or one written in place).
func (c *checker) rangesOverKey(body ast.Node, e ast.Expr) bool {
	id, ok := ast.Unparen(e).(*ast.Ident)
	if !ok {
		return false
	}
	v := c.pass.TypesInfo.Uses[id]
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		rs, ok := n.(*ast.RangeStmt)
		if !ok || found {
			return !found
		}
		if val, ok := rs.Value.(*ast.Ident); !ok || c.pass.TypesInfo.Defs[val] != v {
			return true
		}
		lit, _ := ast.Unparen(rs.X).(*ast.CompositeLit)
		if x, ok := ast.Unparen(rs.X).(*ast.Ident); ok {
			lit = c.packageLiteral(x)
		}
		if lit != nil {
			for _, elt := range lit.Elts {
				if s, ok := c.constString(elt); ok && strings.EqualFold(s, "Sec-WebSocket-Key") {
					found = true
				}
			}
		}
		return !found
	})
	return found
}

// packageLiteral is the composite literal a package variable of this
// package is initialised with. Later assignments are not looked for: a
// list of header names is not rewritten in practice.
func (c *checker) packageLiteral(id *ast.Ident) *ast.CompositeLit {
	v, ok := c.pass.TypesInfo.Uses[id].(*types.Var)
	if !ok || v.Pkg() != c.pass.Pkg || v.Parent() != c.pass.Pkg.Scope() {
		return nil
	}
	for _, f := range c.pass.Files {
		for _, d := range f.Decls {
			gd, ok := d.(*ast.GenDecl)
			if !ok {
				continue
			}
			for _, s := range gd.Specs {
				vs, ok := s.(*ast.ValueSpec)
				if !ok || len(vs.Names) != len(vs.Values) {
					continue
				}
				for i, n := range vs.Names {
					if c.pass.TypesInfo.Defs[n] == v {
						lit, _ := ast.Unparen(vs.Values[i]).(*ast.CompositeLit)
						return lit
					}
				}
			}
		}
	}
	return nil
}

func (c *checker) isIncomingRequest(e ast.Expr) bool {
	call, ok := ast.Unparen(e).(*ast.CallExpr)
	if !ok {
		return false
	}
	fn := c.callee(call)
	return fn != nil && (fn.FullName() == "net/http/httptest.NewRequest" || fn.FullName() == "net/http/httptest.NewRequestWithContext")
}

// fateOfReturn follows a returned value into the package's calls of the
// function returning it; with no caller in the package it is unknown.
func (c *checker) fateOfReturn(ret inspector.Cursor, depth int) fate {
	fdCur, ok := enclosingFunc(ret)
	if !ok || innermostFunc(ret) != fdCur.Node() {
		return fateUnknown
	}
	fd, ok := fdCur.Node().(*ast.FuncDecl)
	if !ok {
		return fateUnknown
	}
	if c.inParam[fd] > 0 {
		return fateReturned // the call being followed continues with the result
	}
	fn, ok := c.pass.TypesInfo.Defs[fd.Name].(*types.Func)
	if !ok || fn.Signature().Results().Len() > 2 || fn.Exported() && !c.isTestFile(fd) {
		// An exported function's callers live in other packages too.
		return fateUnknown
	}
	var f fate
	calls := 0
	for cur := range c.in.Root().Preorder((*ast.CallExpr)(nil)) {
		call := cur.Node().(*ast.CallExpr)
		if c.callee(call) != fn {
			continue
		}
		calls++
		f |= c.fateOfResult(cur, depth+1)
	}
	if calls == 0 {
		return fateUnknown
	}
	return f
}

// fateOfResult follows the first result of a call, as in
// req := build(t) or req, err := build().
func (c *checker) fateOfResult(callCur inspector.Cursor, depth int) fate {
	if as, ok := callCur.Parent().Node().(*ast.AssignStmt); ok && len(as.Rhs) == 1 && len(as.Lhs) > 1 {
		if id, ok := as.Lhs[0].(*ast.Ident); ok {
			if v, ok := c.pass.TypesInfo.ObjectOf(id).(*types.Var); ok {
				return c.fateOfVar(callCur, v, depth)
			}
		}
		return fateUnknown
	}
	return c.fateOfExpr(callCur, depth)
}

func (c *checker) isTestFile(n ast.Node) bool {
	tf := c.pass.Fset.File(n.Pos())
	return tf != nil && strings.HasSuffix(tf.Name(), "_test.go")
}
