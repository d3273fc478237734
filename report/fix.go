package report

import (
	"bytes"
	"cmp"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
)

// A repair is a finding's list of minimal text edits. The layer knows no
// half: nginx rules and go/analysis SuggestedFixes both become Edits, and
// the CLI prints them as one unified diff (--diff) or writes them (--fix).

// Edit replaces the bytes [Start, End) of File with New; Start == End
// inserts. Offsets are of the file as it was read. New uses "\n" line
// endings: ApplyEdits writes "\r\n" into a file whose lines end so.
type Edit struct {
	File       string
	Start, End int
	New        string
}

// Fix is one finding's repair: every edit, or none, is applied.
type Fix struct {
	// Message says what the repair does, for the CLI's summary of a --fix.
	Message string
	Edits   []Edit
	// Note is said on stderr whenever the repair is printed or applied:
	// a choice the user should know of (a fragment got Connection
	// "upgrade" because no map is in view).
	Note string
}

// FixPlan is the set of repairs one run makes: the findings whose repair
// is taken, the edits per file (ApplyEdits' input), and the repairs left
// out with their reason.
type FixPlan struct {
	Fixed   []Finding
	Edits   map[string][]Edit
	Skipped []SkippedFix
}

// SkippedFix is a finding without a repair in the plan, and why: its rule
// could not repair it without a guess (Finding.NoFix), or its edits
// overlap another repair's.
type SkippedFix struct {
	Finding Finding
	Reason  string
}

// PlanFixes picks the repairs of the findings at or above min, in order,
// taking a repair whole or not at all: one whose edits overlap a repair
// already taken is skipped and says with which. Identical edits from two
// findings (one map both need) are made once.
func PlanFixes(findings []Finding, min Severity) FixPlan {
	p := FixPlan{Edits: map[string][]Edit{}}
	owner := map[Edit]Finding{}
	for _, f := range findings {
		if f.Severity < min {
			continue
		}
		if f.Fix == nil || len(f.Fix.Edits) == 0 {
			if f.NoFix != "" {
				p.Skipped = append(p.Skipped, SkippedFix{f, f.NoFix})
			}
			continue
		}
		var clash *Finding
		for _, e := range f.Fix.Edits {
			for _, taken := range p.Edits[e.File] {
				if taken != e && overlap(taken, e) {
					o := owner[taken]
					clash = &o
				}
			}
		}
		if clash != nil {
			p.Skipped = append(p.Skipped, SkippedFix{f, fmt.Sprintf("its edits overlap the repair of %s at %s; run --fix again after this one", clash.Rule, Position(clash.File, clash.Line, clash.Column))})
			continue
		}
		for _, e := range f.Fix.Edits {
			if _, dup := owner[e]; !dup {
				owner[e] = f
				p.Edits[e.File] = append(p.Edits[e.File], e)
			}
		}
		p.Fixed = append(p.Fixed, f)
	}
	return p
}

// Files lists the files the plan edits, sorted.
func (p FixPlan) Files() []string {
	out := make([]string, 0, len(p.Edits))
	for f := range p.Edits {
		out = append(out, f)
	}
	slices.Sort(out)
	return out
}

// overlap: two edits touch a common byte, or one inserts strictly inside
// the range the other replaces. Two insertions at one offset do not
// overlap: they are made in order.
func overlap(a, b Edit) bool {
	if a.File != b.File {
		return false
	}
	if a.Start == a.End && b.Start == b.End {
		return false
	}
	if a.Start == a.End {
		return a.Start > b.Start && a.Start < b.End
	}
	if b.Start == b.End {
		return b.Start > a.Start && b.Start < a.End
	}
	return a.Start < b.End && b.Start < a.End
}

// ApplyEdits returns src with the edits made (the File of each is not
// looked at). Identical edits are made once; insertions at one offset
// keep their order; an edit out of range or overlapping another is an
// error, and src is then returned unchanged. In a file whose first line
// ends in "\r\n", every "\n" of the new text becomes "\r\n".
func ApplyEdits(src []byte, edits []Edit) ([]byte, error) {
	sorted := slices.Clone(edits)
	slices.SortStableFunc(sorted, func(a, b Edit) int {
		return cmp.Or(cmp.Compare(a.Start, b.Start), cmp.Compare(a.End, b.End))
	})
	sorted = slices.Compact(sorted)
	for i, e := range sorted {
		if e.Start < 0 || e.End < e.Start || e.End > len(src) {
			return src, fmt.Errorf("edit %d-%d is outside the file (%d bytes): the file changed since it was read", e.Start, e.End, len(src))
		}
		if i > 0 && (overlap(sorted[i-1], e) || sorted[i-1].End > e.Start) {
			p := sorted[i-1]
			return src, fmt.Errorf("overlapping edits: bytes %d-%d and %d-%d", p.Start, p.End, e.Start, e.End)
		}
	}
	crlf := usesCRLF(src)
	var out bytes.Buffer
	last := 0
	for _, e := range sorted {
		out.Write(src[last:e.Start])
		text := e.New
		if crlf {
			text = strings.ReplaceAll(strings.ReplaceAll(text, "\r\n", "\n"), "\n", "\r\n")
		}
		out.WriteString(text)
		last = e.End
	}
	out.Write(src[last:])
	return out.Bytes(), nil
}

func usesCRLF(src []byte) bool {
	i := bytes.IndexByte(src, '\n')
	return i > 0 && src[i-1] == '\r'
}

// DiffPath is how a file is named in a diff: a relative path gets "./",
// which `patch -p0` reads as the path and `git apply` (-p1) strips.
func DiffPath(name string) string {
	if filepath.IsAbs(name) {
		return filepath.ToSlash(name)
	}
	return "./" + filepath.ToSlash(filepath.Clean(name))
}

// diffContext is the number of unchanged lines around each change, as
// diff -u prints.
const diffContext = 3

// UnifiedDiff is the unified diff from old to new of the file name, ""
// when they are equal. Lines keep their endings ("\r" included); a last
// line without one is marked as diff marks it.
func UnifiedDiff(name string, old, new []byte) string {
	if bytes.Equal(old, new) {
		return ""
	}
	a, b := splitLines(old), splitLines(new)
	ops := diffLines(a, b)
	var out strings.Builder
	fmt.Fprintf(&out, "--- %s\n+++ %s\n", DiffPath(name), DiffPath(name))
	// Group the operations into hunks: runs of changes at most
	// 2*diffContext equal lines apart.
	for i := 0; i < len(ops); {
		if ops[i].kind == ' ' {
			i++
			continue
		}
		start := max(0, i-diffContext)
		end := i
		for j := i; j < len(ops); j++ {
			if ops[j].kind != ' ' {
				end = j
			} else if j-end > 2*diffContext {
				break
			}
		}
		end = min(len(ops), end+1+diffContext)
		writeHunk(&out, ops[start:end])
		i = end
	}
	return out.String()
}

type diffOp struct {
	kind       byte // ' ', '-', '+'
	text       string
	aLine, bLn int // 1-based line in old and new before this op
}

func writeHunk(out *strings.Builder, ops []diffOp) {
	var aN, bN int
	for _, o := range ops {
		if o.kind != '+' {
			aN++
		}
		if o.kind != '-' {
			bN++
		}
	}
	aStart, bStart := ops[0].aLine, ops[0].bLn
	if aN == 0 {
		aStart-- // diff -u names the line before an insertion into nothing
	}
	if bN == 0 {
		bStart--
	}
	fmt.Fprintf(out, "@@ -%s +%s @@\n", hunkRange(aStart, aN), hunkRange(bStart, bN))
	for _, o := range ops {
		out.WriteByte(o.kind)
		out.WriteString(o.text)
		if !strings.HasSuffix(o.text, "\n") {
			out.WriteString("\n\\ No newline at end of file\n")
		}
	}
}

func hunkRange(start, n int) string {
	if n == 1 {
		return fmt.Sprint(start)
	}
	return fmt.Sprintf("%d,%d", start, n)
}

func splitLines(b []byte) []string {
	var out []string
	for len(b) > 0 {
		i := bytes.IndexByte(b, '\n')
		if i < 0 {
			out = append(out, string(b))
			break
		}
		out = append(out, string(b[:i+1]))
		b = b[i+1:]
	}
	return out
}

// diffLines is a line diff: the common prefix and suffix are kept, and
// the middle is diffed by longest common subsequence. Repairs change a
// few lines, so the middle is small; a middle too large for the table
// is shown as removed and added whole, which is still a correct diff.
func diffLines(a, b []string) []diffOp {
	pre := 0
	for pre < len(a) && pre < len(b) && a[pre] == b[pre] {
		pre++
	}
	suf := 0
	for suf < len(a)-pre && suf < len(b)-pre && a[len(a)-1-suf] == b[len(b)-1-suf] {
		suf++
	}
	var ops []diffOp
	ai, bi := 0, 0
	emit := func(kind byte, text string) {
		ops = append(ops, diffOp{kind: kind, text: text, aLine: ai + 1, bLn: bi + 1})
		if kind != '+' {
			ai++
		}
		if kind != '-' {
			bi++
		}
	}
	for _, l := range a[:pre] {
		emit(' ', l)
	}
	ma, mb := a[pre:len(a)-suf], b[pre:len(b)-suf]
	if len(ma)*len(mb) > 4_000_000 {
		for _, l := range ma {
			emit('-', l)
		}
		for _, l := range mb {
			emit('+', l)
		}
	} else {
		// lcs[i][j]: length of the LCS of ma[i:] and mb[j:].
		lcs := make([][]int, len(ma)+1)
		for i := range lcs {
			lcs[i] = make([]int, len(mb)+1)
		}
		for i := len(ma) - 1; i >= 0; i-- {
			for j := len(mb) - 1; j >= 0; j-- {
				if ma[i] == mb[j] {
					lcs[i][j] = lcs[i+1][j+1] + 1
				} else {
					lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
				}
			}
		}
		i, j := 0, 0
		for i < len(ma) || j < len(mb) {
			switch {
			case i < len(ma) && j < len(mb) && ma[i] == mb[j]:
				emit(' ', ma[i])
				i++
				j++
			case i < len(ma) && (j == len(mb) || lcs[i+1][j] >= lcs[i][j+1]):
				emit('-', ma[i])
				i++
			default:
				emit('+', mb[j])
				j++
			}
		}
	}
	for _, l := range a[len(a)-suf:] {
		emit(' ', l)
	}
	return ops
}

// SameFix reports whether two repairs make the same edits.
func SameFix(a, b *Fix) bool {
	if a == nil || b == nil {
		return a == b
	}
	return slices.Equal(a.Edits, b.Edits)
}

// sameOccurrence compares findings without their repairs.
func sameOccurrence(a, b Finding) bool {
	a.Fix, b.Fix, a.NoFix, b.NoFix = nil, nil, "", ""
	return a == b
}

// NoFixDiffering is why a finding reached through several configs (a
// snippet two roots include) gets no repair when they need different ones.
const NoFixDiffering = "the configs that include this file need different repairs here: edit it by hand"

// CompactFindings drops adjacent duplicates of one occurrence (a file
// reached through two roots is reported once). When the duplicates carry
// different repairs, the one kept has none, and says why.
func CompactFindings(fs []Finding) []Finding {
	var out []Finding
	for _, f := range fs {
		if n := len(out); n > 0 && sameOccurrence(out[n-1], f) {
			MergeDuplicate(&out[n-1], f)
			continue
		}
		out = append(out, f)
	}
	return out
}

// MergeDuplicate settles the repair of a finding kept for a duplicate
// occurrence dup of it: kept only if both need the same one.
func MergeDuplicate(kept *Finding, dup Finding) {
	switch {
	case !SameFix(kept.Fix, dup.Fix):
		kept.Fix, kept.NoFix = nil, NoFixDiffering
	case kept.NoFix == "":
		kept.NoFix = dup.NoFix
	}
}
