#!/usr/bin/env bash
# build.sh OUTPUT: builds the custom golangci-lint that .custom-gcl.yml (next
# to this script) describes, with the steps `golangci-lint custom` takes,
# except for two:
#   - golangci-lint's source comes from the Go module proxy
#     (`go mod download`), not from a git clone of its GitHub repository;
#   - the wscheck plugin comes from this checkout (a replace directive, as
#     `golangci-lint custom` writes for a plugin given by `path:`), so that
#     what is tested is the code next to this script.
# The only network it needs is the Go module proxy. The Go build cache makes
# a second build take seconds (-trimpath keeps the temporary source directory
# out of the cache keys).
set -euo pipefail

out=${1:?usage: build.sh OUTPUT}
case $out in /*) ;; *) out="$PWD/$out" ;; esac
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
cfg="$here/.custom-gcl.yml"

# .custom-gcl.yml is ours and flat: one value per line.
field() { sed -n "s/^$1: *\\([^ #]*\\).*/\\1/p" "$cfg"; }
version=$(field version)
module=$(sed -n 's/^ *- module: *\([^ #]*\).*/\1/p' "$cfg")
import=$(sed -n 's/^ *import: *\([^ #]*\).*/\1/p' "$cfg")
if [ -z "$version" ] || [ "$module" != github.com/wscheck/wscheck ] || [ -z "$import" ]; then
	echo "build.sh: cannot read version, module and import from $cfg" >&2
	exit 1
fi

src=$(go mod download -json "github.com/golangci/golangci-lint/v2@$version" |
	sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
[ -d "$src" ] || {
	echo "build.sh: go mod download gave no directory for golangci-lint $version" >&2
	exit 1
}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -R "$src/." "$work/golangci-lint"
chmod -R u+w "$work/golangci-lint"
cd "$work/golangci-lint"

# The file `golangci-lint custom` generates: one blank import per plugin.
printf 'package main\n\nimport (\n\t_ "%s"\n)\n' "$import" >cmd/golangci-lint/plugins.go
go mod edit -replace "$module=$root"
go mod tidy
mkdir -p "$(dirname "$out")"
go build -trimpath \
	-ldflags "-s -w -X 'main.version=$version-custom-gcl' -X 'main.date=$(date -u +%Y-%m-%dT%H:%M:%SZ)'" \
	-o "$out" ./cmd/golangci-lint
echo "build.sh: built $out (golangci-lint $version with $import)"
