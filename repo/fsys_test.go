package repo

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestDiskConfined: the layer reads nothing outside its roots, whether
// named directly, through a symlink or by a glob, unless opened on the
// whole machine.
func TestDiskConfined(t *testing.T) {
	base := t.TempDir()
	repoDir, machine := filepath.Join(base, "repo"), filepath.Join(base, "machine")
	for _, d := range []string{repoDir, machine} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	secret := filepath.Join(machine, "x.conf")
	if err := os.WriteFile(secret, []byte("server {}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(secret, filepath.Join(repoDir, "link.conf")); err != nil {
		t.Fatal(err)
	}
	d := NewDisk([]string{repoDir}, false, DefaultLimits)
	for _, name := range []string{secret, filepath.Join(repoDir, "link.conf"), filepath.Join(repoDir, "..", "machine", "x.conf")} {
		if _, err := d.ReadFile(name); !errors.Is(err, ErrOutside) {
			t.Errorf("ReadFile(%s): %v, want outside the analyzed paths", name, err)
		}
	}
	if _, err := d.Glob(filepath.Join(machine, "*.conf")); !errors.Is(err, ErrOutside) {
		t.Errorf("a glob outside the roots: %v, want outside", err)
	}
	if b, err := NewDisk(nil, true, DefaultLimits).ReadFile(secret); err != nil || string(b) != "server {}\n" {
		t.Errorf("the whole machine: %q %v", b, err)
	}
}

// TestDiskLimits: a file over the size limit and a run over its budget
// are refused with their reason.
func TestDiskLimits(t *testing.T) {
	dir := t.TempDir()
	for name, size := range map[string]int{"a.conf": 600, "b.conf": 600, "big.conf": 2000} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(strings.Repeat("#", size)), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	d := NewDisk([]string{dir}, false, Limits{MaxFileSize: 1000, MaxTotal: 1000})
	if _, err := d.ReadFile(filepath.Join(dir, "big.conf")); !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), "limit 1000") {
		t.Errorf("big.conf: %v, want too large", err)
	}
	if _, err := d.ReadFile(filepath.Join(dir, "a.conf")); err != nil {
		t.Fatalf("a.conf: %v", err)
	}
	if _, err := d.ReadFile(filepath.Join(dir, "b.conf")); !errors.Is(err, ErrBudget) {
		t.Errorf("b.conf after a.conf: %v, want the budget exhausted", err)
	}
}

// TestCheckText: NUL bytes and control-heavy data are binary; Latin-1
// and UTF-8 text are not.
func TestCheckText(t *testing.T) {
	if err := CheckText("f", []byte("add_header X \"caf\xe9\";\n# h\xc3\xa9\n")); err != nil {
		t.Errorf("Latin-1 and UTF-8 text refused: %v", err)
	}
	err := CheckText("f", []byte("a\nb\nc\x00d"))
	if !errors.Is(err, ErrBinary) || !strings.Contains(err.Error(), "line 3") {
		t.Errorf("a NUL on line 3: %v", err)
	}
	if err := CheckText("f", []byte(strings.Repeat("\x01\x02\x03x", 100))); !errors.Is(err, ErrBinary) {
		t.Errorf("control bytes: %v", err)
	}
}

// TestReadObserver: every successful read reaches the observer with the
// running total, a refused one does not, and the contents read whole.
func TestReadObserver(t *testing.T) {
	dir := t.TempDir()
	body := strings.Repeat("x", 5000) // larger than bytes.MinRead
	if err := os.WriteFile(filepath.Join(dir, "a.conf"), []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	var seen []int64
	SetReadObserver(func(total int64) { seen = append(seen, total) })
	defer SetReadObserver(nil)
	start := readSoFar.Load()
	d := NewDisk([]string{dir}, false, Limits{MaxFileSize: 1 << 20, MaxTotal: 1 << 20})
	for range 2 {
		if b, err := d.ReadFile(filepath.Join(dir, "a.conf")); err != nil || string(b) != body {
			t.Fatalf("a.conf: %d bytes, %v", len(b), err)
		}
	}
	if _, err := d.ReadFile(filepath.Join(dir, "missing.conf")); err == nil {
		t.Fatal("missing.conf read")
	}
	if len(seen) != 2 || seen[0] != start+5000 || seen[1] != start+10000 {
		t.Errorf("observer saw %v, want the totals after each read (from %d)", seen, start)
	}
}
