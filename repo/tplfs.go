package repo

import (
	"fmt"
	"strings"
	"sync"

	"github.com/wscheck/wscheck/report"
)

// TemplateFS is what the nginx loader reads through: a templated file
// comes back neutralized (same shape, so the loader's positions are the
// template's own), and each nginx string of a YAML file added with AddYAML
// is a virtual file of the YAML file's shape. A template that cannot be
// neutralized is a read error carrying its position (*TemplateError).
type TemplateFS struct {
	FS
	mu        sync.Mutex
	templates map[string]Dialect // files read neutralized
	virtual   map[string][]byte  // VirtualName -> text
}

// NewTemplateFS reads through fsys.
func NewTemplateFS(fsys FS) *TemplateFS {
	return &TemplateFS{FS: fsys, templates: map[string]Dialect{}, virtual: map[string][]byte{}}
}

// virtualSep cannot occur in a file name, so a virtual file's name never
// collides with a real one and its YAML file is always recoverable.
const virtualSep = "\x00"

// VirtualName names the nginx text of one YAML string: the loader needs a
// name per text, reports need the YAML file's (SourceName).
func VirtualName(file, key string) string {
	return file + virtualSep + strings.ReplaceAll(key, "/", "_")
}

// SourceName is the file a (possibly virtual) name's text is in.
func SourceName(name string) string {
	file, _, _ := strings.Cut(name, virtualSep)
	return file
}

// DisplayName writes a virtual name for people: file#key.
func DisplayName(name string) string {
	return strings.Replace(name, virtualSep, "#", 1)
}

// ReadFile reads name, neutralizing template syntax.
func (t *TemplateFS) ReadFile(name string) ([]byte, error) {
	t.mu.Lock()
	v, ok := t.virtual[name]
	t.mu.Unlock()
	if ok {
		return v, nil
	}
	b, err := t.FS.ReadFile(name)
	if err != nil {
		return nil, err
	}
	nz, err := ReadTemplate(name, b)
	if err != nil {
		return nil, err
	}
	if nz.Dialect != NoTemplate {
		t.mu.Lock()
		t.templates[name] = nz.Dialect
		t.mu.Unlock()
	}
	return nz.Text, nil
}

// Virtual reports whether AddYAML registered the nginx string at key.
func (t *TemplateFS) Virtual(file, key string) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	_, ok := t.virtual[VirtualName(file, key)]
	return ok
}

// Templated reports whether a (possibly virtual) file was read through
// template neutralization, and in which dialect.
func (t *TemplateFS) Templated(name string) (Dialect, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	d, ok := t.templates[name]
	return d, ok
}

// AddYAML reads a YAML file and registers each nginx string in it as a
// virtual file; it returns their names, and the strings it cannot analyze
// with the reason.
func (t *TemplateFS) AddYAML(name string) ([]string, []report.Skipped, error) {
	b, err := t.FS.ReadFile(name)
	if err != nil {
		return nil, nil, err
	}
	found, skipped, err := ExtractYAML(name, b)
	var names []string
	t.mu.Lock()
	for _, e := range found {
		v := VirtualName(name, e.Key)
		t.virtual[v] = e.Text
		// A plain ConfigMap is nginx inside YAML, not a template: only
		// template syntax makes it count as one.
		if e.Dialect != NoTemplate {
			t.templates[v] = e.Dialect
		}
		names = append(names, v)
	}
	t.mu.Unlock()
	var out []report.Skipped
	for _, s := range skipped {
		out = append(out, report.Skipped{File: name, Reason: fmt.Sprintf("nginx text in %s (line %d) not analyzed: %s", s.Key, s.Line, s.Reason)})
	}
	return names, out, err
}
