package report

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func TestApplyEdits(t *testing.T) {
	src := "location /ws {\n    proxy_pass http://b;\n}\n"
	at := strings.Index(src, "    proxy_pass")
	tests := []struct {
		name  string
		src   string
		edits []Edit
		want  string
		err   string
	}{
		{name: "insert", src: src, edits: []Edit{{Start: at, End: at, New: "    proxy_http_version 1.1;\n"}},
			want: "location /ws {\n    proxy_http_version 1.1;\n    proxy_pass http://b;\n}\n"},
		{name: "replace", src: src, edits: []Edit{{Start: strings.Index(src, "http://b"), End: strings.Index(src, "http://b") + 8, New: "http://c"}},
			want: "location /ws {\n    proxy_pass http://c;\n}\n"},
		{name: "two insertions at one offset keep their order", src: src, edits: []Edit{{Start: at, End: at, New: "    a;\n"}, {Start: at, End: at, New: "    b;\n"}},
			want: "location /ws {\n    a;\n    b;\n    proxy_pass http://b;\n}\n"},
		{name: "identical edits are made once", src: src, edits: []Edit{{Start: at, End: at, New: "    a;\n"}, {Start: at, End: at, New: "    a;\n"}},
			want: "location /ws {\n    a;\n    proxy_pass http://b;\n}\n"},
		{name: "edits given out of order", src: "abcdef", edits: []Edit{{Start: 4, End: 5, New: "E"}, {Start: 0, End: 1, New: "A"}}, want: "AbcdEf"},
		{name: "CRLF file gets CRLF lines", src: "a {\r\n    b;\r\n}\r\n", edits: []Edit{{Start: 5, End: 5, New: "    c;\n"}},
			want: "a {\r\n    c;\r\n    b;\r\n}\r\n"},
		{name: "overlap", src: "abcdef", edits: []Edit{{Start: 1, End: 4, New: "x"}, {Start: 3, End: 5, New: "y"}}, err: "overlapping edits: bytes 1-4 and 3-5"},
		{name: "insertion inside a replacement", src: "abcdef", edits: []Edit{{Start: 1, End: 4, New: "x"}, {Start: 2, End: 2, New: "y"}}, err: "overlapping edits"},
		{name: "out of range", src: "abc", edits: []Edit{{Start: 2, End: 9, New: "x"}}, err: "outside the file"},
		{name: "adjacent replacements", src: "abcdef", edits: []Edit{{Start: 0, End: 2, New: "X"}, {Start: 2, End: 4, New: "Y"}}, want: "XYef"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ApplyEdits([]byte(tt.src), tt.edits)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("err = %v, want %q", err, tt.err)
				}
				if string(got) != tt.src {
					t.Errorf("a refused edit changed the source: %q", got)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tt.want {
				t.Errorf("got %q\nwant %q", got, tt.want)
			}
		})
	}
}

func TestPlanFixes(t *testing.T) {
	ins := Edit{File: "a.conf", Start: 10, End: 10, New: "x;\n"}
	rep := Edit{File: "a.conf", Start: 5, End: 20, New: "y"}
	findings := []Finding{
		{Rule: "r1", Severity: Error, File: "a.conf", Line: 1, Fix: &Fix{Edits: []Edit{ins}}},
		{Rule: "r2", Severity: Error, File: "a.conf", Line: 2, Fix: &Fix{Edits: []Edit{ins}}},             // the same map: made once
		{Rule: "r3", Severity: Error, File: "a.conf", Line: 3, Fix: &Fix{Edits: []Edit{rep}}},             // overlaps r1's
		{Rule: "r4", Severity: Info, File: "a.conf", Line: 4, Fix: &Fix{Edits: []Edit{{File: "b.conf"}}}}, // below min
		{Rule: "r5", Severity: Error, File: "a.conf", Line: 5, NoFix: "a guess"},
	}
	p := PlanFixes(findings, Warning)
	if len(p.Fixed) != 2 || p.Fixed[0].Rule != "r1" || p.Fixed[1].Rule != "r2" {
		t.Errorf("fixed = %+v, want r1 and r2", p.Fixed)
	}
	if got := p.Edits["a.conf"]; len(got) != 1 || got[0] != ins {
		t.Errorf("edits = %+v, want the one insertion", got)
	}
	if len(p.Skipped) != 2 || !strings.Contains(p.Skipped[0].Reason, "overlap the repair of r1 at a.conf:1") || p.Skipped[1].Reason != "a guess" {
		t.Errorf("skipped = %+v", p.Skipped)
	}
	if files := p.Files(); len(files) != 1 {
		t.Errorf("files = %v, want a.conf only (b.conf's repair is info)", files)
	}
	if p := PlanFixes(findings, Info); len(p.Files()) != 2 {
		t.Errorf("with info: files = %v", p.Files())
	}
}

func TestCompactFindingsRepairs(t *testing.T) {
	f := Finding{Rule: "r", File: "s.conf", Line: 3}
	a, b := f, f
	a.Fix = &Fix{Edits: []Edit{{File: "s.conf", Start: 1, End: 1, New: "a"}}}
	b.Fix = &Fix{Edits: []Edit{{File: "s.conf", Start: 1, End: 1, New: "a"}}}
	if got := CompactFindings([]Finding{a, b}); len(got) != 1 || got[0].Fix == nil {
		t.Errorf("the same repair twice: %+v, want one finding with it", got)
	}
	b.Fix = &Fix{Edits: []Edit{{File: "s.conf", Start: 1, End: 1, New: "b"}}}
	got := CompactFindings([]Finding{a, b})
	if len(got) != 1 || got[0].Fix != nil || got[0].NoFix != NoFixDiffering {
		t.Errorf("two roots needing different repairs: %+v, want one finding without repair", got)
	}
	if got := CompactFindings([]Finding{a, f}); len(got) != 1 || got[0].Fix != nil {
		t.Errorf("one root without repair: %+v, want none", got)
	}
}

func TestUnifiedDiff(t *testing.T) {
	old := "a\nb\nc\nd\ne\nf\ng\nh\ni\nj\nk\nl\nm\nn\n"
	new := strings.Replace(strings.Replace(old, "b\n", "b\nB\n", 1), "m\n", "M\n", 1)
	want := `--- ./dir/x.conf
+++ ./dir/x.conf
@@ -1,5 +1,6 @@
 a
 b
+B
 c
 d
 e
@@ -10,5 +11,5 @@
 j
 k
 l
-m
+M
 n
`
	if got := UnifiedDiff("dir/x.conf", []byte(old), []byte(new)); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	if got := UnifiedDiff("x", []byte(old), []byte(old)); got != "" {
		t.Errorf("equal files: %q, want nothing", got)
	}
	noEOL := UnifiedDiff("x", []byte("a\nb"), []byte("a\nc"))
	if !strings.Contains(noEOL, "-b\n\\ No newline at end of file\n+c\n\\ No newline at end of file\n") {
		t.Errorf("missing final newline not marked:\n%s", noEOL)
	}
}

// TestDiffAppliesWithPatchAndGit feeds the diffs to the real patch -p0
// and git apply: each must turn every old file into its new one.
func TestDiffAppliesWithPatchAndGit(t *testing.T) {
	cases := map[string][2]string{
		"conf.d/app.conf":   {"server {\n    location /ws {\n        proxy_pass http://b;\n    }\n}\n", "server {\n    location /ws {\n        proxy_http_version 1.1;\n        proxy_pass http://b;\n    }\n}\n"},
		"crlf.conf":         {"a {\r\n    b;\r\n}\r\n", "a {\r\n    c;\r\n    b;\r\n}\r\n"},
		"no-final-eol.conf": {"x;\ny;", "x;\nz;\ny;"},
		"long.conf":         {strings.Repeat("keep;\n", 20) + "old;\n" + strings.Repeat("keep;\n", 20) + "end;\n", "first;\n" + strings.Repeat("keep;\n", 20) + "new;\n" + strings.Repeat("keep;\n", 20)},
	}
	var diff strings.Builder
	for _, name := range []string{"conf.d/app.conf", "crlf.conf", "long.conf", "no-final-eol.conf"} {
		c := cases[name]
		diff.WriteString(UnifiedDiff(name, []byte(c[0]), []byte(c[1])))
	}
	tools := map[string][]string{
		"patch":     {"patch", "-p0", "--batch", "--quiet", "-i"},
		"git apply": {"git", "apply"},
	}
	for tool, argv := range tools {
		t.Run(tool, func(t *testing.T) {
			if _, err := exec.LookPath(argv[0]); err != nil {
				t.Skipf("%s is not installed", argv[0])
			}
			dir := t.TempDir()
			for name, c := range cases {
				p := filepath.Join(dir, name)
				if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(p, []byte(c[0]), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			patchFile := filepath.Join(t.TempDir(), "fix.diff")
			if err := os.WriteFile(patchFile, []byte(diff.String()), 0o644); err != nil {
				t.Fatal(err)
			}
			cmd := exec.Command(argv[0], append(argv[1:], patchFile)...)
			cmd.Dir = dir
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("%s: %v\n%s\ndiff:\n%s", tool, err, out, diff.String())
			}
			for name, c := range cases {
				got, err := os.ReadFile(filepath.Join(dir, name))
				if err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(got, []byte(c[1])) {
					t.Errorf("%s: %s gives %q, want %q", tool, name, got, c[1])
				}
			}
		})
	}
}
