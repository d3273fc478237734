package gocheck

import (
	"flag"
	"go/ast"
	"go/token"
	"go/types"
	"slices"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/inspector"
	"golang.org/x/tools/go/types/typeutil"
)

// Doc is the analyzer's documentation; its first line is the title.
const Doc = `check for websocket handshakes that fail or leak

wscheck reports client dials that send no Origin header
(dial-without-origin), a Sec-WebSocket-Key set by hand or a raw handshake
with its own key (hand-built-key), Upgrade, Connection,
Sec-WebSocket-Version or Sec-WebSocket-Extensions set on a header a
websocket library manages (managed-handshake-header), and servers that
accept every Origin (origin-check-disabled). The rule is the diagnostic's
category. Flag -origin-exempt (default "/devtools/") lists substrings of
constant dial URLs that need no Origin.`

// Analyzer runs every Go rule with the default options.
var Analyzer = newAnalyzer()

// originExempt is the value of the -origin-exempt flag.
type originExempt []string

func (o *originExempt) String() string { return strings.Join(*o, ",") }

func (o *originExempt) Set(s string) error {
	*o = nil
	for part := range strings.SplitSeq(s, ",") {
		if part = strings.TrimSpace(part); part != "" {
			*o = append(*o, part)
		}
	}
	return nil
}

func newAnalyzer() *analysis.Analyzer {
	exempt := originExempt{"/devtools/"}
	a := &analysis.Analyzer{
		Name:      "wscheck",
		Doc:       Doc,
		URL:       "https://pkg.go.dev/github.com/wscheck/wscheck/gocheck",
		Requires:  []*analysis.Analyzer{inspect.Analyzer},
		FactTypes: factTypes,
	}
	a.Flags.Init("wscheck", flag.ContinueOnError)
	a.Flags.Var(&exempt, "origin-exempt", "comma-separated substrings of a constant dial URL that need no Origin header")
	a.Run = func(pass *analysis.Pass) (any, error) {
		c := &checker{pass: pass, exempt: slices.Clone(exempt), reported: map[token.Pos]bool{}, paramFates: map[paramKey]fate{}, paramBusy: map[paramKey]bool{}, inParam: map[*ast.FuncDecl]int{}}
		c.run()
		return nil, nil
	}
	return a
}

// libPaths are the packages whose calls the pass looks at; a package
// importing none of them (nor net or net/http, for raw handshakes) is
// skipped.
var libPaths = []string{
	"github.com/gorilla/websocket", "github.com/fasthttp/websocket",
	"github.com/coder/websocket", "nhooyr.io/websocket",
	"golang.org/x/net/websocket", "github.com/gobwas/ws", "github.com/lxzan/gws",
	"net", "net/http",
}

type checker struct {
	pass     *analysis.Pass
	exempt   []string
	reported map[token.Pos]bool // positions already reported, so a raw-handshake scan does not repeat a library finding
	in       *inspector.Inspector
	funcs    funcInfo

	conn       *types.Interface // net.Conn, once looked up
	connLooked bool
	paramFates map[paramKey]fate
	paramBusy  map[paramKey]bool
	inParam    map[*ast.FuncDecl]int // functions whose parameter is being followed
	flowSteps  int                   // steps taken following the current handshake
}

func (c *checker) run() {
	if !slices.ContainsFunc(c.pass.Pkg.Imports(), func(p *types.Package) bool {
		return slices.Contains(libPaths, p.Path())
	}) {
		return
	}
	in := c.pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)
	c.in = in
	c.indexFuncs()
	c.exportFacts()
	for fileCur := range in.Root().Preorder((*ast.File)(nil)) {
		file := fileCur.Node().(*ast.File)
		if c.browserOnly(file) {
			continue
		}
		for cur := range fileCur.Preorder((*ast.CallExpr)(nil), (*ast.CompositeLit)(nil), (*ast.AssignStmt)(nil)) {
			switch n := cur.Node().(type) {
			case *ast.CallExpr:
				c.checkCall(cur, file, n)
			case *ast.CompositeLit:
				c.checkServerLit(n)
			case *ast.AssignStmt:
				c.checkServerAssign(n)
			}
		}
		for fn := range fileCur.Preorder((*ast.FuncDecl)(nil)) {
			c.checkRaw(fn)
		}
	}
}

// callee is the function or method a call invokes, or nil.
func (c *checker) callee(call *ast.CallExpr) *types.Func {
	fn, _ := typeutil.Callee(c.pass.TypesInfo, call).(*types.Func)
	return fn
}

func (c *checker) report(rule string, node ast.Node, msg string, fixes ...analysis.SuggestedFix) {
	c.reported[node.Pos()] = true
	c.pass.Report(analysis.Diagnostic{
		Pos:            node.Pos(),
		End:            node.End(),
		Category:       rule,
		Message:        msg,
		SuggestedFixes: fixes,
	})
}

// constString is the value of a constant string expression.
func (c *checker) constString(e ast.Expr) (string, bool) {
	tv, ok := c.pass.TypesInfo.Types[e]
	if !ok || tv.Value == nil {
		return "", false
	}
	s, ok := constantString(tv.Value)
	return s, ok
}

// enclosingFunc is the outermost function around cur: every use of a
// local variable lies inside it, closures included.
func enclosingFunc(cur inspector.Cursor) (inspector.Cursor, bool) {
	var out inspector.Cursor
	found := false
	for f := range cur.Enclosing((*ast.FuncDecl)(nil), (*ast.FuncLit)(nil)) {
		out, found = f, true
	}
	return out, found
}
