package report

import (
	"path/filepath"
	"slices"
)

// Processors change a result before it is printed; printers only format.

// OverrideSeverity sets the severity of every finding of a rule named in
// overrides, before --fail-on decides the exit status.
func OverrideSeverity(r *Result, overrides map[string]Severity) {
	for i, f := range r.Findings {
		if s, ok := overrides[f.Rule]; ok {
			r.Findings[i].Severity = s
		}
	}
}

// PathExclusion drops the findings of Rules (every rule when empty) in
// files matching Path, an absolute slash-separated glob (see MatchPath).
type PathExclusion struct {
	Path  string
	Rules []string
}

// ExcludePaths applies the exclusions. Relative file names are taken
// relative to cwd, so it can run before or after Normalize(cwd).
func ExcludePaths(r *Result, cwd string, exclusions []PathExclusion) {
	if len(exclusions) == 0 {
		return
	}
	r.Findings = slices.DeleteFunc(r.Findings, func(f Finding) bool {
		name := f.File
		if !filepath.IsAbs(name) {
			name = filepath.Join(cwd, name)
		}
		name = filepath.ToSlash(name)
		for _, ex := range exclusions {
			if (len(ex.Rules) == 0 || slices.Contains(ex.Rules, f.Rule)) && MatchPath(ex.Path, name) {
				return true
			}
		}
		return false
	})
}

// Relocate makes relative file names, which Normalize made relative to
// from, relative to to instead; SARIF and GitHub want paths from the
// repository root even when wscheck runs in a subdirectory.
func Relocate(r *Result, from, to string) {
	if from == to || to == "" {
		return
	}
	move := func(file string) string {
		if file == "" || file == "-" || filepath.IsAbs(file) {
			return file
		}
		return relativeTo(to, filepath.Join(from, file))
	}
	for i := range r.Findings {
		r.Findings[i].File = move(r.Findings[i].File)
	}
	for i := range r.Errors {
		r.Errors[i].File = move(r.Errors[i].File)
	}
}
