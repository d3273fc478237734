package load

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

// bigConfig is an http block larger than pieceSize, so the cross-check
// reads it piece by piece; extra is put in the middle of it.
func bigConfig(extra string) (string, int) {
	var b strings.Builder
	b.WriteString("events {}\nhttp {\n")
	extraLine := 0
	for i := 0; b.Len() < 3*pieceSize; i++ {
		if i == 20000 {
			extraLine = strings.Count(b.String(), "\n") + 1
			b.WriteString(extra)
		}
		fmt.Fprintf(&b, "    server { listen %d; location /ws%d { proxy_pass http://a; } }\n", 1000+i%50000, i)
	}
	b.WriteString("}\n")
	return b.String(), extraLine
}

// TestPiecewiseCrossCheck: a config too large to hand gonginx whole is
// still cross-checked everywhere: a clean one loads whole, and a
// construct gonginx misreads deep inside is refused at its own line.
func TestPiecewiseCrossCheck(t *testing.T) {
	clean, _ := bigConfig("")
	if _, _, err := parseBytes([]byte(clean)); err != nil {
		t.Fatalf("a clean large config was refused: %v", err)
	}
	// gonginx splits a bare word at "\;" (gonginx-notes.md); nginx does not.
	trap, line := bigConfig("    add_header X a\\;b;\n")
	_, _, err := parseBytes([]byte(trap))
	var se *SyntaxError
	if !errors.As(err, &se) || se.Line != line || !strings.Contains(se.Msg, "gonginx") {
		t.Fatalf("want the gonginx disagreement at line %d, got %v", line, err)
	}
	// A header of a large block is checked too: a quoted block name.
	big, _ := bigConfig("")
	bad := strings.Replace(big, "http {", `http "a\\" {`, 1)
	if _, _, err := parseBytes([]byte(bad)); err == nil {
		t.Fatal("a large block whose header gonginx cannot read was accepted")
	}
}

// parseBytes is Loader.parse without a file: scan, then cross-check.
func parseBytes(src []byte) ([]*Node, *scanner, error) {
	nodes, sc, err := scan(src, &File{Path: "big.conf"})
	if err != nil {
		return nil, sc, err
	}
	return nodes, sc, crossCheck(src, nodes, sc.raw)
}

// TestBraceInWord: a '}' inside a bare word is part of the word for nginx
// and a block end for gonginx. The directive is read by nginx's rules
// alone, and the rest of the file, the same block included, is still
// cross-checked: a '\;' that gonginx splits is refused at its line.
func TestBraceInWord(t *testing.T) {
	const src = "server {\n" +
		"    location / {\n" +
		"        sub_filter window.location.origin} window.location.origin}/app;\n" +
		"        set $h ${host}x;\n" +
		"        proxy_pass http://a;\n" +
		"    }\n" +
		"}\n"
	nodes, _, err := parseBytes([]byte(src))
	if err != nil {
		t.Fatalf("nginx accepts a '}' inside a word; the loader said: %v", err)
	}
	loc := nodes[0].Children[0]
	if got := loc.Children[0].Args; len(got) != 2 || got[0] != "window.location.origin}" || got[1] != "window.location.origin}/app" {
		t.Errorf("sub_filter args %q", got)
	}
	if len(loc.Children) != 3 || loc.Children[2].Name != "proxy_pass" {
		t.Errorf("the location's directives after the word were lost: %d children", len(loc.Children))
	}
	trap := strings.Replace(src, "proxy_pass http://a;", "add_header X a\\;b;", 1)
	_, _, err = parseBytes([]byte(trap))
	var se *SyntaxError
	if !errors.As(err, &se) || se.Line != 5 || !strings.Contains(se.Msg, "gonginx") {
		t.Fatalf("a gonginx misread beside the brace word: want the refusal at line 5, got %v", err)
	}
}
