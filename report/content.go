package report

import (
	"os"
	"path/filepath"
	"strings"
)

// SourceLineKeys returns a content key function for SARIF fingerprints:
// the statement the finding points at, from its column to the first ';'
// or '{' on its line, with runs of white space collapsed, so moving or
// re-indenting it keeps its fingerprint. Only that statement is used,
// never the rest of the line, which may hold another directive's secret
// (the key is hashed, but a short secret could be guessed back from it).
// Relative file names are read below root; files that cannot be read
// (such as `nginx -T` input) give an empty key. Each file is read once.
func SourceLineKeys(root string) func(Finding) string {
	cache := map[string][]string{}
	return func(f Finding) string {
		if f.Line <= 0 || f.File == "" || f.File == "-" {
			return ""
		}
		name := f.File
		if !filepath.IsAbs(name) {
			name = filepath.Join(root, name)
		}
		lines, ok := cache[name]
		if !ok {
			lines = readLines(name)
			cache[name] = lines
		}
		if f.Line > len(lines) {
			return ""
		}
		return statementAt(lines[f.Line-1], f.Column)
	}
}

func readLines(name string) []string {
	data, err := os.ReadFile(name)
	if err != nil {
		return nil
	}
	return strings.Split(string(data), "\n")
}

func statementAt(line string, col int) string {
	if col > 1 && col <= len(line) {
		line = line[col-1:]
	}
	if i := strings.IndexAny(line, ";{"); i >= 0 {
		line = line[:i]
	}
	return strings.Join(strings.Fields(line), " ")
}
