package report

import "testing"

func TestMatchPath(t *testing.T) {
	tests := []struct {
		pattern, name string
		want          bool
	}{
		{"*.conf", "a.conf", true},
		{"*.conf", "dir/a.conf", false}, // "*" stays inside one segment
		{"**/*.conf", "a.conf", true},
		{"**/*.conf", "x/y/a.conf", true},
		{"/repo/deploy/**", "/repo/deploy", true},
		{"/repo/deploy/**", "/repo/deploy/nginx/a.conf", true},
		{"/repo/deploy/**", "/repo/deployment/a.conf", false},
		{"/repo/**/legacy/*.conf", "/repo/a/b/legacy/x.conf", true},
		{"/repo/**/legacy/*.conf", "/repo/legacy/x.conf", true},
		{"/repo/**/legacy/*.conf", "/repo/legacy/sub/x.conf", false},
		{"sites-*/default", "sites-enabled/default", true},
		{"a/[", "a/[", false}, // malformed: never matches
	}
	for _, tt := range tests {
		if got := MatchPath(tt.pattern, tt.name); got != tt.want {
			t.Errorf("MatchPath(%q, %q) = %v, want %v", tt.pattern, tt.name, got, tt.want)
		}
	}
}

func TestValidGlob(t *testing.T) {
	if err := ValidGlob("a/**/b*.conf"); err != nil {
		t.Errorf("valid pattern rejected: %v", err)
	}
	if err := ValidGlob("a/[b"); err == nil {
		t.Error("unclosed [ accepted")
	}
}
