package gocheck

import (
	"go/ast"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/inspector"
)

// Facts carry what one function of the module does with handshake
// headers to the packages that call it, so a helper or a wrapper in one
// package is judged at its call in another.

// returnsHeader is exported for a function whose http.Header result has
// keys the pass can read on every return path.
type returnsHeader struct {
	Origin bool // some return path sets Origin
}

func (*returnsHeader) AFact() {}
func (f *returnsHeader) String() string {
	return "returnsHeader" + map[bool]string{true: "(Origin)"}[f.Origin]
}

// dialForward is exported for a function that hands one of its
// parameters, or a field of its receiver, unchanged to a client dial: the
// dial is judged where the function is called.
type dialForward struct {
	Dial     string // the dials key of the library call at the end of the chain
	Param    int    // index of the parameter carrying the header or options; -1: the receiver's field
	Field    string // with Param -1, the receiver's field holding them
	URL      int    // index of the URL parameter, or -1
	URLConst string // the constant URL dialled, when the function fixes it
	Via      string // the function called, for messages
}

func (*dialForward) AFact()           {}
func (f *dialForward) String() string { return "dialForward(" + f.Dial + ")" }

// verifiesAccept is exported for a function that is handed a response and
// reads its Sec-WebSocket-Accept, itself or through the functions it
// calls.
type verifiesAccept struct {
	Param int // index of the response (or header) parameter
}

func (*verifiesAccept) AFact()         {}
func (*verifiesAccept) String() string { return "verifiesAccept" }

// factTypes are the analyzer's FactTypes.
var factTypes = []analysis.Fact{new(returnsHeader), new(dialForward), new(verifiesAccept)}

// funcInfo is the memo of facts for this package's functions.
type funcInfo struct {
	decls   map[*types.Func]*ast.FuncDecl
	header  map[*types.Func]*returnsHeader // nil value: unknown
	forward map[*types.Func]*dialForward
	accept  map[*types.Func]bool
	busy    map[*types.Func]bool // being computed: a recursive call is unknown
}

// indexFuncs records the package's function declarations.
func (c *checker) indexFuncs() {
	c.funcs = funcInfo{
		decls:   map[*types.Func]*ast.FuncDecl{},
		header:  map[*types.Func]*returnsHeader{},
		forward: map[*types.Func]*dialForward{},
		accept:  map[*types.Func]bool{},
		busy:    map[*types.Func]bool{},
	}
	for _, f := range c.pass.Files {
		for _, d := range f.Decls {
			if fd, ok := d.(*ast.FuncDecl); ok && fd.Body != nil {
				if fn, ok := c.pass.TypesInfo.Defs[fd.Name].(*types.Func); ok {
					c.funcs.decls[fn] = fd
				}
			}
		}
	}
}

// exportFacts computes and exports the facts of every function declared
// in the package.
func (c *checker) exportFacts() {
	for fn := range c.funcs.decls {
		if f := c.helperHeader(fn); f != nil {
			c.pass.ExportObjectFact(fn, f)
		}
		if f := c.forwardOf(fn); f != nil {
			c.pass.ExportObjectFact(fn, f)
		}
		if c.verifies(fn) {
			c.pass.ExportObjectFact(fn, &verifiesAccept{Param: responseParam(fn.Signature())})
		}
	}
}

func (c *checker) cursorOf(n ast.Node) (inspector.Cursor, bool) {
	return c.in.Root().FindNode(n)
}

// helperHeader is what fn returns as its http.Header, or nil when that is
// unknown.
func (c *checker) helperHeader(fn *types.Func) *returnsHeader {
	fn = fn.Origin()
	if fn.Pkg() != c.pass.Pkg {
		f := new(returnsHeader)
		if c.pass.ImportObjectFact(fn, f) {
			return f
		}
		return nil
	}
	if f, ok := c.funcs.header[fn]; ok {
		return f
	}
	if c.funcs.busy[fn] {
		return nil
	}
	c.funcs.busy[fn] = true
	f := c.computeHelperHeader(fn)
	delete(c.funcs.busy, fn)
	c.funcs.header[fn] = f
	return f
}

func (c *checker) computeHelperHeader(fn *types.Func) *returnsHeader {
	fd := c.funcs.decls[fn]
	if fd == nil {
		return nil
	}
	results := fn.Signature().Results()
	idx := -1
	for i := range results.Len() {
		if isHeaderType(results.At(i).Type()) {
			idx = i
			break
		}
	}
	if idx < 0 {
		return nil
	}
	cur, ok := c.cursorOf(fd)
	if !ok {
		return nil
	}
	f := &returnsHeader{}
	known := true
	for rc := range cur.Preorder((*ast.ReturnStmt)(nil)) {
		if innermostFunc(rc) != fd {
			continue // a closure's return
		}
		ret := rc.Node().(*ast.ReturnStmt)
		if len(ret.Results) != results.Len() {
			known = false // a bare return or return f()
			break
		}
		hs := c.resolveHeader(cur, ret.Results[idx], ret.Results[idx])
		if !hs.complete {
			known = false
			break
		}
		f.Origin = f.Origin || hs.hasOrigin()
	}
	if !known {
		return nil
	}
	return f
}

func isHeaderType(t types.Type) bool {
	n, ok := t.(*types.Named)
	return ok && n.Obj().Pkg() != nil && n.Obj().Pkg().Path() == "net/http" && n.Obj().Name() == "Header"
}

// innermostFunc is the function declaration or literal around cur.
func innermostFunc(cur inspector.Cursor) ast.Node {
	for f := range cur.Enclosing((*ast.FuncDecl)(nil), (*ast.FuncLit)(nil)) {
		return f.Node()
	}
	return nil
}

// forwardOf is the dial fn hands its parameter or receiver field to, or nil.
func (c *checker) forwardOf(fn *types.Func) *dialForward {
	fn = fn.Origin()
	if fn.Pkg() != c.pass.Pkg {
		f := new(dialForward)
		if c.pass.ImportObjectFact(fn, f) {
			return f
		}
		return nil
	}
	if f, ok := c.funcs.forward[fn]; ok {
		return f
	}
	if c.funcs.busy[fn] {
		return nil
	}
	c.funcs.busy[fn] = true
	f := c.computeForward(fn)
	delete(c.funcs.busy, fn)
	c.funcs.forward[fn] = f
	return f
}

func (c *checker) computeForward(fn *types.Func) *dialForward {
	fd := c.funcs.decls[fn]
	if fd == nil {
		return nil
	}
	cur, ok := c.cursorOf(fd)
	if !ok {
		return nil
	}
	sig := fn.Signature()
	var out *dialForward
	for cc := range cur.Preorder((*ast.CallExpr)(nil)) {
		call := cc.Node().(*ast.CallExpr)
		spec, ok := c.dialOf(call)
		if !ok || spec.kind == noHeader || spec.kind == originArg {
			continue
		}
		carrier := spec.carrier(call)
		if carrier == nil {
			continue
		}
		f := &dialForward{Dial: spec.key, URL: -1, Via: funcLabel(fn)}
		switch x := ast.Unparen(carrier).(type) {
		case *ast.Ident:
			v, ok := c.pass.TypesInfo.Uses[x].(*types.Var)
			if !ok {
				continue
			}
			i := paramIndex(sig, v)
			if i < 0 || !c.untouched(cur, v, x) {
				continue
			}
			f.Param = i
		case *ast.SelectorExpr:
			recv, ok := ast.Unparen(x.X).(*ast.Ident)
			if !ok || sig.Recv() == nil || c.pass.TypesInfo.Uses[recv] != sig.Recv() {
				continue
			}
			if sel, ok := c.pass.TypesInfo.Selections[x]; !ok || sel.Kind() != types.FieldVal || !c.fieldUntouched(cur, sig.Recv(), x) {
				continue
			}
			f.Param, f.Field = -1, x.Sel.Name
		default:
			continue
		}
		if u := spec.urlExpr(call); u != nil {
			if s, ok := c.constString(u); ok {
				f.URLConst = s
			} else if id, ok := ast.Unparen(u).(*ast.Ident); ok {
				if v, ok := c.pass.TypesInfo.Uses[id].(*types.Var); ok {
					f.URL = paramIndex(sig, v)
				}
			}
		}
		if out != nil && *out != *f {
			return nil // two different dials: no single one to judge at the call
		}
		out = f
	}
	return out
}

func funcLabel(fn *types.Func) string {
	if r := fn.Signature().Recv(); r != nil {
		t := r.Type()
		ptr := ""
		if p, ok := t.(*types.Pointer); ok {
			t, ptr = p.Elem(), "*"
		}
		if n, ok := t.(*types.Named); ok {
			if ptr != "" {
				return "(*" + n.Obj().Name() + ")." + fn.Name()
			}
			return n.Obj().Name() + "." + fn.Name()
		}
	}
	return fn.Name()
}

func paramIndex(sig *types.Signature, v *types.Var) int {
	for i := range sig.Params().Len() {
		if sig.Params().At(i) == v {
			return i
		}
	}
	return -1
}

// untouched reports whether every use of v in fn other than sink only
// reads it, so what the caller passed reaches the dial unchanged.
func (c *checker) untouched(fn inspector.Cursor, v *types.Var, sink ast.Expr) bool {
	for cur := range fn.Preorder((*ast.Ident)(nil)) {
		id := cur.Node().(*ast.Ident)
		if c.pass.TypesInfo.Uses[id] != v || id == sink {
			continue
		}
		if call, ok := cur.Parent().Node().(*ast.CallExpr); ok && call.Fun != id {
			if _, ok := c.dialOf(call); ok {
				continue // another dial with the same header
			}
		}
		if !c.readOnlyUse(cur) {
			return false
		}
	}
	return true
}

// readOnlyUse reports whether the expression at cur is only read: compared
// with nil, or the receiver of a Header read (Get, Values).
func (c *checker) readOnlyUse(cur inspector.Cursor) bool {
	switch p := cur.Parent().Node().(type) {
	case *ast.BinaryExpr:
		return p.Op == token.EQL || p.Op == token.NEQ
	case *ast.SelectorExpr:
		call, ok := cur.Parent().Parent().Node().(*ast.CallExpr)
		if !ok || call.Fun != p {
			return false
		}
		fn := c.callee(call)
		return fn != nil && (fn.FullName() == "(net/http.Header).Get" || fn.FullName() == "(net/http.Header).Values")
	}
	return false
}

// fieldUntouched reports whether fn uses its receiver only to read fields,
// and reads the field of sink nowhere else: no method of the receiver
// runs, so nothing in fn changes the header before the dial.
func (c *checker) fieldUntouched(fn inspector.Cursor, recv *types.Var, sink *ast.SelectorExpr) bool {
	for cur := range fn.Preorder((*ast.Ident)(nil)) {
		id := cur.Node().(*ast.Ident)
		if c.pass.TypesInfo.Uses[id] != recv {
			continue
		}
		sel, ok := cur.Parent().Node().(*ast.SelectorExpr)
		if !ok || sel.X != id {
			return false // the receiver is passed on
		}
		if s, ok := c.pass.TypesInfo.Selections[sel]; !ok || s.Kind() != types.FieldVal {
			return false // a method of the receiver runs
		}
		if sel == sink || sel.Sel.Name != sink.Sel.Name {
			continue
		}
		if !c.readOnlyUse(cur.Parent()) {
			return false
		}
	}
	return true
}

// verifies reports whether fn is handed a response (an *http.Response or
// an http.Header) and reads its Sec-WebSocket-Accept, itself or through a
// function it hands it to. A library's Dial verifies its own handshake,
// not its caller's, and takes no response.
func (c *checker) verifies(fn *types.Func) bool {
	fn = fn.Origin()
	if _, isDial := dials[fn.FullName()]; isDial || !takesResponse(fn.Signature()) {
		return false
	}
	if fn.Pkg() != c.pass.Pkg {
		return c.pass.ImportObjectFact(fn, new(verifiesAccept))
	}
	if v, ok := c.funcs.accept[fn]; ok {
		return v
	}
	fd := c.funcs.decls[fn]
	if fd == nil || c.funcs.busy[fn] {
		return false
	}
	c.funcs.busy[fn] = true
	v := c.bodyVerifies(fd.Body)
	delete(c.funcs.busy, fn)
	c.funcs.accept[fn] = v
	return v
}

func takesResponse(sig *types.Signature) bool { return responseParam(sig) >= 0 }

// responseParam is the index of the first *http.Response or http.Header
// parameter, or -1.
func responseParam(sig *types.Signature) int {
	for i := range sig.Params().Len() {
		t := sig.Params().At(i).Type()
		if isHeaderType(t) || typeName(t) == "net/http.Response" {
			return i
		}
	}
	return -1
}

// bodyVerifies reports whether a function body reads a response's
// Sec-WebSocket-Accept (Header.Get, Values or an index), or hands a
// response to a function that does.
func (c *checker) bodyVerifies(body ast.Node) bool {
	if c.readsAccept(body) {
		return true
	}
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		if call, ok := n.(*ast.CallExpr); ok && !found {
			if fn := c.callee(call); fn != nil {
				found = c.verifies(fn)
			}
		}
		return !found
	})
	return found
}

func (c *checker) isAccept(e ast.Expr) bool {
	s, ok := c.constString(e)
	return ok && strings.EqualFold(s, "Sec-WebSocket-Accept")
}
