package repo

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"path"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"gopkg.in/yaml.v3"

	"github.com/wscheck/wscheck/report"
)

// Kubernetes: a ConfigMap's keys land where a Deployment, StatefulSet,
// DaemonSet or Pod mounts them (volumeMounts with or without subPath,
// configMap volumes with or without items). The key's nginx text is the
// virtual file TemplateFS.AddYAML serves (VirtualName), so an nginx.conf
// key that includes /etc/nginx/conf.d/*.conf reads the conf.d keys.

type configMap struct {
	file string
	keys []string // data keys
}

type k8sVolume struct {
	configMap string            // the ConfigMap's name, as written
	items     map[string]string // key -> path, when the volume lists items
}

type k8sMount struct {
	volume, mountPath, subPath string
	line                       int
}

// kubernetes maps mounted ConfigMap keys. A ConfigMap is looked up in the
// workload's file and then in its directory: Helm charts and plain
// manifests keep them side by side.
func (l *Layout) kubernetes(fsys FS, files []string) {
	maps := map[string][]configMap{} // by name, then by file
	type workload struct {
		file    string
		volumes map[string]k8sVolume
		mounts  []k8sMount
	}
	var workloads []workload
	for _, f := range files {
		docs, err := yamlDocs(fsys, f)
		if err != nil {
			continue // the YAML reader reports files that do not parse
		}
		for _, d := range docs {
			switch d.kind {
			case "ConfigMap":
				maps[d.name] = append(maps[d.name], configMap{file: f, keys: d.keys})
			case "Deployment", "StatefulSet", "DaemonSet", "Pod", "ReplicaSet", "Job", "CronJob":
				workloads = append(workloads, workload{file: f, volumes: d.volumes, mounts: d.mounts})
			}
		}
	}
	for _, w := range workloads {
		for _, m := range w.mounts {
			vol, ok := w.volumes[m.volume]
			if !ok || vol.configMap == "" {
				continue
			}
			cm, ok := pickConfigMap(maps[vol.configMap], w.file)
			origin := fmt.Sprintf("%s:%d", w.file, m.line)
			if !ok {
				if proxyPath(m.mountPath) {
					l.NotAnalyzed = append(l.NotAnalyzed, report.Skipped{File: origin,
						Reason: fmt.Sprintf("ConfigMap %s mounted at %s is not in the repository beside it", vol.configMap, m.mountPath)})
				}
				continue
			}
			for _, key := range cm.keys {
				dst := path.Join(m.mountPath, key)
				if p, listed := vol.items[key]; listed {
					dst = path.Join(m.mountPath, p)
				} else if vol.items != nil {
					continue // items name the only keys the volume holds
				}
				if m.subPath != "" {
					if m.subPath != strings.TrimPrefix(dst, m.mountPath+"/") {
						continue
					}
					dst = m.mountPath
				}
				l.Maps = append(l.Maps, Mapping{From: path.Clean(dst), To: VirtualName(cm.file, "data."+key), Scope: filepath.Dir(w.file), Origin: origin})
			}
		}
	}
}

// pickConfigMap prefers the ConfigMap in the workload's own file, then
// one in its directory.
func pickConfigMap(cands []configMap, file string) (configMap, bool) {
	for _, c := range cands {
		if c.file == file {
			return c, true
		}
	}
	for _, c := range cands {
		if filepath.Dir(c.file) == filepath.Dir(file) {
			return c, true
		}
	}
	return configMap{}, false
}

type k8sDoc struct {
	kind, name string
	keys       []string
	volumes    map[string]k8sVolume
	mounts     []k8sMount
}

// yamlDocs reads the Kubernetes objects of a manifest or Helm template
// (template syntax neutralized first). Names are compared as written, so
// `{{ include "app.fullname" . }}-nginx` matches the same text elsewhere.
func yamlDocs(fsys FS, name string) ([]k8sDoc, error) {
	src, err := fsys.ReadFile(name)
	if err != nil {
		return nil, err
	}
	text := src
	if d := DetectTemplate(name, src); d != NoTemplate {
		if text, err = neutralizeYAML(d, src); err != nil {
			return nil, err
		}
	}
	raw := func(n *yaml.Node) string { return originalText(src, text, n) }
	var out []k8sDoc
	dec := yaml.NewDecoder(bytes.NewReader(text))
	for {
		var doc yaml.Node
		if err := dec.Decode(&doc); err != nil {
			if errors.Is(err, io.EOF) {
				return out, nil
			}
			return out, err
		}
		top := root(&doc)
		d := k8sDoc{volumes: map[string]k8sVolume{}}
		if k := lookup(top, "kind"); k != nil {
			d.kind = k.Value
		}
		if n := lookup(lookup(top, "metadata"), "name"); n != nil {
			d.name = raw(n)
		}
		if data := lookup(top, "data"); data != nil && data.Kind == yaml.MappingNode {
			for i := 0; i+1 < len(data.Content); i += 2 {
				d.keys = append(d.keys, data.Content[i].Value)
			}
		}
		visit(top, func(key string, v *yaml.Node) {
			switch key {
			case "volumes":
				for _, vol := range seq(v) {
					n, cm := lookup(vol, "name"), lookup(vol, "configMap")
					if n == nil || cm == nil || lookup(cm, "name") == nil {
						continue
					}
					kv := k8sVolume{configMap: raw(lookup(cm, "name"))}
					if items := lookup(cm, "items"); items != nil {
						kv.items = map[string]string{}
						for _, it := range seq(items) {
							if k, p := lookup(it, "key"), lookup(it, "path"); k != nil && p != nil {
								kv.items[k.Value] = p.Value
							}
						}
					}
					d.volumes[n.Value] = kv
				}
			case "volumeMounts":
				for _, m := range seq(v) {
					n, p := lookup(m, "name"), lookup(m, "mountPath")
					if n == nil || p == nil || !strings.HasPrefix(p.Value, "/") {
						continue
					}
					km := k8sMount{volume: n.Value, mountPath: path.Clean(p.Value), line: m.Line}
					if s := lookup(m, "subPath"); s != nil {
						km.subPath = s.Value
					}
					d.mounts = append(d.mounts, km)
				}
			}
		})
		out = append(out, d)
	}
}

// visit calls fn for every mapping entry below n.
func visit(n *yaml.Node, fn func(key string, v *yaml.Node)) {
	if n == nil {
		return
	}
	if n.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(n.Content); i += 2 {
			fn(n.Content[i].Value, n.Content[i+1])
		}
	}
	for _, c := range n.Content {
		visit(c, fn)
	}
}

// originalText is a scalar as the template wrote it: neutralization keeps
// every character at its line and column, so the same span of the source
// holds the template expression a placeholder stands for.
func originalText(src, text []byte, n *yaml.Node) string {
	if !strings.ContainsRune(n.Value, PlaceholderRune) || n.Style != 0 {
		return n.Value
	}
	line := nthLine(src, n.Line)
	runes := []rune(string(line))
	start, end := n.Column-1, n.Column-1+utf8.RuneCountInString(n.Value)
	if start < 0 || end > len(runes) {
		return n.Value
	}
	return string(runes[start:end])
}

func nthLine(b []byte, n int) []byte {
	for i := 1; i < n; i++ {
		j := bytes.IndexByte(b, '\n')
		if j < 0 {
			return nil
		}
		b = b[j+1:]
	}
	if j := bytes.IndexByte(b, '\n'); j >= 0 {
		return b[:j]
	}
	return b
}

// SourceText rewrites every virtual file name in a message to its YAML
// file: positions in a YAML string's text are the YAML file's own.
func SourceText(s string) string {
	for {
		i := strings.Index(s, virtualSep)
		if i < 0 {
			return s
		}
		j := strings.IndexAny(s[i:], ":) ")
		if j < 0 {
			return s[:i]
		}
		s = s[:i] + s[i+j:]
	}
}
