package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/pflag"

	"github.com/wscheck/wscheck/nginxcheck"
	"github.com/wscheck/wscheck/repo"
	"github.com/wscheck/wscheck/report"
)

// nginxFlags are the options of the nginx half.
type nginxFlags struct {
	version        string
	prefix         string
	pathMap        []string
	strictIncludes bool
	// include and exclude steer the directory walk; only .wscheck.yaml
	// sets them (see applyConfig).
	include, exclude []string
	// tree: judge the PATH files inside the config tree under this directory.
	tree string
	// hostRoot: where absolute paths no mapping covers are read.
	hostRoot                  string
	maxFileSize, maxTotalSize int64
	// locations: list every proxying location instead of the findings.
	locations bool
}

func (n *nginxFlags) register(fs *pflag.FlagSet) {
	fs.StringVar(&n.version, "nginx-version", "", "target nginx version, e.g. 1.30.0 (default: every version still in use)")
	fs.StringVar(&n.prefix, "prefix", "", "directory relative includes resolve against (nginx's conf prefix; default: the directory of each root file)")
	fs.StringArrayVar(&n.pathMap, "path-map", nil, "FROM=TO: read absolute include paths under FROM from TO instead (repeatable), e.g. /etc/nginx=deploy/nginx")
	fs.BoolVar(&n.strictIncludes, "strict-includes", false, "treat includes that name no readable file as errors (exit 2)")
	fs.StringVar(&n.tree, "tree", "", "judge the PATH files in the context of the config tree under DIR and report only what lies in them (for pre-commit)")
	fs.StringVar(&n.hostRoot, "host-root", "", "read absolute include paths that no path map covers below DIR (/ reads this machine); by default nothing outside the analyzed paths is read")
	fs.Int64Var(&n.maxFileSize, "max-file-size", repo.DefaultLimits.MaxFileSize, "largest file read, in bytes")
	fs.Int64Var(&n.maxTotalSize, "max-total-size", repo.DefaultLimits.MaxTotal, "most bytes read in one run")
}

// options checks the flags; relative paths are taken from cwd, and a
// path map or host root that names nothing is an error, not a silent miss.
func (n *nginxFlags) options(cwd string) (nginxcheck.Options, error) {
	opts := nginxcheck.Options{Prefix: n.prefix, StrictIncludes: n.strictIncludes, Include: n.include, Exclude: n.exclude,
		Limits: repo.Limits{MaxFileSize: n.maxFileSize, MaxTotal: n.maxTotalSize}}
	if n.maxFileSize <= 0 || n.maxTotalSize <= 0 {
		return opts, errors.New("--max-file-size and --max-total-size want a positive number of bytes")
	}
	if n.maxFileSize > repo.MaxFileSize {
		return opts, fmt.Errorf("--max-file-size: at most %d bytes (2 GiB)", int64(repo.MaxFileSize))
	}
	abs := func(p string) string {
		if filepath.IsAbs(p) {
			return filepath.Clean(p)
		}
		return filepath.Join(cwd, p)
	}
	if n.hostRoot != "" {
		opts.HostRoot = abs(n.hostRoot)
		if st, err := os.Stat(opts.HostRoot); err != nil || !st.IsDir() {
			return opts, fmt.Errorf("--host-root %s: not a directory", n.hostRoot)
		}
	}
	if n.version != "" {
		v, err := nginxcheck.ParseVersion(n.version)
		if err != nil {
			return opts, fmt.Errorf("--nginx-version: %w", err)
		}
		opts.NginxVersion = v
	}
	for _, m := range n.pathMap {
		from, to, ok := strings.Cut(m, "=")
		if !ok || from == "" || to == "" {
			return opts, errors.New("--path-map: want FROM=TO, got " + m)
		}
		if !strings.HasPrefix(from, "/") {
			return opts, fmt.Errorf("--path-map %s: FROM must be an absolute path (the path inside the image or host)", m)
		}
		if _, err := os.Stat(abs(to)); err != nil {
			return opts, fmt.Errorf("--path-map %s: %s: %s", m, to, repo.Reason(err))
		}
		opts.PathMap = append(opts.PathMap, nginxcheck.PathMapping{From: from, To: abs(to)})
	}
	return opts, nil
}

func runNginx(args []string, e *env) int {
	fs := newFlagSet("nginx")
	var out outputFlags
	var nf nginxFlags
	var ff fixFlags
	out.register(fs)
	nf.register(fs)
	ff.register(fs)
	fs.BoolVar(&nf.locations, "locations", false, "list every proxying location (position, path, WebSocket or not and why, effective settings) instead of findings; --format text or json")
	if code, ok := parseFlags(fs, args, e); !ok {
		return code
	}
	if err := ff.check(); err != nil {
		return usageError(e, "nginx", err)
	}
	if nf.locations {
		if ff.diff || ff.fix {
			return usageError(e, "nginx", errors.New("--locations lists locations; --diff and --fix repair findings: use one"))
		}
		if fs.NArg() == 0 {
			return usageError(e, "nginx", errors.New("--locations: want at least one PATH (a file or a directory)"))
		}
		return runLocations(fs, &out, &nf, e)
	}
	if _, err := applyConfig(fs, e, &out, &nf); err != nil {
		return usageError(e, "nginx", err)
	}
	failOn, sel, err := out.check()
	if err != nil {
		return usageError(e, "nginx", err)
	}
	opts, err := nf.options(e.cwd)
	if err != nil {
		return usageError(e, "nginx", err)
	}
	opts.Enable = out.enable // rules off by default run only when named
	opts.Repairs = ff.repairs()
	if fs.NArg() == 0 {
		return usageError(e, "nginx", errors.New("want at least one PATH (a file, a directory, or - for `nginx -T` on standard input)"))
	}
	if (ff.diff || ff.fix) && slices.Contains(fs.Args(), "-") {
		return usageError(e, "nginx", errors.New("--diff and --fix repair files: a dump on standard input (-) has none to edit"))
	}
	analyze := func() report.Result {
		if nf.tree != "" {
			return nginxcheck.AnalyzeInTree(nf.tree, fs.Args(), opts)
		}
		var res report.Result
		for _, p := range fs.Args() {
			if p == "-" {
				res.Merge(nginxcheck.AnalyzeDump(e.stdin, opts))
				continue
			}
			res.Merge(nginxcheck.Analyze([]string{p}, opts))
		}
		return res
	}
	return out.runWithFixes(e, ff, analyze, failOn, sel)
}
