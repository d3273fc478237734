package repo

import (
	"bytes"
	"errors"
	"io/fs"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"github.com/wscheck/wscheck/report"
)

// Kind is what a file in a repository is, as far as wscheck is concerned.
type Kind int

const (
	Other       Kind = iota
	Nginx            // plain nginx config: analyzed
	NotAnalyzed      // proxy config wscheck does not read (yet): listed in the summary
	LayoutFile       // a compose file or Dockerfile: read for path maps
	NginxYAML        // YAML holding nginx text (ConfigMap data, Helm values): its strings are analyzed
	HAProxy          // HAProxy config: analyzed by haproxycheck
	Apache           // Apache httpd config (sections or proxy directives): analyzed by apachecheck
	Kubernetes       // manifest or Helm template with an Ingress or HTTPRoute: analyzed by k8scheck
)

// Inventory is what discovery found below one directory.
type Inventory struct {
	Nginx       []string // nginx configs, in walk order
	Layouts     []string // compose files, Dockerfiles, Kubernetes manifests
	YAML        []string // YAML files with nginx strings (see TemplateFS.AddYAML)
	HAProxy     []string // HAProxy configs, in walk order
	Apache      []string // Apache httpd configs that proxy, in walk order
	Kubernetes  []string // manifests with Ingress or HTTPRoute objects, in walk order
	NotAnalyzed []report.Skipped
	Errors      []report.FileError
}

// WalkOptions steer a walk: slash-separated globs over absolute paths,
// and the walks a run shares among its halves (nil: each walks itself).
type WalkOptions struct {
	Include, Exclude []string
	Walks            *Walks
}

// Discover walks dir and classifies every candidate file. Nothing is
// skipped silently: a directory it cannot enter and a candidate it cannot
// read are errors.
func Discover(fsys FS, dir string, opts WalkOptions) Inventory {
	var inv Inventory
	walk(fsys, dir, dir, opts, &inv)
	return inv
}

func walk(fsys FS, top, dir string, opts WalkOptions, inv *Inventory) {
	ents, err := fsys.ReadDir(dir)
	if err != nil {
		inv.Errors = append(inv.Errors, report.FileError{File: dir, Message: "cannot read directory: " + Reason(err)})
		return
	}
	for _, d := range ents {
		name := d.Name()
		p := filepath.Join(dir, name)
		abs, _ := filepath.Abs(p)
		abs = filepath.ToSlash(abs)
		excluded := slices.ContainsFunc(opts.Exclude, func(g string) bool { return report.MatchPath(g, abs) })
		if d.IsDir() {
			if !strings.HasPrefix(name, ".") && name != "node_modules" && name != "vendor" && !excluded {
				walk(fsys, top, p, opts, inv)
			}
			continue
		}
		if excluded || strings.HasPrefix(name, ".") ||
			(len(opts.Include) > 0 && !slices.ContainsFunc(opts.Include, func(g string) bool { return report.MatchPath(g, abs) })) {
			continue
		}
		if !candidate(p) {
			continue
		}
		if d.Type()&fs.ModeSymlink != 0 {
			// sites-enabled/x -> ../sites-available/x: the target is
			// walked itself; a link out of the repository is not ours.
			continue
		}
		if !d.Type().IsRegular() {
			inv.Errors = append(inv.Errors, report.FileError{File: p, Message: "not a regular file (" + kind(d.Type()) + ")"})
			continue
		}
		b, err := fsys.ReadFile(p)
		switch {
		case err == nil:
		case !nginxName(p) && (errors.Is(err, ErrBinary) || errors.Is(err, ErrTooLarge)):
			// A data file that merely shares a YAML or .cfg ending: said,
			// not fatal.
			inv.NotAnalyzed = append(inv.NotAnalyzed, report.Skipped{File: p, Reason: Reason(err)})
			continue
		default:
			inv.Errors = append(inv.Errors, report.FileError{File: p, Message: Reason(err)})
			continue
		}
		k, why := Classify(p, b)
		switch k {
		case Nginx:
			inv.Nginx = append(inv.Nginx, p)
		case LayoutFile:
			inv.Layouts = append(inv.Layouts, p)
		case NginxYAML:
			inv.YAML = append(inv.YAML, p)
			if k8sWorkload.Match(b) { // a ConfigMap beside the Deployment that mounts it
				inv.Layouts = append(inv.Layouts, p)
			}
		case HAProxy:
			inv.HAProxy = append(inv.HAProxy, p)
		case Apache:
			inv.Apache = append(inv.Apache, p)
		case Kubernetes:
			inv.Kubernetes = append(inv.Kubernetes, p)
			// One manifest often holds the nginx ConfigMap and the
			// Deployment beside the Ingress.
			if k8sConfigMap.Match(b) && yamlNginx.Match(b) {
				inv.YAML = append(inv.YAML, p)
			}
			if k8sWorkload.Match(b) {
				inv.Layouts = append(inv.Layouts, p)
			}
		case NotAnalyzed:
			inv.NotAnalyzed = append(inv.NotAnalyzed, report.Skipped{File: p, Reason: why})
		}
		if k != Kubernetes && IsHelmValues(p) && nginxAnnotation.Match(b) {
			// A chart's values hold the annotations its Ingress
			// template renders: their names are judged too.
			inv.Kubernetes = append(inv.Kubernetes, p)
		}
	}
}

var configDirs = map[string]bool{"sites-available": true, "sites-enabled": true, "conf.d": true, "snippets": true}

var notConfigExt = map[string]bool{".md": true, ".txt": true, ".sh": true, ".py": true, ".go": true, ".yml": true, ".yaml": true,
	".json": true, ".toml": true, ".html": true, ".js": true, ".css": true, ".png": true, ".jpg": true, ".svg": true, ".pem": true,
	".key": true, ".crt": true, ".csr": true, ".gz": true, ".zip": true, ".bak": true, ".orig": true, ".swp": true, ".example": true, ".sample": true, ".j2": true, ".tmpl": true, ".tpl": true}

// nginxName: a file whose name says nginx config.
func nginxName(p string) bool {
	name := filepath.Base(p)
	ext := filepath.Ext(name)
	dir := filepath.Base(filepath.Dir(p))
	return name == "nginx.conf" || ext == ".conf" || (configDirs[dir] && !notConfigExt[ext]) || (dir == "nginx" && ext == "")
}

// candidate is every name worth opening: nginx configs, other proxies'
// configs, templates, and the files that say where configs land.
func candidate(p string) bool {
	name := filepath.Base(p)
	ext := filepath.Ext(name)
	lower := strings.ToLower(name)
	return nginxName(p) || ext == ".cfg" || ext == ".yml" || ext == ".yaml" || ext == ".nginx" || isTemplateName(name) ||
		strings.HasPrefix(lower, "caddyfile") || ext == ".caddy" || isDockerfile(name)
}

func isDockerfile(name string) bool {
	return name == "Dockerfile" || name == "Containerfile" || strings.HasPrefix(name, "Dockerfile.") ||
		strings.HasSuffix(name, ".Dockerfile") || strings.HasPrefix(name, "Containerfile.")
}

// IsHelmValues reports a Helm chart's values file by its conventional
// names (values.yaml, values-prod.yaml, values.staging.yml).
func IsHelmValues(name string) bool {
	name = filepath.Base(name)
	return strings.HasPrefix(name, "values") && (strings.HasSuffix(name, ".yaml") || strings.HasSuffix(name, ".yml"))
}

// IsCompose reports a Compose file by its conventional names.
func IsCompose(name string) bool {
	name = filepath.Base(name)
	return (strings.HasPrefix(name, "docker-compose") || strings.HasPrefix(name, "compose")) &&
		(strings.HasSuffix(name, ".yml") || strings.HasSuffix(name, ".yaml"))
}

// nginxLike tells nginx configs from other *.conf files (redis, supervisor,
// sysctl): only files with an nginx block or a typical nginx directive.
var nginxLike = regexp.MustCompile(`(?m)^\s*(?:(?:http|server|location|upstream|events|map|stream|types|geo)\b[^;{\n]*\{|(?:proxy_\w+|listen|server_name|root|include|return|rewrite|add_header|fastcgi_pass|try_files)\s[^\n]*;)`)

var (
	haproxySection  = regexp.MustCompile(`(?m)^\s*(?:frontend|backend|listen|defaults)(?:\s|$)`)
	apacheProxy     = regexp.MustCompile(`(?mi)^\s*(?:ProxyPass(?:Match)?|ProxyPassReverse|RewriteRule\s.*\[[^\]]*\bP\b)[^\n]*`)
	apacheSection   = regexp.MustCompile(`(?mi)^\s*<(?:VirtualHost|Location|Proxy|IfModule)\b`)
	caddyProxy      = regexp.MustCompile(`(?m)^\s*reverse_proxy\b`)
	k8sRouting      = regexp.MustCompile(`(?m)^kind:\s*["']?(?:Ingress|HTTPRoute)["']?\s*$`)
	k8sRoute        = regexp.MustCompile(`(?m)^kind:\s*["']?(IngressRoute|VirtualService|GRPCRoute)["']?\s*$`)
	traefikYAML     = regexp.MustCompile(`(?m)^\s*(?:routers|entryPoints|entrypoints):\s*$|traefik\.http\.routers\.`)
	envoyYAML       = regexp.MustCompile(`(?m)^\s*static_resources:\s*$|envoy\.filters\.network\.http_connection_manager`)
	yamlNginx       = regexp.MustCompile(`(?m)^\s+(?:server|location\s[^\n{]*|http)\s*\{\s*$|^\s+proxy_(?:pass|set_header|http_version)\s[^\n]*;`)
	nginxAnnotation = regexp.MustCompile(`(?m)^\s+["']?nginx\.(?:ingress\.kubernetes\.io|org|com)/[\w.-]+["']?\s*:`)
	k8sConfigMap    = regexp.MustCompile(`(?m)^kind:\s*["']?ConfigMap`)
	k8sWorkload     = regexp.MustCompile(`(?m)^kind:\s*["']?(?:Deployment|StatefulSet|DaemonSet|Pod)["']?\s*$`)
)

// braceFormat: a line ending in "{" or ";", or one of only "}" (nginx,
// HCL, HOCON); HAProxy's anonymous ACLs "{ ... }" close on their line.
var braceFormat = regexp.MustCompile(`(?m)[{;][ \t]*$|^[ \t]*\}[ \t]*$`)

// Classify says what a file is from its name and content, and for a file
// wscheck does not judge, why.
func Classify(p string, b []byte) (Kind, string) {
	name := filepath.Base(p)
	ext := filepath.Ext(name)
	switch {
	case isDockerfile(name) || IsCompose(name):
		return LayoutFile, ""
	case ext == ".yml" || ext == ".yaml":
		return classifyYAML(b)
	case strings.HasPrefix(strings.ToLower(name), "caddyfile") || ext == ".caddy":
		if caddyProxy.Match(b) {
			return NotAnalyzed, "Caddy config with reverse_proxy: Caddy is not analyzed yet"
		}
		return Other, ""
	}
	if haproxySection.Match(b) && !braceFormat.Match(b) && (ext == ".cfg" || strings.Contains(name, "haproxy")) {
		if d := DetectTemplate(p, b); d != NoTemplate {
			// kolla-ansible's haproxy .cfg.j2: the HAProxy reader does
			// not neutralize templates (yet); said, not an error.
			return NotAnalyzed, "HAProxy config as a " + d.String() + " template: HAProxy templates are not analyzed yet"
		}
		return HAProxy, ""
	}
	if mayApacheSection(b) && apacheSection.Match(b) || mayApacheProxy(b) && apacheProxy.Match(b) {
		if d := DetectTemplate(p, b); d != NoTemplate {
			return NotAnalyzed, "Apache httpd config as a " + d.String() + " template: Apache templates are not analyzed yet"
		}
		// Every httpd config, proxying or not: a vhost that only includes
		// its ProxyPass lines must be read for them to be judged in it.
		return Apache, ""
	}
	if !nginxName(p) && ext != ".nginx" && !isTemplateName(name) {
		return Other, ""
	}
	// Template syntax is recognized by content, whatever the name, and
	// judged on the nginx text it leaves. A template that cannot be
	// neutralized still goes to the loader when it looks like nginx: its
	// error names the construct, where a skip would be silent.
	text := b
	if d := DetectTemplate(p, b); d != NoTemplate {
		nz, err := Neutralize(d, b)
		if err != nil {
			if nginxLike.Match(b) {
				return Nginx, ""
			}
			return Other, ""
		}
		text = nz.Text
	}
	if !nginxLike.Match(text) || !nginxShaped(text) || bindLike(text) {
		return Other, ""
	}
	return Nginx, ""
}

var (
	bindClose  = regexp.MustCompile(`(?m)^\s*\};\s*$`)
	hyphenName = regexp.MustCompile(`(?m)^\s*[a-z]+(?:-[a-z]+)+\s`)
)

// bindLike: BIND's named.conf (often a .conf.j2 beside nginx templates in
// Ansible roles) shares nginx's braces and semicolons, but closes blocks
// with "};" and names its options with hyphens (listen-on, allow-query);
// nginx has neither.
func bindLike(b []byte) bool { return mayBindClose(b) && bindClose.Match(b) && hyphenName.Match(b) }

// The may* functions are necessary conditions checked before expressions
// anchored at line starts: those have no literal prefix for the regexp
// package to search for, so they step through every byte of a file they
// do not match, and on a directory of nginx files that was half of the
// gate's time. Each only says "may match"; FuzzPrefilters holds them to
// their expressions.
func mayApacheSection(b []byte) bool { return bytes.IndexByte(b, '<') >= 0 }

// (?i) also folds k and s onto non-ASCII letters: the words avoid both.
func mayApacheProxy(b []byte) bool {
	return containsFoldASCII(b, "proxypa") || containsFoldASCII(b, "rewriterule")
}

func mayBindClose(b []byte) bool { return bytes.Contains(b, []byte("};")) }

func mayHOCONAssign(line []byte) bool { return bytes.ContainsAny(line, "=:") }

// containsFoldASCII: b holds word (lower-case ASCII) in any case.
func containsFoldASCII(b []byte, word string) bool {
	for i := 0; i+len(word) <= len(b); i++ {
		if asciiEqualFold(b[i:i+len(word)], word) {
			return true
		}
	}
	return false
}

func isTemplateName(name string) bool {
	_, ok := TemplateName(name)
	return ok
}

func classifyYAML(b []byte) (Kind, string) {
	switch {
	case k8sRouting.Match(b):
		return Kubernetes, ""
	case k8sRoute.Match(b):
		return NotAnalyzed, "Kubernetes " + string(k8sRoute.FindSubmatch(b)[1]) + ": Kubernetes routing is not analyzed yet"
	case k8sConfigMap.Match(b) && yamlNginx.Match(b):
		return NginxYAML, ""
	case k8sWorkload.Match(b):
		return LayoutFile, ""
	case envoyYAML.Match(b):
		return NotAnalyzed, "Envoy config: Envoy is not analyzed yet"
	case traefikYAML.Match(b):
		return NotAnalyzed, "Traefik config: Traefik is not analyzed yet"
	case yamlNginx.Match(b):
		return NginxYAML, ""
	}
	return Other, ""
}

// nginxShaped tells nginx from other brace formats that share its words
// (HOCON's `key { ... }` and `key = value`, Caddyfiles, HCL, Lua, JSON):
// nginx ends every statement line with ';', '{' or '}', and never writes
// `key = value` or `key: value` at the start of a line.
func nginxShaped(b []byte) bool {
	statements, ended, assignments := 0, 0, 0
	for line := range bytes.Lines(b) {
		l := bytes.TrimSpace(line)
		if i := bytes.Index(l, []byte(" #")); i >= 0 {
			l = bytes.TrimSpace(l[:i])
		}
		if len(l) == 0 || l[0] == '#' || bytes.Equal(l, []byte("}")) || bytes.Equal(l, []byte("{")) {
			continue
		}
		statements++
		switch l[len(l)-1] {
		case ';', '{', '}':
			ended++
		}
		if mayHOCONAssign(l) && hoconAssign.Match(l) {
			assignments++
		}
	}
	return statements > 0 && ended*2 >= statements && assignments*5 < statements
}

// hoconAssign is `a.b.c = value`, `key: value` or `key = {`.
var hoconAssign = regexp.MustCompile(`^[A-Za-z_][\w.-]*\s*(?:=|:\s)`)
