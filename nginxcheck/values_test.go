package nginxcheck

import "testing"

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
