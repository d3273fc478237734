// Package repo is how wscheck understands a repository, for every half:
//
//   - fsys.go: the one file-access layer (FS; Disk on the real disk, Mem
//     for tests), confined to the analyzed paths, bounded, regular files
//     only, every failure with its reason;
//   - discover.go: which file is which proxy's config (nginx told from
//     HOCON, Caddy, HCL and Lua by shape), and what is listed as not
//     analyzed;
//   - layout.go, k8s.go: the path maps a repository's layout implies
//     (compose mounts, Dockerfile COPY, rootfs trees, mounted ConfigMap
//     keys, the official image's templates);
//   - template.go, yamlsrc.go, tplfs.go: templates neutralized into nginx
//     text of the same shape, and nginx strings inside YAML as virtual
//     files of the YAML file's shape (template.go says why neutralizing
//     and not rendering).
//
// It sits below the config halves and above report: nginxcheck and the
// command use it; it knows nothing of any proxy's rules.
package repo
