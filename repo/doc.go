// Package repo is how wscheck understands a repository: the one
// file-access layer every half reads through (confined to the analyzed
// paths, bounded, regular files only), discovery of proxy configs, the
// path maps a repository's layout implies (compose mounts, Dockerfile
// COPY, rootfs trees) and the summary of what a run judged.
//
// It sits below the config halves and above report: nginxcheck and the
// command use it; it knows nothing of any proxy's rules.
package repo
