// Package haproxycheck finds the HAProxy settings that make WebSocket
// tunnels fail or close early: no "timeout tunnel" where HAProxy reads it,
// and servers that can only be spoken to in HTTP/2.
//
// The config is read by an own line reader (load.go), not by HAProxy
// Technologies' github.com/haproxytech/config-parser: that module's API
// hands out typed values per section without their source lines, and a
// finding must point at the line to edit (the module proxy this project
// builds from also refuses the module). HAProxy's syntax is small enough to
// read exactly as cfgparse does: one directive per line, words split on
// blanks with HAProxy's quoting and escapes (configuration manual 2.2),
// sections opened by their keyword, and the .if/.elif/.else/.endif blocks
// of section 2.4. Unknown keywords inside a section are kept, not judged.
package haproxycheck
