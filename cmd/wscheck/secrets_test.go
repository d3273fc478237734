package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// secrets are distinctive values in the directives that hold credentials;
// no report may carry them, whatever the format.
var secrets = []string{
	"SECRETKEY-9f3a7c",      // ssl_certificate_key path
	"HTPASSWD-7d2e1b",       // auth_basic_user_file path
	"S3CR3T-LINK-4b8e0a",    // secure_link_secret
	"QVVUSC1TRUNSRVQ=",      // a credential in an inherited proxy_set_header
	"APIKEY-5e6f7a",         // another header value the location drops
	"SECRETKEY-broken-0c1d", // next to a syntax error
}

var secretTree = map[string]string{
	"nginx.conf": `events {}
http {
    map $http_upgrade $connection_upgrade { default upgrade; '' close; }
    server {
        listen 443 ssl;
        ssl_certificate     /etc/ssl/site.pem;
        ssl_certificate_key /etc/ssl/private/SECRETKEY-9f3a7c.key;
        proxy_http_version 1.1;
        proxy_set_header Authorization "Basic QVVUSC1TRUNSRVQ=";
        proxy_set_header X-Api-Key APIKEY-5e6f7a;
        proxy_set_header Upgrade $http_upgrade;
        proxy_set_header Connection $connection_upgrade;

        location /ws {
            auth_basic "chat";
            auth_basic_user_file /etc/nginx/HTPASSWD-7d2e1b;
            secure_link_secret S3CR3T-LINK-4b8e0a;
            proxy_set_header X-Real-IP $remote_addr;
            proxy_pass http://app;
        }
        location /live/ws { secure_link_secret S3CR3T-LINK-4b8e0a; proxy_pass http://app; }
    }
}
`,
	"conf.d/broken.conf": `server {
    ssl_certificate_key /etc/ssl/private/SECRETKEY-broken-0c1d.key
    location /ws { proxy_pass http://app; }
`,
}

func TestReportsCarryNoSecrets(t *testing.T) {
	repo := newRepo(t, secretTree)
	for _, format := range []string{"text", "json", "sarif", "github", "checkstyle"} {
		for name, args := range map[string][]string{
			"nginx": {"nginx", "--format", format, filepath.Join(repo, "nginx.conf"), filepath.Join(repo, "conf.d", "broken.conf")},
			"gate":  {"--format", format, "--fail-on", "info", repo},
		} {
			t.Run(format+"/"+name, func(t *testing.T) {
				out, stderr, code := wsRun(t, repo, args...)
				// The run must have analyzed the configs, or the check
				// below proves nothing: findings name the locations (only
				// messages mention /live/ws) and the broken file makes
				// it exit 2.
				// Text prints input errors on stderr.
				if code != 2 || !strings.Contains(out, "/live/ws") || !strings.Contains(out+stderr, "broken.conf") {
					t.Fatalf("exit %d, want 2 with findings and the broken file reported; stdout:\n%s\nstderr:\n%s", code, out, stderr)
				}
				for _, s := range secrets {
					if strings.Contains(out, s) || strings.Contains(stderr, s) {
						t.Errorf("%s output carries the secret %q:\n%s%s", format, s, out, stderr)
					}
				}
			})
		}
	}
}
