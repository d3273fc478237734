package nginxcheck

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/wscheck/wscheck/repo"
	"github.com/wscheck/wscheck/report"
)

// The fuzz targets feed hostile config text to the loader and the rules:
// a file, an include tree and an `nginx -T` dump. Each asserts that
// nothing panics, that every error is located, and that every output
// format stays valid. `go test -fuzz FuzzFile ./nginxcheck` runs one for
// as long as you like; CI runs each for a few seconds.

// seeds adds every config fixture of the repository to the corpus.
func seeds(f *testing.F, add func(b []byte)) {
	for _, root := range []string{"testdata/rules", "../testdata/nginx", "../testdata/examples", "../testdata/repos"} {
		_ = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() && (strings.HasSuffix(p, ".conf") || strings.HasSuffix(p, ".nginx")) {
				if b, err := os.ReadFile(p); err == nil {
					add(b)
				}
			}
			return nil
		})
	}
}

// wholeFile: errors about a file as a whole have no line to point at.
func wholeFile(msg string) bool {
	for _, r := range []string{"binary data", "too large", "not a regular file"} {
		if strings.HasPrefix(msg, r) {
			return true
		}
	}
	return false
}

// checkResult asserts what every run must give, whatever its input.
func checkResult(t *testing.T, res report.Result) {
	t.Helper()
	for _, e := range res.Errors {
		if e.File == "" || e.Message == "" {
			t.Fatalf("error without a file or a message: %+v", e)
		}
		if e.Line <= 0 && !wholeFile(e.Message) {
			t.Fatalf("config text gave an error without a line: %+v", e)
		}
	}
	for _, f := range res.Findings {
		if f.Line <= 0 || f.Rule == "" {
			t.Fatalf("finding without a line or a rule: %+v", f)
		}
	}
	res.Normalize("")
	for _, format := range report.Formats {
		var b bytes.Buffer
		if err := report.Write(&b, format, res, report.SARIFOptions{Rules: Rules()}); err != nil {
			t.Fatalf("%s: %v", format, err)
		}
		out := b.Bytes()
		switch format {
		case "json", "sarif":
			if !json.Valid(out) {
				t.Fatalf("%s output is not valid JSON:\n%s", format, out)
			}
		case "checkstyle":
			var v any
			if err := xml.Unmarshal(out, &v); err != nil {
				t.Fatalf("checkstyle output is not XML: %v\n%s", err, out)
			}
		case "text", "github":
			if bytes.ContainsAny(out, "\x1b\r") || !utf8.Valid(out) {
				t.Fatalf("%s output carries raw control bytes or invalid UTF-8:\n%q", format, out)
			}
			want := len(res.Findings) + len(res.Errors)
			for _, f := range res.Findings {
				if f.Reason != "" && format == "text" {
					want++ // the reason's continuation line
				}
			}
			if lines := bytes.Count(out, []byte{'\n'}); lines != want {
				t.Fatalf("%s output has %d lines for %d: a message broke a line", format, lines, want)
			}
		}
	}
}

func FuzzFile(f *testing.F) {
	seeds(f, func(b []byte) { f.Add(b) })
	f.Fuzz(func(t *testing.T, src []byte) {
		mem := &repo.Mem{Files: map[string]repo.MemFile{"/r/nginx.conf": {Data: string(src)}}}
		checkResult(t, AnalyzeFS(mem, []string{"/r/nginx.conf"}, Options{}))
	})
}

// FuzzTree splits the input at NUL-free markers into a root and two
// files it includes, so includes, globs and cycles are fuzzed too.
func FuzzTree(f *testing.F) {
	f.Add([]byte("http { include conf.d/*.conf; }"), []byte("server { location /ws { include ../snip; proxy_pass http://a; } }"), []byte("proxy_set_header Upgrade $http_upgrade;"))
	f.Add([]byte("include conf.d/a.conf;"), []byte("include ../nginx.conf;"), []byte(""))
	seeds(f, func(b []byte) { f.Add([]byte("http { include conf.d/*.conf; }"), b, b) })
	f.Fuzz(func(t *testing.T, root, site, snippet []byte) {
		mem := &repo.Mem{Files: map[string]repo.MemFile{
			"/r/nginx.conf":       {Data: string(root)},
			"/r/conf.d/a.conf":    {Data: string(site)},
			"/r/snip":             {Data: string(snippet)},
			"/r/conf.d/pipe.conf": {Data: "", Mode: fs.ModeNamedPipe},
		}}
		checkResult(t, AnalyzeFS(mem, []string{"/r"}, Options{}))
	})
}

func FuzzDump(f *testing.F) {
	f.Add([]byte("# configuration file /etc/nginx/nginx.conf:\nhttp { include /etc/nginx/conf.d/*.conf; }\n# configuration file /etc/nginx/conf.d/a.conf:\nserver { location /ws { proxy_pass http://a; } }\n"))
	seeds(f, func(b []byte) { f.Add(append([]byte("# configuration file /etc/nginx/nginx.conf:\n"), b...)) })
	f.Fuzz(func(t *testing.T, dump []byte) {
		res := AnalyzeDump(bytes.NewReader(dump), Options{})
		for _, e := range res.Errors {
			if e.File == "-" && e.Line <= 0 {
				t.Fatalf("dump error without a line: %+v", e)
			}
		}
		checkResult(t, res)
	})
}
