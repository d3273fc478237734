package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"

	"github.com/spf13/pflag"

	"github.com/wscheck/wscheck/cmd/internal/config"
)

// applyConfig reads the repository configuration (--config, or the
// nearest .wscheck.yaml) and fills every flag the command line did not
// set; nf may be nil for commands without the nginx flags. It returns
// nil when there is no file, so callers can read the go: block.
func applyConfig(fs *pflag.FlagSet, e *env, out *outputFlags, nf *nginxFlags) (*config.Config, error) {
	if out.noConfig {
		return nil, nil
	}
	path := out.configFile
	if path != "" {
		if !filepath.IsAbs(path) {
			path = filepath.Join(e.cwd, path)
		}
		if _, err := os.Stat(path); err != nil {
			return nil, fmt.Errorf("--config: %w", err)
		}
	} else {
		found, err := config.Find(e.cwd)
		if err != nil || found == "" {
			return nil, err
		}
		path = found
	}
	// Errors name the file as the user would (../.wscheck.yaml from a
	// subdirectory).
	display := path
	if rel, err := filepath.Rel(e.cwd, path); err == nil {
		display = rel
	}
	cfg, err := config.Load(path, display, allRules())
	if err != nil {
		return nil, err
	}

	given := fs.Changed
	if cfg.Has("fail-on") && !given("fail-on") {
		out.failOn = cfg.FailOn.String()
	}
	if cfg.Has("enable") && !given("enable") {
		out.enable = cfg.Enable
	}
	if cfg.Has("disable") && !given("disable") {
		out.disable = cfg.Disable
	}
	out.severity = cfg.Severity
	out.exclusions = cfg.ExcludeRules
	if err := applyGoConfig(fs, cfg.Go); err != nil {
		return nil, err
	}
	if nf == nil {
		return cfg, nil
	}
	if cfg.Has("nginx-version") && !given("nginx-version") {
		nf.version = cfg.NginxVersion
	}
	if cfg.Has("prefix") && !given("prefix") {
		nf.prefix = cfg.Prefix
	}
	if cfg.Has("path-map") && !given("path-map") {
		nf.pathMap = nil
		for _, m := range cfg.PathMap {
			nf.pathMap = append(nf.pathMap, m.From+"="+m.To)
		}
	}
	if cfg.Has("strict-includes") && !given("strict-includes") {
		nf.strictIncludes = cfg.StrictIncludes
	}
	nf.include, nf.exclude = cfg.Include, cfg.Exclude
	return cfg, nil
}

// applyGoConfig sets the Go half's flags (goFlags) from the go: block,
// where the command has them and the command line did not set them. It
// marks them changed, as if given, so goFlags.apply passes them on.
func applyGoConfig(fs *pflag.FlagSet, g config.GoOptions) error {
	if f := fs.Lookup("tests"); f != nil && g.Has("tests") && !f.Changed {
		if err := fs.Set("tests", strconv.FormatBool(g.Tests)); err != nil {
			return err
		}
	}
	if f := fs.Lookup("tags"); f != nil && g.Has("tags") && !f.Changed {
		sv, ok := f.Value.(pflag.SliceValue)
		if !ok {
			return fmt.Errorf("--tags is not a list flag")
		}
		if err := sv.Replace(g.Tags); err != nil {
			return err
		}
	}
	if f := fs.Lookup("origin-exempt"); f != nil && g.Has("origin-exempt") && !f.Changed {
		sv, ok := f.Value.(pflag.SliceValue)
		if !ok {
			return fmt.Errorf("--origin-exempt is not a list flag")
		}
		// Replace, not Set: Set would read the list as CSV.
		if err := sv.Replace(g.OriginExempt); err != nil {
			return err
		}
		f.Changed = true
	}
	return nil
}

// runConfig is `wscheck config init [FILE]`.
func runConfig(args []string, e *env) int {
	fs := newFlagSet("config")
	if code, ok := parseFlags(fs, args, e); !ok {
		return code
	}
	if fs.NArg() == 0 || fs.Arg(0) != "init" || fs.NArg() > 2 {
		return usageError(e, "config", errors.New("usage: wscheck config init [FILE] (default "+config.FileName+")"))
	}
	path := config.FileName
	if fs.NArg() == 2 {
		path = fs.Arg(1)
	}
	full := path
	if !filepath.IsAbs(full) {
		full = filepath.Join(e.cwd, full)
	}
	// O_EXCL: never overwrite a configuration someone wrote.
	f, err := os.OpenFile(full, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if errors.Is(err, os.ErrExist) {
		return usageError(e, "config init", fmt.Errorf("%s already exists; not overwriting it", path))
	}
	if err != nil {
		return usageError(e, "config init", err)
	}
	_, err = f.WriteString(config.Starter)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return usageError(e, "config init", err)
	}
	fmt.Fprintf(e.stdout, "wrote %s\n", path)
	return 0
}
