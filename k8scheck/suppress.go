package k8scheck

import (
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/wscheck/wscheck/repo"
	"github.com/wscheck/wscheck/report"
)

const ignorePrefix = "wscheck:ignore"

// collectIgnores reads "# wscheck:ignore RULE -- reason" comments with the
// other halves' contract: a trailing comment covers its line; a comment
// alone on a line covers the next line that is not a comment, and the
// whole block when that line opens one (a key with a nested value, a list
// item, a document).
func collectIgnores(file string, f *repo.YAMLFile) []*report.Ignore {
	known := Rules()
	lines := strings.Split(string(f.Text), "\n")
	ends := map[int]int{}
	inBlock := map[int]bool{} // lines of block scalars: a # there is text
	for _, d := range f.Docs {
		blocks(d, nil, ends, inBlock, lines)
	}
	type comment struct {
		line, col int
		text      string
		trailing  bool
	}
	var comments []comment
	commentAt := map[int]bool{}
	for i, l := range lines {
		if inBlock[i+1] {
			continue
		}
		if col := commentStart(l); col >= 0 {
			trailing := strings.TrimSpace(l[:col]) != ""
			comments = append(comments, comment{i + 1, col + 1, strings.TrimSpace(l[col+1:]), trailing})
			if !trailing {
				commentAt[i+1] = true
			}
		}
	}
	var out []*report.Ignore
	for _, c := range comments {
		spec, ok := strings.CutPrefix(c.text, ignorePrefix)
		if !ok {
			continue
		}
		target := c.line
		if !c.trailing {
			for target++; commentAt[target]; target++ {
			}
		}
		ig := &report.Ignore{File: file, Line: c.line, Col: c.col, From: target, To: target}
		if end, ok := ends[target]; ok && !c.trailing {
			ig.To = end
		}
		ig.Rules, ig.Invalid = report.ParseIgnore(spec, known.Ignorable)
		out = append(out, ig)
	}
	return out
}

// blocks records where each block opened at a line ends, and which lines
// belong to block scalars.
func blocks(n, key *yaml.Node, ends map[int]int, inBlock map[int]bool, lines []string) {
	switch n.Kind {
	case yaml.DocumentNode:
		for _, c := range n.Content {
			ends[c.Line] = max(ends[c.Line], lastLine(c))
			blocks(c, nil, ends, inBlock, lines)
		}
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			ends[k.Line] = max(ends[k.Line], lastLine(v))
			blocks(v, k, ends, inBlock, lines)
		}
	case yaml.SequenceNode:
		for _, c := range n.Content {
			ends[c.Line] = max(ends[c.Line], lastLine(c))
			blocks(c, nil, ends, inBlock, lines)
		}
	case yaml.ScalarNode:
		if n.Style&(yaml.LiteralStyle|yaml.FoldedStyle) == 0 {
			return
		}
		indent := 0
		if key != nil {
			indent = key.Column - 1
		}
		for l := n.Line; l < len(lines); l++ { // 0-based: the lines below the indicator
			t := lines[l]
			if strings.TrimSpace(t) != "" && len(t)-len(strings.TrimLeft(t, " ")) <= indent {
				break
			}
			inBlock[l+1] = true
		}
	}
}

// commentStart is the byte offset of a YAML comment on the line, or -1: a
// '#' at the start or after a blank, outside quotes.
func commentStart(l string) int {
	var quote byte
	for i := 0; i < len(l); i++ {
		c := l[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			if i == 0 || l[i-1] == ' ' || l[i-1] == ':' || l[i-1] == '-' || l[i-1] == '[' || l[i-1] == ',' {
				quote = c
			}
		case c == '#' && (i == 0 || l[i-1] == ' ' || l[i-1] == '\t'):
			return i
		}
	}
	return -1
}
