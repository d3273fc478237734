package repo

import "testing"

var prefilterSeeds = []string{
	"<VirtualHost *:80>\n  ProxyPass /ws ws://b/\n</VirtualHost>\n", "  proxypassreverse / http://b/\n", "RewriteRule ^/(.*) http://b/$1 [P,L]\n",
	"options {\n  listen-on { any; };\n};\n", "key = value\n", "a: b\n", "server {\n  listen 80;\n}\n", "  <ifmodule mod_proxy.c>\n",
	"PROXYPASS / x\n", "rewriterule\t^ x [p]\n", "};", "",
}

// FuzzPrefilters: where an expression matches, its prefilter says it may.
func FuzzPrefilters(f *testing.F) {
	for _, s := range prefilterSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, c := range []struct {
			name  string
			may   func([]byte) bool
			match func([]byte) bool
		}{
			{"apacheSection", mayApacheSection, apacheSection.Match},
			{"apacheProxy", mayApacheProxy, apacheProxy.Match},
			{"bindClose", mayBindClose, bindClose.Match},
			{"hoconAssign", mayHOCONAssign, hoconAssign.Match},
		} {
			if c.match(b) && !c.may(b) {
				t.Errorf("%s matches %q, its prefilter says it cannot", c.name, b)
			}
		}
	})
}

// TestPrefilters: each prefilter lets its expression's matches through
// (the seeds) and rules out text without its literal.
func TestPrefilters(t *testing.T) {
	for _, s := range prefilterSeeds {
		if apacheProxy.MatchString(s) && !mayApacheProxy([]byte(s)) {
			t.Errorf("%q: apacheProxy matches, mayApacheProxy says no", s)
		}
	}
	if mayApacheProxy([]byte("proxy_pass http://b;\n")) || mayApacheSection([]byte("server { }\n")) || mayBindClose([]byte("a { b; }\n")) {
		t.Error("a prefilter lets nginx text through that holds none of its literals")
	}
}
