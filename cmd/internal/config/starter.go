package config

// Starter is the file `wscheck config init` writes: every key, with the
// default or an empty value, or commented out where no value is neutral.
const Starter = `# wscheck repository configuration.
#
# wscheck uses the first .wscheck.yaml in the working directory or its
# parents, up to the repository root; --config FILE names another file and
# --no-config ignores it. Every key is optional. A flag given on the command
# line overrides the key of the same name. Relative paths and globs are
# relative to the directory of this file.

# Lowest severity that makes wscheck exit 1: error, warning or info.
fail-on: warning

# Run only these rules (empty: every rule), and never report these.
# ` + "`wscheck rules`" + ` lists the names.
enable: []
disable: []

# Report a rule at another severity, one RULE: error|warning|info per line.
severity: {}

# Drop findings in matching files: of every rule, or only of those listed.
#   - path: legacy/**
#   - path: deploy/staging/*.conf
#     rules: [RULE]
exclude-rules: []

# Files the directory walk reads (empty: every nginx config it recognizes)
# and files or directories it skips. "**" spans directories; a glob without
# a slash matches a name at any depth.
include: []
exclude: []

# The nginx you run (default: every version still in use).
# nginx-version: "1.26.3"

# Where relative include paths resolve (nginx's conf prefix; default: the
# directory of each root file).
# prefix: deploy/nginx

# Read absolute include paths under FROM from TO in this repository.
# path-map:
#   - from: /etc/nginx
#     to: deploy/nginx

# Treat includes that name no readable file as errors (exit 2).
# strict-includes: true

# The Go half.
# go:
#   # Also analyze _test.go files.
#   tests: true
#   # Substrings of constant dial URLs that need no Origin header.
#   origin-exempt: [/devtools/]
#   # Build tags, as go vet -tags: files they exclude are not analyzed.
#   tags: [integration]
`
