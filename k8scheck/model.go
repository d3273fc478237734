package k8scheck

import (
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/wscheck/wscheck/repo"
)

// value is a scalar as written, at its position. A value a template
// renders (a placeholder) is unknown: no finding depends on it.
type value struct {
	text      string
	line, col int
	unknown   bool
}

type annotation struct {
	key string
	value
}

// object is one Ingress or HTTPRoute of a manifest.
type object struct {
	kind, name string
	line, col  int // of its kind: key, the fallback spot for a finding
	// metaLine is the line of metadata: (0 when absent), annLine the line
	// of metadata.annotations: (0 when absent).
	metaLine, metaCol, annLine, annCol int
	annotations                        []annotation
	// openAnnotations: a template line inside metadata may render more
	// annotations than the file shows (toYaml of values).
	openAnnotations bool
	class           *value // spec.ingressClassName, or the ingress.class annotation
	classFrom       string
	// openClass: a template line in the spec or metadata may set a class
	// the file does not show.
	openClass bool
	paths     []routePath // Ingress: every path with its backend
	rules     []routeRule // HTTPRoute
}

// routePath is one Ingress path (or the default backend, path "").
type routePath struct {
	path, service value
}

// routeRule is one HTTPRoute rule.
type routeRule struct {
	line, col int
	paths     []value
	backends  []value
	timeouts  []timeout
}

type timeout struct {
	field string // request or backendRequest
	value
}

func (o *object) annotation(key string) (annotation, bool) {
	for _, a := range o.annotations {
		if a.key == key {
			return a, true
		}
	}
	return annotation{}, false
}

// reader turns decoded YAML documents into objects, with the template
// facts a rule needs: which values are placeholders and where a template
// line may render what the file does not show.
type reader struct {
	src, text []string // lines, 0-based
	templated bool
}

func newReader(f *repo.YAMLFile) *reader {
	return &reader{src: strings.Split(string(f.Source), "\n"), text: strings.Split(string(f.Text), "\n"), templated: f.Dialect != repo.NoTemplate}
}

func (r *reader) value(n *yaml.Node) value {
	return value{text: n.Value, line: n.Line, col: n.Column, unknown: strings.ContainsRune(n.Value, repo.PlaceholderRune)}
}

// structural reports a template line (a control tag or an expression alone
// on its line, blanked by neutralization) inside the block of n, the value
// of a key at column keyCol: such a line may render keys the file lacks.
// With shallow, only lines at the block's own indentation count.
func (r *reader) structural(key, n *yaml.Node, shallow bool) bool {
	if !r.templated || key == nil {
		return false
	}
	keyIndent := key.Column - 1
	childIndent := -1
	for l := key.Line; l < len(r.text); l++ { // l is 0-based: the line after the key
		t, s := r.text[l], r.src[l]
		trimmed := strings.TrimSpace(t)
		indent := len(t) - len(strings.TrimLeft(t, " "))
		if trimmed != "" {
			if indent <= keyIndent {
				return false
			}
			if childIndent < 0 {
				childIndent = indent
			}
			continue
		}
		if strings.TrimSpace(s) == "" || strings.HasPrefix(strings.TrimSpace(s), "#") {
			continue
		}
		sIndent := len(s) - len(strings.TrimLeft(s, " "))
		if sIndent <= keyIndent && n != nil && n.Kind == yaml.MappingNode && l+1 > lastLine(n) {
			// A closing tag after the block at the key's own level
			// ({{- end }} of an if around the key) renders nothing here.
			return false
		}
		if !shallow || childIndent < 0 || sIndent <= childIndent {
			return true
		}
	}
	return false
}

// lastLine is the last line a node's content reaches.
func lastLine(n *yaml.Node) int {
	l := n.Line
	for _, c := range n.Content {
		l = max(l, lastLine(c))
	}
	if n.Kind == yaml.ScalarNode {
		l += strings.Count(strings.TrimRight(n.Value, "\n"), "\n")
		if n.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0 {
			l++ // the text starts below the indicator
		}
	}
	return l
}

// lookup is the value of key in mapping m, with its key node; nil when
// absent. A key a template writes twice (if/else) keeps its first.
func lookup(m *yaml.Node, key string) (*yaml.Node, *yaml.Node) {
	if m == nil || m.Kind != yaml.MappingNode {
		return nil, nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1], m.Content[i]
		}
	}
	return nil, nil
}

func get(m *yaml.Node, path ...string) *yaml.Node {
	for _, k := range path {
		m, _ = lookup(m, k)
	}
	return m
}

func items(n *yaml.Node) []*yaml.Node {
	if n == nil || n.Kind != yaml.SequenceNode {
		return nil
	}
	return n.Content
}

const classAnnotation = "kubernetes.io/ingress.class"

// objects reads the Ingress and HTTPRoute objects of one document.
func (r *reader) objects(doc *yaml.Node) []*object {
	top := doc
	if top.Kind == yaml.DocumentNode && len(top.Content) == 1 {
		top = top.Content[0]
	}
	if top.Kind != yaml.MappingNode {
		return nil
	}
	kind, kindKey := lookup(top, "kind")
	if kind == nil || (kind.Value != "Ingress" && kind.Value != "HTTPRoute") {
		return nil
	}
	if api, _ := lookup(top, "apiVersion"); api != nil && !strings.ContainsRune(api.Value, repo.PlaceholderRune) {
		group, _, _ := strings.Cut(api.Value, "/")
		if kind.Value == "Ingress" && group != "networking.k8s.io" && group != "extensions" {
			return nil // another API's Ingress kind (a CRD)
		}
		if kind.Value == "HTTPRoute" && group != "gateway.networking.k8s.io" {
			return nil
		}
	}
	o := &object{kind: kind.Value, line: kindKey.Line, col: kindKey.Column}
	meta, metaKey := lookup(top, "metadata")
	if metaKey != nil {
		o.metaLine, o.metaCol = metaKey.Line, metaKey.Column
		o.openAnnotations = r.structural(metaKey, meta, false)
		o.openClass = o.openAnnotations
	}
	if n := get(meta, "name"); n != nil {
		o.name = n.Value
		if strings.ContainsRune(n.Value, repo.PlaceholderRune) {
			o.name = "<template>"
		}
	}
	ann, annKey := lookup(meta, "annotations")
	if annKey != nil {
		o.annLine, o.annCol = annKey.Line, annKey.Column
	}
	if ann != nil && ann.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(ann.Content); i += 2 {
			k, v := ann.Content[i], ann.Content[i+1]
			if strings.ContainsRune(k.Value, repo.PlaceholderRune) {
				// {{ $k }}: {{ $v }} in a range: any annotation.
				o.openAnnotations = true
				continue
			}
			a := annotation{key: k.Value, value: r.value(v)}
			a.line, a.col = k.Line, k.Column // the line to edit is the key's
			o.annotations = append(o.annotations, a)
		}
	}
	spec, specKey := lookup(top, "spec")
	if r.structural(specKey, spec, true) {
		o.openClass = true
	}
	switch o.kind {
	case "Ingress":
		r.ingress(o, spec)
	case "HTTPRoute":
		r.httpRoute(o, spec)
	}
	return []*object{o}
}

// valuesAnnotations reads the annotation maps of a chart's values (the
// ones its Ingress template renders with toYaml) as objects of kind
// "values": no class is known there, so only their names are judged.
func (r *reader) valuesAnnotations(n *yaml.Node, path string) []*object {
	var out []*object
	switch n.Kind {
	case yaml.DocumentNode, yaml.SequenceNode:
		for _, c := range n.Content {
			out = append(out, r.valuesAnnotations(c, path)...)
		}
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			p := strings.TrimPrefix(path+"."+k.Value, ".")
			if k.Value == "annotations" && v.Kind == yaml.MappingNode {
				o := &object{kind: "values", name: p, line: k.Line, col: k.Column}
				for j := 0; j+1 < len(v.Content); j += 2 {
					a := annotation{key: v.Content[j].Value, value: r.value(v.Content[j+1])}
					a.line, a.col = v.Content[j].Line, v.Content[j].Column
					o.annotations = append(o.annotations, a)
				}
				out = append(out, o)
				continue
			}
			out = append(out, r.valuesAnnotations(v, p)...)
		}
	}
	return out
}

func (r *reader) ingress(o *object, spec *yaml.Node) {
	if c := get(spec, "ingressClassName"); c != nil && c.Kind == yaml.ScalarNode && c.Value != "" {
		v := r.value(c)
		o.class, o.classFrom = &v, "spec.ingressClassName"
	} else if a, ok := o.annotation(classAnnotation); ok && a.text != "" {
		o.class, o.classFrom = &a.value, "annotation "+classAnnotation
	}
	backend := func(b *yaml.Node) value {
		if n := get(b, "service", "name"); n != nil {
			return r.value(n)
		}
		if n := get(b, "serviceName"); n != nil { // extensions/v1beta1
			return r.value(n)
		}
		return value{unknown: true}
	}
	if b := get(spec, "defaultBackend"); b != nil {
		o.paths = append(o.paths, routePath{path: value{line: b.Line, col: b.Column}, service: backend(b)})
	} else if b := get(spec, "backend"); b != nil {
		o.paths = append(o.paths, routePath{path: value{line: b.Line, col: b.Column}, service: backend(b)})
	}
	for _, rule := range items(get(spec, "rules")) {
		for _, p := range items(get(rule, "http", "paths")) {
			rp := routePath{path: value{text: "/", line: p.Line, col: p.Column}, service: backend(get(p, "backend"))}
			if n := get(p, "path"); n != nil {
				rp.path = r.value(n)
			}
			o.paths = append(o.paths, rp)
		}
	}
}

func (r *reader) httpRoute(o *object, spec *yaml.Node) {
	for _, rule := range items(get(spec, "rules")) {
		rr := routeRule{line: rule.Line, col: rule.Column}
		for _, m := range items(get(rule, "matches")) {
			if v := get(m, "path", "value"); v != nil {
				rr.paths = append(rr.paths, r.value(v))
			}
		}
		for _, b := range items(get(rule, "backendRefs")) {
			if n := get(b, "name"); n != nil {
				rr.backends = append(rr.backends, r.value(n))
			}
		}
		for _, field := range []string{"request", "backendRequest"} {
			if v := get(rule, "timeouts", field); v != nil && v.Kind == yaml.ScalarNode {
				rr.timeouts = append(rr.timeouts, timeout{field: field, value: r.value(v)})
			}
		}
		o.rules = append(o.rules, rr)
	}
}
