package load

import (
	"path/filepath"
	"strings"
)

// Stock files are named by includes in almost every repository but live on
// the deployment host. Their contents are known, so they are modeled, not
// treated as unknown. Only proxy_params sets anything the rules read; the
// others hold TLS, MIME or FastCGI settings, i.e. nothing for a proxy.
var stockContents = map[string]string{
	// Debian bookworm's nginx package, /etc/nginx/proxy_params.
	"proxy_params":           "proxy_set_header Host $host;\nproxy_set_header X-Real-IP $remote_addr;\nproxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;\nproxy_set_header X-Forwarded-Proto $scheme;\n",
	"options-ssl-nginx.conf": "",
	"mime.types":             "",
	"fastcgi_params":         "",
	"fastcgi.conf":           "",
	"uwsgi_params":           "",
	"scgi_params":            "",
}

// stockParsed is built once at start-up so that concurrent loaders share it safely.
var stockParsed = func() map[string]*File {
	m := map[string]*File{}
	for base, body := range stockContents {
		f := &File{Path: "(stock " + base + ")"}
		nodes, sc, err := scan([]byte(body), f)
		if err != nil {
			panic("stock file " + base + ": " + err.Error())
		}
		f.Nodes, f.Comments = nodes, sc.comments
		m[base] = f
	}
	return m
}()

func stockFile(arg string) (*File, bool) {
	base := filepath.Base(arg)
	_, ok := stockContents[base]
	if !ok {
		return nil, false
	}
	// options-ssl-nginx.conf is Certbot's; other names of that base are not.
	if base == "options-ssl-nginx.conf" && !strings.Contains(arg, "letsencrypt") {
		return nil, false
	}
	return stockParsed[base], true
}
