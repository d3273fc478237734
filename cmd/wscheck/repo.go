package main

import (
	"path/filepath"

	"github.com/wscheck/wscheck/nginxcheck"
	"github.com/wscheck/wscheck/repo"
	"github.com/wscheck/wscheck/report"
)

// runRepo is the CI gate: every half over the given paths, one report and
// one exit status.
func runRepo(args []string, e *env) int {
	fs := newFlagSet(gateName)
	var out outputFlags
	var nf nginxFlags
	var gf goFlags
	var ff fixFlags
	out.register(fs)
	nf.register(fs)
	gf.register(fs)
	ff.register(fs)
	if code, ok := parseFlags(fs, args, e); !ok {
		return code
	}
	if err := ff.check(); err != nil {
		return usageError(e, "", err)
	}
	if _, err := applyConfig(fs, e, &out, &nf); err != nil {
		return usageError(e, "", err)
	}
	failOn, sel, err := out.check()
	if err != nil {
		return usageError(e, "", err)
	}
	opts, err := nf.options(e.cwd)
	if err != nil {
		return usageError(e, "", err)
	}
	opts.Enable = out.enable // rules off by default run only when named
	opts.Repairs = ff.repairs()
	if err := gf.apply(fs); err != nil {
		return usageError(e, "", err)
	}
	paths := fs.Args()
	if len(paths) == 0 {
		paths = []string{"."}
	}
	analyze := func() report.Result {
		// One walk of each directory feeds every proxy half; a fresh one
		// per analysis, so a run after --fix sees the tree as it is.
		walks := &repo.Walks{}
		opts.Walks = walks
		res := nginxcheck.Analyze(paths, opts)
		res.Merge(analyzeHAProxy(paths, nf, walks))
		res.Merge(analyzeApache(paths, nf, walks))
		res.Merge(analyzeK8s(paths, nf, walks))
		res.Merge(analyzeRepoGo(e, paths, gf.load()))
		return res
	}
	return out.runWithFixes(e, ff, analyze, failOn, sel)
}

// analyzeRepoGo runs the Go half over every module found under paths
// (./... in each directory holding a go.mod); a repository without Go
// code gives an empty result.
func analyzeRepoGo(e *env, paths []string, load goLoad) report.Result {
	var res report.Result
	seen := map[string]bool{}
	for _, p := range paths {
		if !filepath.IsAbs(p) {
			p = filepath.Join(e.cwd, p)
		}
		mods, err := goModules(p)
		if err != nil {
			res.Errors = append(res.Errors, report.FileError{File: p, Message: "looking for Go modules: " + err.Error()})
			continue
		}
		for _, m := range mods {
			if !seen[m] {
				seen[m] = true
				// A module without packages (a tools or docs module) is fine here.
				res.Merge(analyzeGo(m, []string{"./..."}, load, false))
			}
		}
	}
	return res
}
