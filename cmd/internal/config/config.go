// Package config reads the repository configuration, .wscheck.yaml.
//
// Every key is optional. Keys that have a command-line flag are named
// like the flag, and the flag wins when both are given. Relative paths
// and globs are relative to the directory holding the file, so the same
// file works from any subdirectory. Unknown keys and bad values are
// errors with file:line:col: a typo must not silently keep a rule on.
package config

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/wscheck/wscheck/nginxcheck"
	"github.com/wscheck/wscheck/report"
)

// FileName is the file Find looks for.
const FileName = ".wscheck.yaml"

// Config is a validated .wscheck.yaml. Paths and globs are absolute.
type Config struct {
	Path string // the file it was read from
	Dir  string // the absolute directory relative entries resolve against

	Enable, Disable []string
	Severity        map[string]report.Severity
	FailOn          report.Severity
	NginxVersion    string
	Prefix          string
	PathMap         []nginxcheck.PathMapping
	StrictIncludes  bool
	Include         []string // absolute slash-separated globs, see report.MatchPath
	Exclude         []string
	ExcludeRules    []report.PathExclusion
	Go              GoOptions

	set map[string]bool
}

// GoOptions are the options of the Go half.
type GoOptions struct {
	Tests        bool     // also analyze _test.go files
	OriginExempt []string // gocheck's -origin-exempt
	Tags         []string // build tags, as go vet -tags
	set          map[string]bool
}

// Has reports whether the file set a top-level key, so a caller applies
// only what the file names and keeps its own defaults otherwise.
func (c *Config) Has(key string) bool { return c != nil && c.set[key] }

// Has reports whether the go: block set a key.
func (g GoOptions) Has(key string) bool { return g.set[key] }

// Find looks for FileName in dir and its parents, stopping after the
// repository root (the first directory holding .git) so a file outside
// the repository never applies. It returns "" when there is none.
func Find(dir string) (string, error) {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	for {
		p := filepath.Join(dir, FileName)
		if _, err := os.Stat(p); err == nil {
			return p, nil
		} else if !errors.Is(err, os.ErrNotExist) {
			return "", err
		}
		if isRepoRoot(dir) {
			return "", nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", nil
		}
		dir = parent
	}
}

// RepoRoot is the nearest directory at or above dir that holds .git (a
// directory, or a file in worktrees and submodules), or dir itself when
// there is none. SARIF and GitHub annotations name files relative to it.
func RepoRoot(dir string) string {
	for d := dir; ; {
		if isRepoRoot(d) {
			return d
		}
		parent := filepath.Dir(d)
		if parent == d {
			return dir
		}
		d = parent
	}
}

func isRepoRoot(dir string) bool {
	_, err := os.Stat(filepath.Join(dir, ".git"))
	return err == nil
}

// Error is one problem in the file, at the line and column of the
// offending key or value.
type Error struct {
	File      string
	Line, Col int
	Msg       string
}

func (e *Error) Error() string { return report.Position(e.File, e.Line, e.Col) + ": " + e.Msg }

// Load reads and validates the file at path. display is the name errors
// use for it (for example the path relative to the working directory).
// Rule names are checked against rules.
func Load(path, display string, rules report.Rules) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, err
	}
	return Parse(data, display, filepath.Dir(abs), rules)
}

// yamlLine pulls the position out of yaml.v3's syntax errors.
var yamlLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// buildTag is what the go command accepts as a build tag.
var buildTag = regexp.MustCompile(`^[A-Za-z0-9_.]+$`)

// Parse validates a configuration read from file display, whose
// relative entries resolve against dir.
func Parse(data []byte, display, dir string, rules report.Rules) (*Config, error) {
	c := &Config{Path: display, Dir: dir, set: map[string]bool{}}
	c.Go.set = map[string]bool{}
	dec := yaml.NewDecoder(strings.NewReader(string(data)))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return c, nil // an empty file is an empty configuration
		}
		if m := yamlLine.FindStringSubmatch(err.Error()); m != nil {
			line, _ := strconv.Atoi(m[1])
			return nil, &Error{File: display, Line: line, Msg: m[2]}
		}
		return nil, &Error{File: display, Msg: strings.TrimPrefix(err.Error(), "yaml: ")}
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); err == nil {
		return nil, &Error{File: display, Line: extra.Line, Col: extra.Column, Msg: "want one YAML document, found a second"}
	} else if !errors.Is(err, io.EOF) {
		return nil, &Error{File: display, Msg: strings.TrimPrefix(err.Error(), "yaml: ")}
	}
	p := &parser{file: display, dir: dir, rules: rules}
	p.config(c, &doc)
	if len(p.errs) > 0 {
		return nil, errors.Join(p.errs...)
	}
	return c, nil
}

type parser struct {
	file  string
	dir   string
	rules report.Rules
	errs  []error
}

func (p *parser) errorf(n *yaml.Node, format string, args ...any) {
	p.errs = append(p.errs, &Error{File: p.file, Line: n.Line, Col: n.Column, Msg: fmt.Sprintf(format, args...)})
}

// topKeys are the keys of the file, in the order the starter file shows them.
var topKeys = []string{"fail-on", "enable", "disable", "severity", "exclude-rules",
	"include", "exclude", "nginx-version", "prefix", "path-map", "strict-includes", "go"}

var goKeys = []string{"tests", "origin-exempt", "tags"}

func (p *parser) config(c *Config, doc *yaml.Node) {
	root := doc
	if root.Kind == yaml.DocumentNode && len(root.Content) == 1 {
		root = root.Content[0]
	}
	if root.Kind == yaml.ScalarNode && root.Tag == "!!null" {
		return // only comments
	}
	p.mapping(root, "the file", topKeys, func(key string, k, v *yaml.Node) {
		c.set[key] = true
		switch key {
		case "fail-on":
			c.FailOn = p.severity(v)
		case "enable":
			c.Enable = p.ruleList(v)
		case "disable":
			c.Disable = p.ruleList(v)
		case "severity":
			c.Severity = map[string]report.Severity{}
			p.mapping(v, "severity", nil, func(rule string, rk, rv *yaml.Node) {
				if p.rule(rk) {
					c.Severity[rule] = p.severity(rv)
				}
			})
		case "exclude-rules":
			c.ExcludeRules = p.excludeRules(v)
		case "include":
			c.Include = p.globs(v)
		case "exclude":
			c.Exclude = p.globs(v)
		case "nginx-version":
			if s, ok := p.str(v); ok {
				if _, err := nginxcheck.ParseVersion(s); err != nil {
					p.errorf(v, "nginx-version: %v", err)
				}
				c.NginxVersion = s
			}
		case "prefix":
			if s, ok := p.str(v); ok {
				c.Prefix = p.path(s)
			}
		case "path-map":
			c.PathMap = p.pathMap(v)
		case "strict-includes":
			c.StrictIncludes = p.boolean(v)
		case "go":
			p.mapping(v, "go", goKeys, func(key string, k, v *yaml.Node) {
				c.Go.set[key] = true
				switch key {
				case "tests":
					c.Go.Tests = p.boolean(v)
				case "origin-exempt":
					c.Go.OriginExempt = p.strings(v, "a substring of a dial URL", func(*yaml.Node, string) bool { return true })
				case "tags":
					c.Go.Tags = p.strings(v, "a build tag (letters, digits, _ and .)", func(_ *yaml.Node, s string) bool { return buildTag.MatchString(s) })
				}
			})
		}
	})
}

// mapping walks a mapping, rejecting duplicate keys and, when known is
// not nil, keys it does not list.
func (p *parser) mapping(n *yaml.Node, what string, known []string, each func(key string, k, v *yaml.Node)) {
	if n.Kind != yaml.MappingNode {
		p.errorf(n, "%s: want a mapping of keys to values, got %s", what, kind(n))
		return
	}
	seen := map[string]int{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			p.errorf(k, "%s: want a plain key, got %s", what, kind(k))
			continue
		}
		if line, dup := seen[k.Value]; dup {
			p.errorf(k, "%q is already set at line %d", k.Value, line)
			continue
		}
		seen[k.Value] = k.Line
		if known != nil && !slices.Contains(known, k.Value) {
			p.errorf(k, "unknown key %q in %s (known: %s)", k.Value, what, strings.Join(known, ", "))
			continue
		}
		each(k.Value, k, v)
	}
}

func kind(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.AliasNode:
		return "an alias"
	}
	if n.Tag == "!!null" {
		return "nothing"
	}
	return fmt.Sprintf("%q", n.Value)
}

func (p *parser) str(n *yaml.Node) (string, bool) {
	if n.Kind != yaml.ScalarNode || n.Tag == "!!null" || n.Value == "" {
		p.errorf(n, "want a non-empty string, got %s", kind(n))
		return "", false
	}
	return n.Value, true
}

func (p *parser) boolean(n *yaml.Node) bool {
	if n.Kind == yaml.ScalarNode && n.Tag == "!!bool" {
		var b bool
		if err := n.Decode(&b); err == nil {
			return b
		}
	}
	p.errorf(n, "want true or false, got %s", kind(n))
	return false
}

func (p *parser) severity(n *yaml.Node) report.Severity {
	s, ok := p.str(n)
	if !ok {
		return 0
	}
	sev, err := report.ParseSeverity(s)
	if err != nil {
		p.errorf(n, "%v", err)
	}
	return sev
}

// strings reads a list of strings (a single string is a one-item list),
// keeping the items valid accepts.
func (p *parser) strings(n *yaml.Node, what string, valid func(*yaml.Node, string) bool) []string {
	items := []*yaml.Node{n}
	if n.Kind == yaml.SequenceNode {
		items = n.Content
	}
	out := []string{}
	for _, it := range items {
		if it.Kind != yaml.ScalarNode || it.Tag == "!!null" || it.Value == "" {
			p.errorf(it, "want %s, got %s", what, kind(it))
			continue
		}
		if valid(it, it.Value) {
			out = append(out, it.Value)
		}
	}
	return out
}

func (p *parser) rule(n *yaml.Node) bool {
	if _, ok := p.rules.Lookup(n.Value); !ok {
		p.errorf(n, "unknown rule %q (see `wscheck rules`)", n.Value)
		return false
	}
	return true
}

func (p *parser) ruleList(n *yaml.Node) []string {
	return p.strings(n, "a rule name", func(it *yaml.Node, _ string) bool { return p.rule(it) })
}

// globs reads globs relative to the file's directory and makes them
// absolute. A glob without a slash matches a base name at any depth, as
// in .gitignore.
func (p *parser) globs(n *yaml.Node) []string {
	var out []string
	for _, g := range p.strings(n, "a glob", func(it *yaml.Node, g string) bool { return p.glob(it, g) }) {
		out = append(out, p.absGlob(g))
	}
	return out
}

func (p *parser) glob(n *yaml.Node, g string) bool {
	if strings.HasPrefix(g, "/") || filepath.IsAbs(g) {
		p.errorf(n, "glob %q: want a path relative to the directory of %s", g, FileName)
		return false
	}
	if err := report.ValidGlob(g); err != nil {
		p.errorf(n, "glob %q: %v", g, err)
		return false
	}
	return true
}

// globMeta escapes the directory part, which is a literal path.
var globMeta = strings.NewReplacer(`\`, `\\`, `*`, `\*`, `?`, `\?`, `[`, `\[`)

func (p *parser) absGlob(g string) string {
	g = strings.TrimPrefix(g, "./")
	if !strings.Contains(strings.TrimSuffix(g, "/"), "/") {
		g = "**/" + g
	}
	return strings.TrimSuffix(globMeta.Replace(filepath.ToSlash(p.dir)), "/") + "/" + strings.TrimSuffix(g, "/")
}

func (p *parser) path(s string) string {
	if filepath.IsAbs(s) {
		return filepath.Clean(s)
	}
	return filepath.Join(p.dir, s)
}

func (p *parser) pathMap(n *yaml.Node) []nginxcheck.PathMapping {
	if n.Kind != yaml.SequenceNode {
		p.errorf(n, "path-map: want a list of {from: /etc/nginx, to: deploy/nginx}, got %s", kind(n))
		return nil
	}
	var out []nginxcheck.PathMapping
	for _, it := range n.Content {
		var m nginxcheck.PathMapping
		p.mapping(it, "path-map entry", []string{"from", "to"}, func(key string, k, v *yaml.Node) {
			s, ok := p.str(v)
			if !ok {
				return
			}
			if key == "from" {
				if strings.Contains(s, "=") {
					// The --path-map flag splits FROM=TO at the first '='.
					p.errorf(v, "path-map from: %q contains '=', which --path-map cannot express", s)
					return
				}
				m.From = s
			} else {
				m.To = p.path(s)
			}
		})
		if it.Kind == yaml.MappingNode && (m.From == "" || m.To == "") {
			p.errorf(it, "path-map entry: want both from and to")
			continue
		}
		out = append(out, m)
	}
	return out
}

func (p *parser) excludeRules(n *yaml.Node) []report.PathExclusion {
	if n.Kind != yaml.SequenceNode {
		p.errorf(n, "exclude-rules: want a list of {path: GLOB, rules: [RULE...]}, got %s", kind(n))
		return nil
	}
	var out []report.PathExclusion
	for _, it := range n.Content {
		var ex report.PathExclusion
		hasPath := false
		p.mapping(it, "exclude-rules entry", []string{"path", "rules"}, func(key string, k, v *yaml.Node) {
			switch key {
			case "path":
				hasPath = true
				if s, ok := p.str(v); ok && p.glob(v, s) {
					ex.Path = p.absGlob(s)
				}
			case "rules":
				ex.Rules = p.ruleList(v)
			}
		})
		if it.Kind == yaml.MappingNode && !hasPath {
			p.errorf(it, "exclude-rules entry: want a path glob (leave out rules to drop every rule there)")
			continue
		}
		out = append(out, ex)
	}
	return out
}
