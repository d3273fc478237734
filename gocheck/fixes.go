package gocheck

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/types"
	"strconv"
	"strings"

	"golang.org/x/tools/go/analysis"
)

// Fixes use narrow text edits so the rest of the code keeps its layout.

func removeFix(msg string, edits []analysis.TextEdit) []analysis.SuggestedFix {
	if len(edits) == 0 {
		return nil
	}
	return []analysis.SuggestedFix{{Message: msg, TextEdits: edits}}
}

// removeElt deletes element i of a composite literal with its comma, or
// its whole line when it has one to itself.
func (c *checker) removeElt(lit *ast.CompositeLit, i int) []analysis.TextEdit {
	if edits := c.removeLine(lit.Elts[i], true); edits != nil {
		return edits
	}
	elts := lit.Elts
	switch {
	case len(elts) == 1:
		return []analysis.TextEdit{{Pos: lit.Lbrace + 1, End: lit.Rbrace}}
	case i < len(elts)-1:
		return []analysis.TextEdit{{Pos: elts[i].Pos(), End: elts[i+1].Pos()}}
	}
	return []analysis.TextEdit{{Pos: elts[i-1].End(), End: elts[i].End()}}
}

// removeStmt deletes a statement with its line when it stands alone on
// that line (a trailing comment goes with it); otherwise it offers no fix.
func (c *checker) removeStmt(stmt ast.Stmt) []analysis.TextEdit {
	return c.removeLine(stmt, false)
}

// removeLine deletes the line holding only n, optionally followed by a
// comma, and a trailing comment; nil when anything else shares the line.
func (c *checker) removeLine(n ast.Node, comma bool) []analysis.TextEdit {
	tf := c.pass.Fset.File(n.Pos())
	if tf == nil {
		return nil
	}
	src, err := c.pass.ReadFile(tf.Name())
	if err != nil {
		return nil
	}
	start, end := tf.Offset(n.Pos()), tf.Offset(n.End())
	for start > 0 && (src[start-1] == ' ' || src[start-1] == '\t') {
		start--
	}
	if start > 0 && src[start-1] != '\n' {
		return nil
	}
	rest := src[end:]
	if nl := bytes.IndexByte(rest, '\n'); nl >= 0 {
		rest = rest[:nl+1]
	}
	tail := strings.TrimLeft(string(rest), " \t")
	if comma {
		tail = strings.TrimLeft(strings.TrimPrefix(tail, ","), " \t")
	}
	if tail != "" && tail != "\n" && !strings.HasPrefix(tail, "//") {
		return nil
	}
	return []analysis.TextEdit{{Pos: tf.Pos(start), End: tf.Pos(end + len(rest))}}
}

// httpName is the name the file imports net/http under, if usable.
func httpName(file *ast.File) (string, bool) {
	for _, imp := range file.Imports {
		if p, _ := strconv.Unquote(imp.Path.Value); p != "net/http" {
			continue
		}
		if imp.Name == nil {
			return "http", true
		}
		if n := imp.Name.Name; n != "_" && n != "." {
			return n, true
		}
	}
	return "", false
}

// originHeader spells a header literal carrying the Origin for the dial.
func (d *dial) originHeader() (string, bool) {
	o, ok := d.originFor()
	if !ok {
		return "", false
	}
	h, ok := httpName(d.file)
	if !ok {
		return "", false
	}
	return fmt.Sprintf("%s.Header{\"Origin\": {%q}}", h, o), true
}

func (d *dial) originFix(edits ...analysis.TextEdit) []analysis.SuggestedFix {
	o, _ := d.originFor()
	return []analysis.SuggestedFix{{Message: "Send the Origin " + o, TextEdits: edits}}
}

// nilHeaderFix replaces a nil header argument with one carrying Origin.
func (d *dial) nilHeaderFix(at ast.Node) []analysis.SuggestedFix {
	h, ok := d.originHeader()
	if !ok {
		return nil
	}
	return d.originFix(analysis.TextEdit{Pos: at.Pos(), End: at.End(), NewText: []byte(h)})
}

// nilOptionsFix replaces coder's nil *DialOptions with options carrying Origin.
func (d *dial) nilOptionsFix(at ast.Expr) []analysis.SuggestedFix {
	h, ok := d.originHeader()
	if !ok {
		return nil
	}
	pkg, ok := d.pkgQualifier()
	if !ok {
		return nil
	}
	text := fmt.Sprintf("&%s.%s{%s: %s}", pkg, d.spec.optType, d.spec.field, h)
	return d.originFix(analysis.TextEdit{Pos: at.Pos(), End: at.End(), NewText: []byte(text)})
}

// pkgQualifier is the name the call uses for the library's package.
func (d *dial) pkgQualifier() (string, bool) {
	sel, ok := ast.Unparen(d.call.Fun).(*ast.SelectorExpr)
	if !ok {
		return "", false
	}
	id, ok := sel.X.(*ast.Ident)
	if !ok {
		return "", false
	}
	if _, ok := d.c.pass.TypesInfo.Uses[id].(*types.PkgName); !ok {
		return "", false
	}
	return id.Name, true
}

// addFieldFix adds the header field, carrying Origin, to an options literal.
func (d *dial) addFieldFix(lit *ast.CompositeLit) []analysis.SuggestedFix {
	if lit == nil {
		return nil
	}
	h, ok := d.originHeader()
	if !ok {
		return nil
	}
	value := h
	if d.spec.kind == receiver {
		// gobwas takes any HandshakeHeader; http.Header needs its adapter.
		sel, ok := lit.Type.(*ast.SelectorExpr)
		if !ok {
			return nil
		}
		pkg, ok := sel.X.(*ast.Ident)
		if !ok {
			return nil
		}
		value = fmt.Sprintf("%s.HandshakeHeaderHTTP(%s)", pkg.Name, h)
	}
	return d.originFix(insertFirst(lit, d.spec.field+": "+value))
}

// insertOriginFix adds an Origin key to a header literal.
func (d *dial) insertOriginFix(lit *ast.CompositeLit) []analysis.SuggestedFix {
	o, ok := d.originFor()
	if !ok {
		return nil
	}
	return d.originFix(insertFirst(lit, fmt.Sprintf("\"Origin\": {%q}", o)))
}

// insertFirst makes elt the first element of lit.
func insertFirst(lit *ast.CompositeLit, elt string) analysis.TextEdit {
	if len(lit.Elts) == 0 {
		return analysis.TextEdit{Pos: lit.Lbrace + 1, End: lit.Lbrace + 1, NewText: []byte(elt)}
	}
	p := lit.Elts[0].Pos()
	return analysis.TextEdit{Pos: p, End: p, NewText: []byte(elt + ", ")}
}
