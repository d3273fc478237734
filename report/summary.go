package report

import (
	"cmp"
	"fmt"
	"io"
	"slices"
	"strings"
)

// Summary is what a run judged. Every count is of things analyzed, never
// of things merely found: a proxy config wscheck cannot read is listed in
// NotAnalyzed with its reason instead.
type Summary struct {
	Files              int       `json:"files"`                        // nginx files analyzed
	WebSocketLocations int       `json:"websocket_locations"`          // locations judged as WebSocket
	Templates          int       `json:"templates"`                    // templated files analyzed
	TemplateLocations  int       `json:"template_websocket_locations"` // WebSocket locations judged in them
	GoPackages         int       `json:"go_packages"`                  // Go packages analyzed
	HAProxyFiles       int       `json:"haproxy_files"`                // HAProxy configs analyzed
	HAProxyBackends    int       `json:"haproxy_websocket_backends"`   // backends and listen sections judged as receiving WebSockets
	ApacheFiles        int       `json:"apache_files"`                 // Apache httpd files analyzed (includes too)
	ApacheMappings     int       `json:"apache_websocket_mappings"`    // ProxyPass and RewriteRule [P] mappings judged as WebSocket
	KubernetesFiles    int       `json:"kubernetes_files"`             // manifests with Ingress or HTTPRoute objects analyzed
	PathMaps           []PathMap `json:"path_maps"`                    // given or inferred from the layout
	NotAnalyzed        []Skipped `json:"not_analyzed"`
}

// PathMap is one mapping of an image path onto the repository.
type PathMap struct {
	From   string `json:"from"`             // the path inside the image or host, e.g. /etc/nginx/conf.d
	To     string `json:"to"`               // where the repository holds it
	Origin string `json:"origin,omitempty"` // file:line that implies it; "" when given by the user
}

// Skipped is a proxy-looking file that was not judged, with the reason.
type Skipped struct {
	File   string `json:"file"`
	Reason string `json:"reason"`
}

// Merge adds other's counts and lists.
func (s *Summary) Merge(o Summary) {
	s.Files += o.Files
	s.WebSocketLocations += o.WebSocketLocations
	s.Templates += o.Templates
	s.TemplateLocations += o.TemplateLocations
	s.GoPackages += o.GoPackages
	s.HAProxyFiles += o.HAProxyFiles
	s.HAProxyBackends += o.HAProxyBackends
	s.ApacheFiles += o.ApacheFiles
	s.ApacheMappings += o.ApacheMappings
	s.KubernetesFiles += o.KubernetesFiles
	s.PathMaps = append(s.PathMaps, o.PathMaps...)
	s.NotAnalyzed = append(s.NotAnalyzed, o.NotAnalyzed...)
}

func (s *Summary) normalize(base string) {
	for i := range s.PathMaps {
		s.PathMaps[i].To = relativeTo(base, s.PathMaps[i].To)
		if file, line, ok := strings.Cut(s.PathMaps[i].Origin, ":"); ok {
			s.PathMaps[i].Origin = relativeTo(base, file) + ":" + line
		} else {
			s.PathMaps[i].Origin = relativeTo(base, s.PathMaps[i].Origin)
		}
	}
	for i := range s.NotAnalyzed {
		s.NotAnalyzed[i].File = relativeTo(base, s.NotAnalyzed[i].File)
	}
	slices.SortFunc(s.PathMaps, func(a, b PathMap) int {
		return cmp.Or(cmp.Compare(a.Origin, b.Origin), cmp.Compare(a.From, b.From), cmp.Compare(a.To, b.To))
	})
	s.PathMaps = slices.Compact(s.PathMaps)
	slices.SortFunc(s.NotAnalyzed, func(a, b Skipped) int { return cmp.Compare(a.File, b.File) })
	s.NotAnalyzed = slices.Compact(s.NotAnalyzed)
	s.fillLists()
}

// fillLists makes empty lists print as [] rather than null in JSON.
func (s *Summary) fillLists() {
	if s.PathMaps == nil {
		s.PathMaps = []PathMap{}
	}
	if s.NotAnalyzed == nil {
		s.NotAnalyzed = []Skipped{}
	}
}

// WriteSummary prints the one line a terminal run ends with (on stderr,
// as golangci-lint prints its count), and with verbose every path map and
// every file not analyzed.
func WriteSummary(w io.Writer, r Result, verbose bool) {
	s := r.Summary
	if verbose {
		for _, m := range s.PathMaps {
			origin := "--path-map"
			if m.Origin != "" {
				origin = m.Origin
			}
			fmt.Fprintf(w, "wscheck: path map %s -> %s (%s)\n", Escape(m.From), Escape(m.To), Escape(origin))
		}
		for _, n := range s.NotAnalyzed {
			fmt.Fprintf(w, "wscheck: not analyzed: %s: %s\n", Escape(n.File), Escape(n.Reason))
		}
	}
	var parts []string
	// The nginx counts are said whenever nginx was read, and when nothing
	// else was: "0 nginx files" is then the news.
	if s.Files > 0 || s.WebSocketLocations > 0 || s.HAProxyFiles+s.ApacheFiles+s.KubernetesFiles+s.GoPackages == 0 {
		parts = append(parts, plural(s.Files, "nginx file"), plural(s.WebSocketLocations, "WebSocket location")+" judged")
	}
	if s.Templates > 0 {
		parts = append(parts, plural(s.Templates, "template")+" ("+plural(s.TemplateLocations, "WebSocket location")+" in them)")
	}
	// The other proxies say what they judged too: a clean run over a
	// mode tcp HAProxy config judged nothing, and says so.
	if s.HAProxyFiles > 0 {
		parts = append(parts, plural(s.HAProxyFiles, "HAProxy file")+" ("+plural(s.HAProxyBackends, "WebSocket backend")+" judged)")
	}
	if s.ApacheFiles > 0 {
		parts = append(parts, plural(s.ApacheFiles, "Apache file")+" ("+plural(s.ApacheMappings, "WebSocket mapping")+" judged)")
	}
	if s.KubernetesFiles > 0 {
		parts = append(parts, plural(s.KubernetesFiles, "Kubernetes file"))
	}
	if s.GoPackages > 0 {
		parts = append(parts, plural(s.GoPackages, "Go package"))
	}
	if len(s.PathMaps) > 0 {
		parts = append(parts, plural(len(s.PathMaps), "path map"))
	}
	if len(s.NotAnalyzed) > 0 {
		hint := ""
		if !verbose {
			hint = " (--verbose lists them)"
		}
		parts = append(parts, fmt.Sprintf("%d not analyzed%s", len(s.NotAnalyzed), hint))
	}
	fmt.Fprintf(w, "wscheck: %s; %s, %s\n", strings.Join(parts, ", "), plural(len(r.Findings), "finding"), plural(len(r.Errors), "error"))
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}
