package nginxcheck

import (
	"slices"
	"strings"
	"testing"
)

// Template neutralization (package repo) leaves placeholders (¤...) and
// condition markers (¤if; ¤else; ¤end;) in nginx text. No finding may depend
// on a placeholder's value or on a directive that exists only under a
// condition inside the location; a block under a condition is still judged.
func TestTemplatePlaceholdersAreUnknown(t *testing.T) {
	const ws = "proxy_pass http://b; proxy_set_header Upgrade $http_upgrade; proxy_set_header Connection upgrade; proxy_set_header Host $host; proxy_read_timeout 1h;"
	cases := []struct {
		name, conf string
		want       []string // rules reported
	}{
		{"literal 1.0 is judged", "server { proxy_http_version 1.0; location /ws { " + ws + " } }", []string{"missing-http-version"}},
		{"placeholder version is unknown", "server { proxy_http_version ¤¤¤¤¤¤¤¤¤¤¤; location /ws { " + ws + " } }", nil},
		{"placeholder timeout is unknown", "server { location /ws { proxy_http_version 1.1; " + strings.Replace(ws, "1h", "¤¤¤¤¤¤", 1) + " } }", nil},
		{"literal timeout is judged", "server { location /ws { proxy_http_version 1.1; " + strings.Replace(ws, "1h", "30s", 1) + " } }", []string{"short-read-timeout"}},
		{"placeholder Connection is unknown", "server { location /ws { proxy_http_version 1.1; " + strings.Replace(ws, "Connection upgrade", "Connection ¤¤¤¤¤¤¤", 1) + " } }", nil},
		{"literal Connection is judged", "server { location /ws { proxy_http_version 1.1; " + strings.Replace(ws, "Connection upgrade", "Connection close", 1) + " } }", []string{"missing-connection-header"}},
		{"conditional version inside the location is unknown", "server { location /ws { ¤if; proxy_http_version 1.1; ¤end; " + ws + " } }", nil},
		{"conditional headers inside the location are unknown", "server { location /ws { proxy_http_version 1.1; proxy_pass http://b; ¤if; proxy_set_header Upgrade $http_upgrade; ¤end; proxy_set_header Host $host; proxy_read_timeout 1h; } }", nil},
		{"a location under a condition is judged", "server { ¤if; location /ws { proxy_http_version 1.1; proxy_pass http://b; proxy_set_header Upgrade $http_upgrade; proxy_set_header Host $host; proxy_read_timeout 1h; } ¤else; ¤end; }", []string{"missing-connection-header"}},
		{"directives rendered by a placeholder are unknown", "server { location /ws { proxy_http_version 1.1; proxy_pass http://b; proxy_set_header Upgrade $http_upgrade; proxy_set_header Host $host; ¤¤¤¤¤¤¤¤; } }", nil},
		{"a plain location's constant Connection upgrade is judged", "server { location /app/ { proxy_http_version 1.1; " + ws + " } }", []string{"connection-upgrade-on-plain-requests"}},
		{"a templated location path may be a WebSocket endpoint", "server { location /¤¤¤¤¤¤¤¤/ { proxy_http_version 1.1; " + ws + " } }", nil},
		{"a map with a placeholder entry is unknown", "http { map $http_upgrade $c { default ¤¤¤¤¤¤; '' close; } server { location /ws { proxy_http_version 1.1; " + strings.Replace(ws, "Connection upgrade", "Connection $c", 1) + " } } }", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res := AnalyzeDump(strings.NewReader("# configuration file t.conf:\n"+c.conf+"\n"), Options{})
			if len(res.Errors) > 0 {
				t.Fatalf("errors: %+v", res.Errors)
			}
			var got []string
			for _, f := range res.Findings {
				got = append(got, f.Rule)
			}
			if !slices.Equal(got, c.want) {
				t.Errorf("findings %v, want %v", res.Findings, c.want)
			}
		})
	}
}

// A message names a templated location the way a user reads it.
func TestPlaceholderInMessage(t *testing.T) {
	res := AnalyzeDump(strings.NewReader("# configuration file t.conf:\nserver { location /¤¤¤¤¤¤¤¤/ws { proxy_pass http://b; proxy_http_version 1.1; proxy_set_header Host $host; proxy_read_timeout 1h; } }\n"), Options{})
	if len(res.Findings) == 0 {
		t.Fatal("no finding")
	}
	for _, f := range res.Findings {
		if !strings.Contains(f.Message, `"/<template>/ws"`) || strings.ContainsRune(f.Message, '¤') {
			t.Errorf("message %q, want the location written /<template>/ws", f.Message)
		}
	}
}
