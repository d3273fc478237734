#!/usr/bin/env bash
# compare.sh: the README's speed and memory figures, reproduced.
#
#   bash testdata/bench/compare.sh            # 201-file tree: wscheck vs nginx -t, side by side
#   bash testdata/bench/compare.sh --large    # 47 MB single config: wscheck's peak RSS
#
# The tree comes from ../shared/bench/gennginx.go (GENNGINX=path to use
# another copy). Each run alternates wscheck and `nginx -t` on the same
# tree, RUNS times (default 5), and prints the medians of wall time, CPU
# time (user+sys) and peak RSS from /usr/bin/time, and wscheck's ratio to
# nginx: on a shared machine both tools see the same load.
set -euo pipefail

here=$(cd "$(dirname "$0")/../.." && pwd)
gen=${GENNGINX:-$here/../shared/bench/gennginx.go}
runs=${RUNS:-5}
nginx=${NGINX:-$(command -v nginx || echo /usr/sbin/nginx)}
large=false
[[ ${1:-} == --large ]] && large=true

[[ -f $gen ]] || { echo "compare.sh: no generator at $gen (set GENNGINX)" >&2; exit 2; }
[[ -x /usr/bin/time ]] || { echo "compare.sh: needs /usr/bin/time (Debian: apt-get install time)" >&2; exit 2; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$here" && go build -o "$work/wscheck" ./cmd/wscheck)

# measure LABEL CMD...: one run, appending "wall cpu rss_kb" to $work/LABEL.
measure() {
	local label=$1
	shift
	/usr/bin/time -o "$work/time" -f '%e %U %S %M' "$@" >/dev/null 2>&1 || true
	tail -n 1 "$work/time" | awk '{printf "%s %.2f %s\n", $1, $2 + $3, $4}' >>"$work/res.$label"
}

# median LABEL COLUMN
median() {
	cut -d' ' -f"$2" "$work/res.$1" | sort -n | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'
}

if $large; then
	go run "$gen" -out "$work/tree" -files 4200 -servers 10 >/dev/null
	# Inline the site files in place of their include: one 47 MB file.
	{
		sed -n '1,/include sites\/\*.conf;/p' "$work/tree/nginx.conf" | sed '$d'
		cat "$work"/tree/sites/*.conf
		sed -n '/include sites\/\*.conf;/,$p' "$work/tree/nginx.conf" | sed '1d'
	} >"$work/big.conf"
	rm -rf "$work/tree"
	size=$(stat -c %s "$work/big.conf")
	for _ in $(seq "$runs"); do
		measure wscheck "$work/wscheck" nginx --format json "$work/big.conf"
	done
	rss=$(median wscheck 3)
	echo "big.conf: $size bytes"
	echo "wscheck nginx --format json big.conf: median of $runs: wall $(median wscheck 1) s, CPU $(median wscheck 2) s, peak RSS $((rss / 1024)) MB"
	awk -v r="$rss" -v s="$size" 'BEGIN {printf "peak RSS / input size: %.1f (goal: at most 8)\n", r * 1024 / s}'
	exit 0
fi

go run "$gen" -out "$work/tree" -files 200 -servers 10 >/dev/null
for _ in $(seq "$runs"); do
	measure wscheck "$work/wscheck" nginx --format json "$work/tree/nginx.conf"
	measure nginx "$nginx" -t -q -e stderr -p "$work/tree" -c "$work/tree/nginx.conf"
done
printf '%-8s %8s %8s %8s\n' "" "wall s" "CPU s" "RSS MB"
for t in wscheck nginx; do
	printf '%-8s %8s %8s %8d\n' "$t" "$(median $t 1)" "$(median $t 2)" "$(($(median $t 3) / 1024))"
done
awk -v ww="$(median wscheck 1)" -v nw="$(median nginx 1)" -v wc="$(median wscheck 2)" -v nc="$(median nginx 2)" \
	'BEGIN {printf "ratio wscheck/nginx: wall %.2f, CPU %.2f (goal: at most 0.5)\n", ww / nw, wc / nc}'
