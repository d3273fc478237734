package nginxcheck

import (
	"strings"
	"testing"
)

func TestTokens(t *testing.T) {
	for _, c := range []struct {
		value   string
		upgrade bool // asksUpgrade
		websock bool // offersWebSocket
	}{
		{"upgrade", true, false},
		{"Upgrade", true, false},
		{"keep-alive, Upgrade", true, false},
		{"keep-alive,UPGRADE", true, false},
		{" upgrade ,", true, false},
		{"upgrade-typo", false, false},
		{"upgraded", false, false},
		{"no-upgrade", false, false},
		{"", false, false},
		{"websocket", false, true},
		{"WebSocket", false, true},
		{"h2c, websocket", false, true},
		{"websockets", false, false},
	} {
		if got := asksUpgrade(c.value); got != c.upgrade {
			t.Errorf("asksUpgrade(%q) = %v, want %v", c.value, got, c.upgrade)
		}
		if got := offersWebSocket(c.value); got != c.websock {
			t.Errorf("offersWebSocket(%q) = %v, want %v", c.value, got, c.websock)
		}
	}
}

func TestRecommendedMap(t *testing.T) {
	if got := recommendedMap(Version{}, "c"); got != `map $http_upgrade $c { default upgrade; '' close; }` {
		t.Errorf("unknown version: %s", got)
	}
	if got := recommendedMap(Version{1, 29, 7}, "c"); got != `map $http_upgrade $c { default upgrade; '' ''; }` {
		t.Errorf("1.29.7: %s", got)
	}
}

// Every message that recommends the Connection map follows --nginx-version.
func TestAdviceFollowsNginxVersion(t *testing.T) {
	for _, fixture := range []string{
		"testdata/rules/missing-connection-header/bad.conf",
		"testdata/rules/broken-upgrade-map/bad.conf",
		"testdata/rules/connection-from-client/bad.conf",
		"testdata/rules/connection-upgrade-on-plain-requests/bad.conf",
	} {
		for _, c := range []struct {
			v    Version
			want string
		}{{Version{}, "'' close; }"}, {Version{1, 29, 7}, "'' ''; }"}} {
			res := Analyze([]string{fixture}, Options{NginxVersion: c.v})
			if len(res.Findings) == 0 {
				t.Fatalf("%s: no findings", fixture)
			}
			advised := 0
			for _, f := range res.Findings {
				if !strings.Contains(f.Message, "map $http_upgrade") {
					continue
				}
				advised++
				if !strings.Contains(f.Message, c.want) {
					t.Errorf("%s with nginx %v: %s: %q lacks %q", fixture, c.v, f.Rule, f.Message, c.want)
				}
			}
			if advised == 0 {
				t.Errorf("%s: no finding recommends the map", fixture)
			}
		}
	}
}

func TestListenPort(t *testing.T) {
	for addr, want := range map[string]int{
		"8080": 8080, "127.0.0.1:8080": 8080, "*:80": 80, "[::]:443": 443, "[::1]": 80,
		"localhost": 80, "app.example.test:8443": 8443,
	} {
		if got, ok := listenPort(addr); !ok || got != want {
			t.Errorf("listenPort(%q) = %d, %v; want %d", addr, got, ok, want)
		}
	}
	for _, addr := range []string{"unix:/run/nginx.sock", "${PORT}", "0", "99999", "", "127.0.0.1:http"} {
		if got, ok := listenPort(addr); ok {
			t.Errorf("listenPort(%q) = %d, known; want unknown", addr, got)
		}
	}
}
