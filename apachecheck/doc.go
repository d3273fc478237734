// Package apachecheck finds the Apache httpd settings that make WebSocket
// handshakes fail behind mod_proxy: a plain ProxyPass that takes the
// WebSocket request first, a WebSocket path proxied without an upgrade,
// and the backend seeing the worker's host.
//
// The config is read by an own reader (load.go) of httpd's directive
// syntax: one directive per line, a trailing backslash continuing it,
// words split as ap_getword_conf does (double or single quotes), comments
// only on lines of their own, and <Section args> ... </Section> nesting
// checked as httpd checks it. No maintained Go parser of httpd configs
// keeps line numbers, and the syntax is small. Include and
// IncludeOptional are followed (globs sorted, relative to the including
// file's directory, then to its parents up to the path the user named, as
// a repository holds ServerRoot's tree); <IfModule>, <IfDefine>,
// <IfVersion> and <If> contents are read as applying, since the modules a
// WebSocket vhost needs are the ones it names.
package apachecheck
