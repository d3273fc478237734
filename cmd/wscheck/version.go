package main

import (
	"fmt"
	"runtime/debug"
	"strings"
)

// buildVersion is what the binary knows about its own build.
type buildVersion struct {
	module    string // the module version: v1.2.3, or a pseudo-version the go command stamped
	revision  string // the VCS revision of a checkout build
	modified  bool   // the checkout had uncommitted changes
	goVersion string
}

// readVersion reads the build info the go command embeds. `go install
// ...@v1.2.3` records the module version; `go build` in a checkout records
// the VCS revision and whether the tree was modified (and, since Go 1.24,
// a pseudo-version built from them); `go run` and test binaries record
// neither.
func readVersion() buildVersion {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return buildVersion{}
	}
	return versionOf(bi)
}

func versionOf(bi *debug.BuildInfo) buildVersion {
	v := buildVersion{goVersion: bi.GoVersion}
	if bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		v.module = bi.Main.Version
	}
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			v.revision = s.Value
		case "vcs.modified":
			v.modified = s.Value == "true"
		}
	}
	return v
}

// String is the version SARIF's tool.driver.version carries: the module
// version, else the short revision (with -dirty for a modified tree),
// else "(devel)".
func (v buildVersion) String() string {
	switch {
	case v.module != "":
		return v.module
	case v.revision != "":
		return shortRevision(v.revision) + dirty(v.modified)
	}
	return "(devel)"
}

// semantic is the module version as SemVer 2.0 (no "v"), or "" when the
// build has none: SARIF's semanticVersion must be SemVer.
func (v buildVersion) semantic() string {
	return strings.TrimPrefix(v.module, "v")
}

// long is what `wscheck --version` prints, e.g. "wscheck v1.2.3, revision
// 0123456789ab, built with go1.26.0".
func (v buildVersion) long() string {
	parts := []string{"wscheck " + v.String()}
	if v.module != "" && v.revision != "" {
		parts = append(parts, "revision "+shortRevision(v.revision)+dirty(v.modified))
	}
	if v.goVersion != "" {
		parts = append(parts, "built with "+v.goVersion)
	}
	return strings.Join(parts, ", ")
}

func shortRevision(rev string) string {
	if len(rev) > 12 {
		return rev[:12]
	}
	return rev
}

func dirty(modified bool) string {
	if modified {
		return "-dirty"
	}
	return ""
}

func runVersion(args []string, e *env) int {
	fs := newFlagSet("version")
	if code, ok := parseFlags(fs, args, e); !ok {
		return code
	}
	if fs.NArg() > 0 {
		return usageError(e, "version", fmt.Errorf("takes no arguments, got %q", fs.Arg(0)))
	}
	fmt.Fprintln(e.stdout, readVersion().long())
	return 0
}
