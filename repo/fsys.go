package repo

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"syscall"
)

// FS is the one way every half reads a repository. Names are OS paths, as
// the user and the configs write them.
type FS interface {
	ReadFile(name string) ([]byte, error)
	Stat(name string) (fs.FileInfo, error)
	ReadDir(name string) ([]fs.DirEntry, error)
	Glob(pattern string) ([]string, error)
}

// Limits bound what one run reads. A CI gate reads repositories written by
// others: no file may exhaust memory, however large or endless it is.
type Limits struct {
	MaxFileSize int64 // per file
	MaxTotal    int64 // over the whole run
}

// readSoFar counts the bytes every file layer of the process has read;
// readObserver, when set, hears each new total (SetReadObserver).
var (
	readSoFar    atomic.Int64
	readObserver atomic.Pointer[func(total int64)]
)

// SetReadObserver has fn called with the bytes read so far, after every
// read: the CLI sizes its memory limit by them. The packages never set it.
// A nil fn removes it.
func SetReadObserver(fn func(total int64)) {
	if fn == nil {
		readObserver.Store(nil)
		return
	}
	readObserver.Store(&fn)
}

// NoteRead counts n bytes read from outside the file layer (an nginx -T
// dump on standard input).
func NoteRead(n int64) {
	total := readSoFar.Add(n)
	if fn := readObserver.Load(); fn != nil {
		(*fn)(total)
	}
}

// MaxFileSize is the largest per-file limit: positions in a config are
// 32-bit (nginxcheck/load.Node), which bounds a file to 2 GiB.
const MaxFileSize = 1<<31 - 1

// DefaultLimits are generous for real configs (the largest seen in the
// corpus is well under 1 MiB) and still bound memory on hostile input.
var DefaultLimits = Limits{MaxFileSize: 64 << 20, MaxTotal: 1 << 30}

// OrDefault is l, or DefaultLimits for the zero value.
func (l Limits) OrDefault() Limits {
	if l == (Limits{}) {
		return DefaultLimits
	}
	return l
}

// The reasons a read fails, for errors.Is; ReadError words them.
var (
	ErrOutside    = errors.New("outside the analyzed paths")
	ErrNotRegular = errors.New("not a regular file")
	ErrTooLarge   = errors.New("too large")
	ErrBudget     = errors.New("read budget exhausted")
	ErrBinary     = errors.New("binary data")
	ErrIsDir      = errors.New("is a directory")
	ErrLoop       = errors.New("symlink loop")
)

// ReadError is a failed read with its reason, never a bare "cannot read".
type ReadError struct {
	Path   string
	Reason string // for people: "not a regular file (named pipe)"
	Err    error  // for errors.Is: one of the Err* above, or an fs error
}

func (e *ReadError) Error() string { return e.Path + ": " + e.Reason }
func (e *ReadError) Unwrap() error { return e.Err }

// Reason returns the reason of a read error without the path, which the
// report already names.
func Reason(err error) string {
	var re *ReadError
	if errors.As(err, &re) {
		return re.Reason
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return Reason(pe.Err)
	}
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return "no such file or directory"
	case errors.Is(err, fs.ErrPermission):
		return "permission denied"
	case errors.Is(err, syscall.ELOOP):
		return "symlink loop"
	case errors.Is(err, syscall.ENOTDIR):
		return "not a directory"
	}
	return err.Error()
}

// Missing reports an error that means "there is no such file here": a
// config may name files the repository does not hold, which is not broken
// input. Every other read error is.
func Missing(err error) bool {
	return errors.Is(err, fs.ErrNotExist) || errors.Is(err, ErrOutside)
}

// Disk reads the real file system, confined to the analyzed paths unless
// it was opened on the whole machine.
type Disk struct {
	roots    []string // absolute, cleaned; reads outside them are ErrOutside
	anywhere bool
	limits   Limits
	used     atomic.Int64
}

// NewDisk confines reads to roots (files or directories, see AddRoot).
// With anywhere, every path on the machine may be read (--host-root /).
// The zero Limits are DefaultLimits.
func NewDisk(roots []string, anywhere bool, lim Limits) *Disk {
	d := &Disk{anywhere: anywhere, limits: lim.OrDefault()}
	for _, r := range roots {
		d.AddRoot(r)
	}
	return d
}

// AddRoot lets reads reach below r (a path map's target, say). A file
// root opens its directory: that is its config's prefix, where what it
// includes lives.
func (d *Disk) AddRoot(r string) {
	abs, err := filepath.Abs(r)
	if err != nil {
		return
	}
	if st, err := os.Stat(abs); err == nil && !st.IsDir() {
		abs = filepath.Dir(abs)
	}
	d.roots = append(d.roots, abs)
	if real, err := filepath.EvalSymlinks(abs); err == nil && real != abs {
		d.roots = append(d.roots, real)
	}
}

func (d *Disk) inside(abs string) bool {
	return d.anywhere || slices.ContainsFunc(d.roots, func(r string) bool { return within(r, abs) })
}

// within reports whether p is root or below it.
func within(root, p string) bool {
	return p == root || root == string(filepath.Separator) || strings.HasPrefix(p, root+string(filepath.Separator))
}

// pseudo file systems: their entries look like files (or symlinks to
// pipes) but are endless, blocking or change as they are read.
var pseudo = []string{"/proc", "/sys", "/dev"}

// pseudoRoot returns the pseudo file system abs lies in, or "".
func pseudoRoot(abs string) string {
	for _, r := range pseudo {
		if within(r, abs) {
			return r
		}
	}
	return ""
}

// check resolves name and classifies it without opening it.
func (d *Disk) check(name string) (string, fs.FileInfo, error) {
	abs, err := filepath.Abs(name)
	if err != nil {
		return "", nil, &ReadError{name, err.Error(), err}
	}
	fail := func(reason string, err error) (string, fs.FileInfo, error) {
		return "", nil, &ReadError{name, reason, err}
	}
	if !d.inside(abs) {
		return fail("outside the analyzed paths", ErrOutside)
	}
	if r := pseudoRoot(abs); r != "" {
		return fail("not a regular file (an entry of "+r+")", ErrNotRegular)
	}
	st, err := os.Stat(abs)
	if err != nil {
		if errors.Is(err, syscall.ELOOP) {
			return fail("symlink loop", ErrLoop)
		}
		return fail(Reason(err), err)
	}
	real, err := filepath.EvalSymlinks(abs)
	if err != nil {
		return fail(Reason(err), err)
	}
	if !d.inside(real) {
		return fail("outside the analyzed paths (a symlink to "+real+")", ErrOutside)
	}
	if pseudoRoot(real) != "" {
		return fail("not a regular file (a symlink to "+real+")", ErrNotRegular)
	}
	return abs, st, nil
}

// kind names a non-regular file type.
func kind(m fs.FileMode) string {
	switch {
	case m&fs.ModeNamedPipe != 0:
		return "named pipe"
	case m&fs.ModeSocket != 0:
		return "socket"
	case m&fs.ModeCharDevice != 0:
		return "character device"
	case m&fs.ModeDevice != 0:
		return "block device"
	case m.IsDir():
		return "directory"
	}
	return "irregular file"
}

// ReadFile reads a regular file within the limits. It never blocks on a
// FIFO: the file is opened non-blocking and its type checked on the open
// descriptor, so a file swapped for a pipe after the check is caught too.
func (d *Disk) ReadFile(name string) ([]byte, error) {
	abs, st, err := d.check(name)
	if err != nil {
		return nil, err
	}
	if st.IsDir() {
		return nil, &ReadError{name, "is a directory", ErrIsDir}
	}
	if !st.Mode().IsRegular() {
		return nil, &ReadError{name, "not a regular file (" + kind(st.Mode()) + ")", ErrNotRegular}
	}
	if err := d.fits(name, st.Size()); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(abs, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, &ReadError{name, Reason(err), err}
	}
	defer f.Close()
	if fst, err := f.Stat(); err != nil || !fst.Mode().IsRegular() {
		return nil, &ReadError{name, "not a regular file (changed while read)", ErrNotRegular}
	}
	// Sized from the stat, as os.ReadFile does: io.ReadAll's doubling
	// would leave up to twice a large file in garbage.
	var buf bytes.Buffer
	buf.Grow(int(min(st.Size(), d.limits.MaxFileSize)) + bytes.MinRead)
	if _, err := buf.ReadFrom(io.LimitReader(f, d.limits.MaxFileSize+1)); err != nil {
		return nil, &ReadError{name, Reason(err), err}
	}
	b := buf.Bytes()
	if int64(len(b)) > d.limits.MaxFileSize {
		return nil, d.tooLarge(name, int64(len(b)))
	}
	d.used.Add(int64(len(b)) - st.Size()) // fits counted the stat size
	NoteRead(int64(len(b)))
	if err := CheckText(name, b); err != nil {
		return nil, err
	}
	return b, nil
}

func (d *Disk) fits(name string, size int64) error {
	if size > d.limits.MaxFileSize {
		return d.tooLarge(name, size)
	}
	if d.used.Add(size) > d.limits.MaxTotal {
		d.used.Add(-size)
		return &ReadError{name, fmt.Sprintf("read budget exhausted (%d bytes read in this run, limit %d; --max-total-size)", d.used.Load(), d.limits.MaxTotal), ErrBudget}
	}
	return nil
}

func (d *Disk) tooLarge(name string, size int64) error {
	return &ReadError{name, fmt.Sprintf("too large (%d bytes or more, limit %d; --max-file-size)", size, d.limits.MaxFileSize), ErrTooLarge}
}

// Stat describes a file within the analyzed paths.
func (d *Disk) Stat(name string) (fs.FileInfo, error) {
	_, st, err := d.check(name)
	return st, err
}

// ReadDir lists a directory within the analyzed paths.
func (d *Disk) ReadDir(name string) ([]fs.DirEntry, error) {
	abs, st, err := d.check(name)
	if err != nil {
		return nil, err
	}
	if !st.IsDir() {
		return nil, &ReadError{name, "not a directory", syscall.ENOTDIR}
	}
	ents, err := os.ReadDir(abs)
	if err != nil {
		return nil, &ReadError{name, Reason(err), err}
	}
	return ents, nil
}

// Glob matches like filepath.Glob, but a directory it cannot read is an
// error rather than no match, and a pattern outside the analyzed paths is
// ErrOutside.
func (d *Disk) Glob(pattern string) ([]string, error) {
	dir := fixedDir(pattern)
	if _, err := d.ReadDir(dir); err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, nil
		}
		return nil, err
	}
	matches, err := filepath.Glob(pattern)
	if err != nil {
		return nil, &ReadError{pattern, "bad pattern", err}
	}
	return slices.DeleteFunc(matches, func(m string) bool {
		abs, err := filepath.Abs(m)
		return err != nil || !d.inside(abs)
	}), nil
}

// fixedDir is the directory part of a pattern before its first wildcard.
func fixedDir(pattern string) string {
	i := strings.IndexAny(pattern, "*?[")
	if i < 0 {
		return filepath.Dir(pattern)
	}
	return filepath.Dir(pattern[:i] + "x")
}

// CheckText refuses data that is not text: a NUL byte, or mostly control
// bytes. Bytes that are not UTF-8 (Latin-1 values, which nginx accepts)
// are text.
func CheckText(name string, b []byte) error {
	if i := bytes.IndexByte(b, 0); i >= 0 {
		line := 1 + bytes.Count(b[:i], []byte{'\n'})
		return &ReadError{name, fmt.Sprintf("binary data (a NUL byte on line %d), not a config file", line), ErrBinary}
	}
	probe := b[:min(len(b), 8192)]
	ctl := 0
	for _, c := range probe {
		if c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f' {
			ctl++
		}
	}
	if len(probe) > 0 && ctl*10 > len(probe) {
		return &ReadError{name, "binary data (mostly control bytes), not a config file", ErrBinary}
	}
	return nil
}
