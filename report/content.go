package report

import (
	"os"
	"path/filepath"
	"strings"
)

// SourceLineKeys returns a content key function for SARIF fingerprints:
// the finding's source line with runs of white space collapsed, so
// re-indenting or moving a line keeps its fingerprint. Relative file
// names are read below root; files that cannot be read (such as `nginx
// -T` input) give an empty key. Each file is read once.
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
		return strings.Join(strings.Fields(lines[f.Line-1]), " ")
	}
}

func readLines(name string) []string {
	data, err := os.ReadFile(name)
	if err != nil {
		return nil
	}
	return strings.Split(string(data), "\n")
}
