package repo

import (
	"encoding/json"
	"fmt"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/wscheck/wscheck/report"
)

// Mapping says that the image (or host) path From is the repository's To.
// It applies to configs below Scope: two images in one repository each
// have their own /etc/nginx.
type Mapping struct {
	From   string // absolute, slash-separated: /etc/nginx/conf.d
	To     string // a file or directory in the repository
	Scope  string // a directory; "" for every config (a user's --path-map)
	Origin string // file:line that implies it; "" when given by the user
}

// Layout is what a repository's layout files say.
type Layout struct {
	Maps        []Mapping
	Errors      []report.FileError
	NotAnalyzed []report.Skipped
}

// proxyPaths are the image directories where proxy configs live; a
// mount into one that points nowhere is worth saying.
var proxyPaths = []string{"/etc/nginx", "/usr/local/openresty", "/etc/openresty", "/etc/haproxy", "/usr/local/etc/haproxy", "/etc/apache2", "/etc/httpd", "/usr/local/apache2"}

func proxyPath(p string) bool {
	return slices.ContainsFunc(proxyPaths, func(r string) bool { return within(r, p) })
}

// InferLayout reads compose files, Dockerfiles, Kubernetes manifests and
// rootfs trees for the mappings they imply. yamls are the YAML files
// holding nginx text (ConfigMaps); configs are the nginx files found, whose
// `.../etc/nginx` ancestors are trees copied into an image.
func InferLayout(fsys FS, top string, layouts, yamls, configs []string) Layout {
	var l Layout
	contexts := map[string]string{} // Dockerfile -> build context, from compose
	for _, f := range layouts {
		if IsCompose(f) {
			l.compose(fsys, f, contexts)
		}
	}
	for _, f := range layouts {
		if isDockerfile(filepath.Base(f)) {
			ctx, ok := contexts[f]
			if !ok {
				ctx = buildContext(fsys, top, f)
			}
			l.dockerfile(fsys, f, ctx)
		}
	}
	var manifests []string
	for _, f := range append(slices.Clone(layouts), yamls...) {
		if ext := filepath.Ext(f); (ext == ".yaml" || ext == ".yml") && !IsCompose(f) {
			manifests = append(manifests, f)
		}
	}
	l.kubernetes(fsys, manifests)
	l.renderedTemplates(fsys)
	l.trees(configs)
	return l
}

// The official nginx image renders /etc/nginx/templates/X.template into
// /etc/nginx/conf.d/X at start (docker-entrypoint.d/20-envsubst-on-templates.sh:
// NGINX_ENVSUBST_TEMPLATE_DIR, _SUFFIX and _OUTPUT_DIR default to these).
const (
	imageTemplateDir = "/etc/nginx/templates"
	imageTemplateExt = ".template"
	imageOutputDir   = "/etc/nginx/conf.d"
)

// renderedTemplates maps each template mounted or copied into the
// official image's template directory onto the conf.d file it becomes.
func (l *Layout) renderedTemplates(fsys FS) {
	for _, m := range slices.Clone(l.Maps) {
		if !within(imageTemplateDir, m.From) {
			continue
		}
		add := func(file, rel string) {
			if strings.HasSuffix(rel, imageTemplateExt) {
				l.Maps = append(l.Maps, Mapping{From: path.Join(imageOutputDir, strings.TrimSuffix(rel, imageTemplateExt)), To: file, Scope: m.Scope, Origin: m.Origin})
			}
		}
		base := strings.TrimPrefix(strings.TrimPrefix(m.From, imageTemplateDir), "/")
		var walkDir func(dir, rel string)
		walkDir = func(dir, rel string) {
			ents, err := fsys.ReadDir(dir)
			if err != nil {
				return
			}
			for _, e := range ents {
				if e.IsDir() {
					walkDir(filepath.Join(dir, e.Name()), path.Join(rel, e.Name()))
				} else {
					add(filepath.Join(dir, e.Name()), path.Join(rel, e.Name()))
				}
			}
		}
		if st, err := fsys.Stat(m.To); err == nil && st.IsDir() {
			walkDir(m.To, base)
		} else if err == nil {
			add(m.To, base)
		}
	}
}

func (l *Layout) errorf(file string, line int, format string, args ...any) {
	l.Errors = append(l.Errors, report.FileError{File: file, Line: line, Message: fmt.Sprintf(format, args...)})
}

// add records a mapping whose source exists, and says so when a proxy
// path is mapped onto nothing.
func (l *Layout) add(fsys FS, m Mapping, what string) {
	if _, err := fsys.Stat(m.To); err != nil {
		if proxyPath(m.From) {
			l.NotAnalyzed = append(l.NotAnalyzed, report.Skipped{File: m.Origin,
				Reason: fmt.Sprintf("%s %s onto %s, which the repository does not hold (%s)", what, m.To, m.From, Reason(err))})
		}
		return
	}
	l.Maps = append(l.Maps, m)
}

// compose reads bind mounts and build contexts of a Compose file.
func (l *Layout) compose(fsys FS, file string, contexts map[string]string) {
	b, err := fsys.ReadFile(file)
	if err != nil {
		l.errorf(file, 0, "%s", Reason(err))
		return
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(b, &doc); err != nil {
		l.errorf(file, yamlLine(err), "not a Compose file wscheck can read: %v", err)
		return
	}
	dir := filepath.Dir(file)
	services := lookup(root(&doc), "services")
	if services == nil || services.Kind != yaml.MappingNode {
		return
	}
	for i := 1; i < len(services.Content); i += 2 {
		svc := services.Content[i]
		for _, v := range seq(lookup(svc, "volumes")) {
			src, dst, ok := composeVolume(v)
			if !ok {
				continue
			}
			l.add(fsys, Mapping{From: dst, To: filepath.Join(dir, src), Scope: dir, Origin: fmt.Sprintf("%s:%d", file, v.Line)}, "a bind mount of")
		}
		if build := lookup(svc, "build"); build != nil {
			ctx, dockerfile := "", "Dockerfile"
			if build.Kind == yaml.ScalarNode {
				ctx = build.Value
			} else {
				if c := lookup(build, "context"); c != nil {
					ctx = c.Value
				}
				if d := lookup(build, "dockerfile"); d != nil {
					dockerfile = d.Value
				}
			}
			if ctx != "" && !strings.Contains(ctx, "://") && !strings.Contains(ctx, "$") {
				ctx = filepath.Join(dir, ctx)
				contexts[filepath.Join(ctx, dockerfile)] = ctx
			}
		}
	}
}

// composeVolume reads a bind mount in short (`./a:/b:ro`) or long syntax;
// named volumes, host paths and variables are not the repository's.
func composeVolume(v *yaml.Node) (src, dst string, ok bool) {
	switch v.Kind {
	case yaml.ScalarNode:
		parts := strings.Split(v.Value, ":")
		if len(parts) < 2 {
			return "", "", false
		}
		src, dst = parts[0], parts[1]
	case yaml.MappingNode:
		if t := lookup(v, "type"); t != nil && t.Value != "bind" {
			return "", "", false
		}
		s, d := lookup(v, "source"), lookup(v, "target")
		if s == nil || d == nil {
			return "", "", false
		}
		src, dst = s.Value, d.Value
	default:
		return "", "", false
	}
	repoPath := strings.HasPrefix(src, "./") || strings.HasPrefix(src, "../") || src == "."
	if !repoPath || !strings.HasPrefix(dst, "/") || strings.Contains(src, "$") {
		return "", "", false
	}
	return src, path.Clean(dst), true
}

func root(doc *yaml.Node) *yaml.Node {
	if doc.Kind == yaml.DocumentNode && len(doc.Content) > 0 {
		return doc.Content[0]
	}
	return doc
}

func lookup(m *yaml.Node, key string) *yaml.Node {
	if m == nil || m.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	return nil
}

func seq(n *yaml.Node) []*yaml.Node {
	if n == nil || n.Kind != yaml.SequenceNode {
		return nil
	}
	return n.Content
}

// yamlLine digs the line out of a yaml.v3 error ("yaml: line 3: ...").
func yamlLine(err error) int {
	var line int
	if _, e := fmt.Sscanf(strings.TrimPrefix(err.Error(), "yaml: "), "line %d:", &line); e == nil {
		return line
	}
	return 0
}

// buildContext guesses the context of a Dockerfile no compose file
// builds: its own directory, or the nearest directory up to top from
// which more of its COPY and ADD sources exist (images/x/Containerfile is
// often built with the repository root as context).
func buildContext(fsys FS, top, file string) string {
	b, err := fsys.ReadFile(file)
	if err != nil {
		return filepath.Dir(file)
	}
	var srcs []string
	for _, in := range instructions(string(b)) {
		if in.cmd != "COPY" && in.cmd != "ADD" || slices.ContainsFunc(in.args, func(a string) bool { return strings.HasPrefix(a, "--from") }) {
			continue
		}
		var args []string
		for _, a := range in.args {
			if !strings.HasPrefix(a, "--") {
				args = append(args, a)
			}
		}
		if len(args) >= 2 {
			srcs = append(srcs, args[:len(args)-1]...)
		}
	}
	found := func(ctx string) int {
		n := 0
		for _, s := range srcs {
			p := filepath.Join(ctx, s)
			if strings.ContainsAny(s, "*?[") {
				if m, err := fsys.Glob(p); err == nil && len(m) > 0 {
					n++
				}
			} else if _, err := fsys.Stat(p); err == nil {
				n++
			}
		}
		return n
	}
	best, bestN := filepath.Dir(file), -1
	topAbs, _ := filepath.Abs(top)
	for dir := filepath.Dir(file); ; dir = filepath.Dir(dir) {
		if n := found(dir); n > bestN {
			best, bestN = dir, n
		}
		abs, _ := filepath.Abs(dir)
		if abs == topAbs || filepath.Dir(dir) == dir || !within(topAbs, abs) {
			return best
		}
	}
}

// dockerfile reads COPY and ADD into absolute destinations.
func (l *Layout) dockerfile(fsys FS, file, ctx string) {
	b, err := fsys.ReadFile(file)
	if err != nil {
		l.errorf(file, 0, "%s", Reason(err))
		return
	}
	workdir := "/"
	for _, in := range instructions(string(b)) {
		switch in.cmd {
		case "WORKDIR":
			if len(in.args) == 1 {
				workdir = path.Join(workdir, in.args[0])
			}
		case "COPY", "ADD":
			l.copyInstruction(fsys, file, ctx, workdir, in)
		}
	}
}

func (l *Layout) copyInstruction(fsys FS, file, ctx, workdir string, in instruction) {
	var args []string
	for _, a := range in.args {
		if strings.HasPrefix(a, "--from") {
			return // from another stage or image, not the build context
		}
		if !strings.HasPrefix(a, "--") {
			args = append(args, a)
		}
	}
	if len(args) < 2 {
		l.errorf(file, in.line, "%s wants a source and a destination", in.cmd)
		return
	}
	srcs, dst := args[:len(args)-1], args[len(args)-1]
	if strings.Contains(dst, "$") {
		return
	}
	if !strings.HasPrefix(dst, "/") {
		dst = path.Join(workdir, dst)
	}
	intoDir := strings.HasSuffix(args[len(args)-1], "/") || len(srcs) > 1
	origin := fmt.Sprintf("%s:%d", file, in.line)
	for _, s := range srcs {
		if strings.Contains(s, "://") || strings.Contains(s, "$") {
			continue
		}
		matches := []string{filepath.Join(ctx, s)}
		if strings.ContainsAny(s, "*?[") {
			var err error
			if matches, err = fsys.Glob(filepath.Join(ctx, s)); err != nil || len(matches) == 0 {
				l.NotAnalyzed = append(l.NotAnalyzed, report.Skipped{File: origin, Reason: in.cmd + " source " + s + " matches nothing in the build context " + ctx})
				continue
			}
		}
		for _, m := range matches {
			st, err := fsys.Stat(m)
			if err != nil {
				if proxyPath(dst) || dst == "/" {
					l.NotAnalyzed = append(l.NotAnalyzed, report.Skipped{File: origin,
						Reason: fmt.Sprintf("%s source %s is not in the build context %s (%s)", in.cmd, s, ctx, Reason(err))})
				}
				continue
			}
			target := dst
			if intoDir && !st.IsDir() {
				target = path.Join(dst, filepath.Base(m))
			}
			l.Maps = append(l.Maps, Mapping{From: path.Clean(target), To: m, Scope: ctx, Origin: origin})
		}
	}
}

type instruction struct {
	cmd  string
	args []string
	line int
}

// instructions splits a Dockerfile into instructions, joining
// backslash-continued lines and reading the JSON (exec) form.
func instructions(src string) []instruction {
	var out []instruction
	lines := strings.Split(src, "\n")
	for i := 0; i < len(lines); i++ {
		start := i
		text := strings.TrimSpace(lines[i])
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		for strings.HasSuffix(text, "\\") && i+1 < len(lines) {
			i++
			text = strings.TrimSuffix(text, "\\") + " " + strings.TrimSpace(lines[i])
		}
		cmd, rest, _ := strings.Cut(text, " ")
		in := instruction{cmd: strings.ToUpper(cmd), line: start + 1}
		rest = strings.TrimSpace(rest)
		var flags []string
		for strings.HasPrefix(rest, "--") {
			f, r, _ := strings.Cut(rest, " ")
			flags = append(flags, f)
			rest = strings.TrimSpace(r)
		}
		var arr []string
		if strings.HasPrefix(rest, "[") && json.Unmarshal([]byte(rest), &arr) == nil {
			in.args = slices.Concat(flags, arr)
		} else {
			in.args = slices.Concat(flags, strings.Fields(rest))
		}
		out = append(out, in)
	}
	return out
}

// imageDirs are image directories a repository mirrors as a tree of the
// same name (s6-overlay rootfs, Home Assistant add-ons).
var imageDirs = []string{"/usr/local/openresty/nginx/conf", "/etc/openresty", "/etc/nginx"}

// trees maps `.../rootfs` to / and any `.../etc/nginx` (or OpenResty's
// directories) to itself, for the configs that lie in them and that no
// compose file or Dockerfile maps already.
func (l *Layout) trees(configs []string) {
	for _, c := range configs {
		slash := filepath.ToSlash(filepath.Clean(c))
		if !filepath.IsAbs(c) {
			slash = "/" + slash // a walk from inside the tree: ./etc/nginx/...
		}
		for _, img := range imageDirs {
			i := strings.Index(slash, img+"/")
			if i < 0 || (i == 0 && filepath.IsAbs(c)) {
				continue // the machine's own /etc/nginx is no copy of an image
			}
			base := strings.TrimPrefix(slash[:i], "/")
			if filepath.IsAbs(c) {
				base = slash[:i]
			}
			if base == "" {
				base = "."
			}
			base = filepath.FromSlash(base)
			tree := filepath.Join(base, filepath.FromSlash(img))
			if filepath.Base(base) == "rootfs" {
				l.Maps = append(l.Maps, Mapping{From: "/", To: base, Scope: filepath.Dir(base), Origin: base})
			}
			l.Maps = append(l.Maps, Mapping{From: img, To: tree, Scope: base, Origin: tree})
			break
		}
	}
	slices.SortFunc(l.Maps, func(a, b Mapping) int { return strings.Compare(a.Origin+a.From+a.To, b.Origin+b.From+b.To) })
	l.Maps = slices.Compact(l.Maps)
}
