#!/usr/bin/env bash
# Proves .pre-commit-hooks.yaml with the real pre-commit (Debian's package):
# a throwaway git repository holds broken and clean nginx configs and Go
# files, and the hooks must fail on exactly the broken ones, with wscheck's
# findings, and pass on the clean ones. Then the README's
# .pre-commit-config.yaml runs both hooks the way a user's commit does.
#
# Needs pre-commit, git and go on PATH; the only network it uses is the Go
# module proxy (pre-commit's golang language runs `go install ./...`).
# .ci/run runs it; by hand: testdata/integrations/precommit/test.sh
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)

for tool in pre-commit git go; do
	command -v "$tool" >/dev/null || {
		echo "precommit test: $tool is not installed (Debian: apt-get install -y pre-commit)" >&2
		exit 1
	}
done
echo "precommit test: $(pre-commit --version), $(go version)"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# pre-commit keeps its clones and hook environments here, not in ~/.cache.
export PRE_COMMIT_HOME="$work/pre-commit-home"
# pre-commit installs a golang hook with GOPATH set to the hook's own
# environment, which would also move the module cache there and download
# every dependency again; an explicit GOMODCACHE keeps the shared one.
# GOFLAGS, GOPROXY and the rest of the environment pass through unchanged.
GOMODCACHE=$(go env GOMODCACHE)
export GOMODCACHE
export GIT_AUTHOR_NAME=wscheck-test GIT_AUTHOR_EMAIL=wscheck-test@example.invalid
export GIT_COMMITTER_NAME=wscheck-test GIT_COMMITTER_EMAIL=wscheck-test@example.invalid
export GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1
export PRE_COMMIT_COLOR=never

# This repository as pre-commit would clone it: HEAD plus the uncommitted
# changes to tracked files, committed in a clone so that it has one revision.
src="$work/wscheck"
git clone -q "$root" "$src"
if ! git -C "$root" diff --quiet HEAD; then
	git -C "$root" diff HEAD --binary | git -C "$src" apply --index
	git -C "$src" commit -q -m "working tree under test"
fi
rev=$(git -C "$src" rev-parse HEAD)

# The same wscheck, built directly, for the comparisons below.
(cd "$src" && go build -o "$work/bin/wscheck" ./cmd/wscheck)

repo="$work/repo"
cp -R "$here/repo" "$repo"
# wscheck go ./... reads the directory, not git's index: the broken Go file
# comes in only for the second half.
mv "$repo/client/broken.go" "$work/broken.go"
cd "$repo"
git init -q
git add .
git commit -q -m "clean state"

failures=0
fail() {
	echo "FAIL: $*" >&2
	failures=$((failures + 1))
}

# check NAME WANT_STATUS CMD...: runs CMD, keeps its output in $out and
# checks its exit status.
out="$work/out"
check() {
	local name=$1 want=$2 got=0
	shift 2
	"$@" >"$out" 2>&1 || got=$?
	if [ "$got" -ne "$want" ]; then
		fail "$name: exit status $got, want $want; output:"
		sed 's/^/    /' "$out" >&2
		return
	fi
	echo "ok: $name (exit $got)"
}
has() { # has NAME REGEX: $out must match
	grep -Eq -- "$2" "$out" || {
		fail "$1: output lacks /$2/:"
		sed 's/^/    /' "$out" >&2
	}
}
lacks() { # lacks NAME REGEX: $out must not match
	! grep -Eq -- "$2" "$out" || {
		fail "$1: output has /$2/:"
		sed 's/^/    /' "$out" >&2
	}
}

try() { pre-commit try-repo "$src" "$@"; }

# --- wscheck-nginx ----------------------------------------------------------

check "nginx hook on the clean configs" 0 \
	try wscheck-nginx --files nginx/nginx.conf nginx/conf.d/good.conf snippets/good-ws.conf
has "nginx hook on the clean configs" 'wscheck \(nginx\)\.*Passed'

check "nginx hook on a broken fragment" 1 try wscheck-nginx --files snippets/broken-ws.conf
has "nginx hook on a broken fragment" '^- exit code: 1$'
has "nginx hook on a broken fragment" '^snippets/broken-ws\.conf:8:5: error: .*\(missing-connection-header\)$'

# typo.conf alone is a fragment: a variable it does not define may be
# defined elsewhere, so it has no finding. In the tree rooted at nginx.conf,
# the hook sees that the variable is defined nowhere.
check "typo.conf analyzed alone" 0 "$work/bin/wscheck" nginx nginx/conf.d/typo.conf
check "nginx hook on a file of a tree" 1 try wscheck-nginx --files nginx/conf.d/typo.conf
has "nginx hook on a file of a tree" '^- exit code: 1$'
has "nginx hook on a file of a tree" '^nginx/conf\.d/typo\.conf:12:[0-9]+: error: .*\(undefined-variable\)$'

# The Debian layout: pre-commit passes sites-available/legacy (it skips the
# symlink sites-enabled/legacy), and the tree reaches the file through the
# symlink. Alone the file has no finding; in its tree it has one.
check "sites-available/legacy analyzed alone" 0 "$work/bin/wscheck" nginx nginx/sites-available/legacy
check "nginx hook on a file enabled by a symlink" 1 try wscheck-nginx --files nginx/sites-available/legacy
has "nginx hook on a file enabled by a symlink" '^- exit code: 1$'
has "nginx hook on a file enabled by a symlink" '^nginx/sites-(available|enabled)/legacy:13:[0-9]+: error: .*\(undefined-variable\)$'

check "nginx hook on every file" 1 try wscheck-nginx --all-files
has "nginx hook on every file" '^- exit code: 1$'
has "nginx hook on every file" '^snippets/broken-ws\.conf:8:5: .*\(missing-connection-header\)$'
has "nginx hook on every file" '^nginx/conf\.d/typo\.conf:12:[0-9]+: .*\(undefined-variable\)$'
has "nginx hook on every file" '^nginx/sites-(available|enabled)/legacy:13:[0-9]+: .*\(undefined-variable\)$'
lacks "nginx hook on every file" '^(nginx/nginx\.conf|nginx/conf\.d/good\.conf|snippets/good-ws\.conf):'

# --- wscheck-nginx-fix ------------------------------------------------------

# pre-commit's convention for a hook that repairs: the first run writes the
# repair and fails (the file changed), the user re-stages, the second run
# passes.
check "fix hook, first run" 1 try wscheck-nginx-fix --files snippets/broken-ws.conf
has "fix hook, first run" '^- files were modified by this hook$'
has "fix hook, first run" 'note: .*Connection is the constant "upgrade"'
git diff >"$out"
has "fix hook, first run" '^-    proxy_set_header Connection "keep-alive";$'
has "fix hook, first run" '^\+    proxy_set_header Connection "upgrade";$'
git add snippets/broken-ws.conf
check "fix hook, second run" 0 try wscheck-nginx-fix --files snippets/broken-ws.conf
has "fix hook, second run" 'wscheck \(nginx, repair\)\.*Passed'
check "nginx hook after the repair" 0 try wscheck-nginx --files snippets/broken-ws.conf
git reset -q --hard HEAD # the sections below want the broken file back

# --- wscheck-go -------------------------------------------------------------

check "Go hook on the clean module" 0 try wscheck-go --all-files
has "Go hook on the clean module" 'wscheck \(Go\)\.*Passed'

mv "$work/broken.go" client/broken.go
git add client/broken.go
git commit -q -m "add a dial without Origin"
check "Go hook on the broken module" 1 try wscheck-go --all-files
has "Go hook on the broken module" '^- exit code: 1$'
has "Go hook on the broken module" '^client/broken\.go:7:[0-9]+: warning: .*\(dial-without-origin\)$'
lacks "Go hook on the broken module" '^client/clean\.go:'

# --- the README's .pre-commit-config.yaml -----------------------------------

config="$here/.pre-commit-config.yaml"
readme_block=$(awk -v marker="<!-- file: testdata/integrations/precommit/.pre-commit-config.yaml -->" '
	$0 == marker { found = 1; next }
	found && /^```/ { if (inside) exit; inside = 1; next }
	inside { print }
' "$root/README.md")
if [ "$readme_block" != "$(cat "$config")" ]; then
	fail "README's .pre-commit-config.yaml block differs from $config:"
	diff <(printf '%s\n' "$readme_block") "$config" >&2 || true
fi

# A user's repository names wscheck by URL and tag; here the clone under
# test and its revision stand in for them.
grep -q '^  - repo: https://github.com/wscheck/wscheck$' "$config" || fail "$config: no wscheck repo line"
sed -e "s|^  - repo: https://github.com/wscheck/wscheck\$|  - repo: $src|" \
	-e "s|^    rev: .*|    rev: $rev|" "$config" >.pre-commit-config.yaml
git add .pre-commit-config.yaml
git commit -q -m "use wscheck's hooks"
check "README config, pre-commit run --all-files" 1 pre-commit run --all-files
has "README config, pre-commit run --all-files" '^- hook id: wscheck-nginx$'
has "README config, pre-commit run --all-files" '^- hook id: wscheck-go$'
has "README config, pre-commit run --all-files" '^snippets/broken-ws\.conf:8:5: .*\(missing-connection-header\)$'
has "README config, pre-commit run --all-files" '^client/broken\.go:7:[0-9]+: .*\(dial-without-origin\)$'

git rm -q client/broken.go snippets/broken-ws.conf nginx/conf.d/typo.conf nginx/sites-enabled/legacy nginx/sites-available/legacy
git commit -q -m "fix everything"
check "README config on the fixed repository" 0 pre-commit run --all-files
has "README config on the fixed repository" 'wscheck \(nginx\)\.*Passed'
has "README config on the fixed repository" 'wscheck \(Go\)\.*Passed'

if [ "$failures" -ne 0 ]; then
	echo "precommit test: $failures failure(s)" >&2
	exit 1
fi
echo "precommit test: ok"
