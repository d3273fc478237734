package repo

import (
	"bytes"
	"fmt"
	"path"
	"path/filepath"

	"gopkg.in/yaml.v3"
)

// KubeMounts maps the nginx strings of ConfigMaps onto the paths a
// Deployment, StatefulSet, DaemonSet or Pod in the same directory mounts
// them at (volumeMounts with or without subPath), so that nginx.conf from
// one key reads the default.conf of another through its include, as the
// container does. A Helm template's names are compared neutralized: the
// same {{ include "x.fullname" . }} in both files is the same name.
// virtual says whether a ConfigMap key's text was registered (AddYAML).
func KubeMounts(fsys FS, files []string, virtual func(file, key string) bool) []Mapping {
	type configMap struct {
		file string
		keys []string
	}
	cms := map[string]map[string]configMap{} // dir -> name -> ConfigMap
	type mount struct {
		file, configMap, path, subPath string
		line                           int
	}
	var mounts []mount
	for _, f := range files {
		docs := kubeDocs(fsys, f)
		dir := filepath.Dir(f)
		for _, doc := range docs {
			kind := scalar(lookup(doc, "kind"))
			switch kind {
			case "ConfigMap":
				name := scalar(lookup(lookup(doc, "metadata"), "name"))
				cm := configMap{file: f}
				if data := lookup(doc, "data"); data != nil && data.Kind == yaml.MappingNode {
					for i := 0; i+1 < len(data.Content); i += 2 {
						cm.keys = append(cm.keys, data.Content[i].Value)
					}
				}
				if cms[dir] == nil {
					cms[dir] = map[string]configMap{}
				}
				cms[dir][name] = cm
			case "Deployment", "StatefulSet", "DaemonSet", "Pod", "ReplicaSet", "Job":
				spec := lookup(doc, "spec")
				if kind != "Pod" {
					spec = lookup(lookup(spec, "template"), "spec")
				}
				volumes := map[string]string{} // volume -> ConfigMap name
				for _, v := range seq(lookup(spec, "volumes")) {
					if cm := lookup(v, "configMap"); cm != nil {
						volumes[scalar(lookup(v, "name"))] = scalar(lookup(cm, "name"))
					}
				}
				for _, list := range []string{"containers", "initContainers"} {
					for _, c := range seq(lookup(spec, list)) {
						for _, vm := range seq(lookup(c, "volumeMounts")) {
							cm, ok := volumes[scalar(lookup(vm, "name"))]
							if !ok {
								continue
							}
							mounts = append(mounts, mount{f, cm, scalar(lookup(vm, "mountPath")), scalar(lookup(vm, "subPath")), vm.Line})
						}
					}
				}
			}
		}
	}
	var out []Mapping
	for _, m := range mounts {
		cm, ok := cms[filepath.Dir(m.file)][m.configMap]
		if !ok || !path.IsAbs(m.path) {
			continue
		}
		origin := fmt.Sprintf("%s:%d", m.file, m.line)
		for _, k := range cm.keys {
			from := path.Join(m.path, k) // the whole ConfigMap: one file per key
			if m.subPath != "" {
				if k != m.subPath {
					continue
				}
				from = path.Clean(m.path)
			}
			if virtual(cm.file, "data."+k) {
				out = append(out, Mapping{From: from, To: VirtualName(cm.file, "data."+k), Scope: filepath.Dir(m.file), Origin: origin})
			}
		}
	}
	return out
}

// kubeDocs parses a YAML file's documents, neutralizing template syntax
// first; a file that does not parse adds nothing here (AddYAML reports it).
func kubeDocs(fsys FS, f string) []*yaml.Node {
	b, err := fsys.ReadFile(f)
	if err != nil {
		return nil
	}
	if d := DetectTemplate(f, b); d != NoTemplate {
		if b, err = neutralizeYAML(d, b); err != nil {
			return nil
		}
	}
	var out []*yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(b))
	for {
		var doc yaml.Node
		if err := dec.Decode(&doc); err != nil {
			return out // io.EOF, or a document AddYAML reports
		}
		out = append(out, root(&doc))
	}
}

func scalar(n *yaml.Node) string {
	if n == nil || n.Kind != yaml.ScalarNode {
		return ""
	}
	return n.Value
}

// The official nginx image renders /etc/nginx/templates/X.template with
// envsubst into /etc/nginx/conf.d/X when it starts
// (docker-entrypoint.d/20-envsubst-on-templates.sh, subdirectories kept):
// a repository's template is the conf.d file its nginx.conf includes.
const (
	imageTemplates = "/etc/nginx/templates"
	imageOutput    = "/etc/nginx/conf.d"
	templateSuffix = ".template"
)

// EnvsubstOutputs maps the conf.d files the official image renders onto
// the templates the given mappings mount at /etc/nginx/templates.
func EnvsubstOutputs(fsys FS, maps []Mapping) []Mapping {
	var out []Mapping
	for _, m := range maps {
		if path.Clean(m.From) != imageTemplates {
			continue
		}
		var walk func(dir, rel string)
		walk = func(dir, rel string) {
			ents, err := fsys.ReadDir(dir)
			if err != nil {
				return
			}
			for _, e := range ents {
				p, r := filepath.Join(dir, e.Name()), path.Join(rel, e.Name())
				switch {
				case e.IsDir():
					walk(p, r)
				case e.Type().IsRegular() && len(r) > len(templateSuffix) && r[len(r)-len(templateSuffix):] == templateSuffix:
					out = append(out, Mapping{From: path.Join(imageOutput, r[:len(r)-len(templateSuffix)]), To: p, Scope: m.Scope, Origin: m.Origin})
				}
			}
		}
		walk(m.To, "")
	}
	return out
}
