package nginxcheck

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/wscheck/wscheck/repo"
)

// Options steer loading and the version-dependent rules.
type Options struct {
	// NginxVersion is the target nginx; the zero value means every
	// version still in use, so version-dependent rules assume the oldest.
	NginxVersion Version
	// Prefix is where relative includes resolve (nginx's conf prefix);
	// empty means the directory of each root file.
	Prefix string
	// PathMap reads absolute include paths from the repository instead.
	PathMap []PathMapping
	// StrictIncludes makes an include that names no readable file an error.
	StrictIncludes bool
	// Include and Exclude steer the directory walk (set from .wscheck.yaml).
	// They are slash-separated globs over absolute paths, matched with
	// report.MatchPath ("**" spans directories): a non-empty Include keeps
	// only the files it matches; Exclude skips matching files and
	// directories.
	Include, Exclude []string
	// Walks, when set, shares each directory's walk with the other
	// halves of the run (the gate walks a repository once).
	Walks *repo.Walks
	// HostRoot is where absolute paths that no mapping covers are read
	// ("/" reads the machine); "" reads nothing outside the analyzed paths.
	HostRoot string
	// Limits bound what is read; the zero value is repo.DefaultLimits.
	Limits repo.Limits
	// Enable names the rules off by default (report.Rule.Off) to run too.
	Enable []string
	// Repairs attaches each finding's repair (report.Finding.Fix), for
	// --diff and --fix. Off, no file is read twice and no edit is built:
	// on a large config those were a quarter of the peak memory.
	Repairs bool
}

// PathMapping maps a host path prefix such as /etc/nginx onto a directory.
type PathMapping struct{ From, To string }

// Version is an nginx version; the zero value means "unknown: any".
type Version struct{ Major, Minor, Patch int }

// ParseVersion reads "1.29.7" (a missing patch is 0).
func ParseVersion(s string) (Version, error) {
	parts := strings.Split(strings.TrimPrefix(strings.TrimSpace(s), "nginx/"), ".")
	if len(parts) < 2 || len(parts) > 3 {
		return Version{}, fmt.Errorf("want an nginx version such as 1.29.7, got %q", s)
	}
	var nums [3]int
	for i, p := range parts {
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 {
			return Version{}, fmt.Errorf("want an nginx version such as 1.29.7, got %q", s)
		}
		nums[i] = n
	}
	return Version{nums[0], nums[1], nums[2]}, nil
}

// Known reports whether a version was given.
func (v Version) Known() bool { return v != Version{} }

// AtLeast compares versions; an unknown version is never at least anything.
func (v Version) AtLeast(o Version) bool {
	if !v.Known() {
		return false
	}
	if v.Major != o.Major {
		return v.Major > o.Major
	}
	if v.Minor != o.Minor {
		return v.Minor > o.Minor
	}
	return v.Patch >= o.Patch
}

func (v Version) String() string { return fmt.Sprintf("%d.%d.%d", v.Major, v.Minor, v.Patch) }

// http11Default is the first nginx that talks HTTP/1.1 to upstreams by default.
var http11Default = Version{1, 29, 7}
