package report

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Escape makes config-derived text safe for a terminal and for
// line-oriented output: control characters (ESC, CR, newline, C1) and
// bytes that are not UTF-8 are shown as \xNN or \n, so a hostile file name
// can neither move the cursor nor forge another line.
func Escape(s string) string { return escape(s, false) }

// EscapeControl is Escape for a format that encodes line breaks itself
// (GitHub's workflow commands): newlines and CR are left to it.
func EscapeControl(s string) string { return escape(s, true) }

func escape(s string, keepLines bool) string {
	clean := true
	for _, r := range s {
		if (r == '\n' || r == '\r') && keepLines {
			continue
		}
		if r == utf8.RuneError || r < 0x20 || (r >= 0x7f && r < 0xa0) {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case (r == '\n' || r == '\r') && keepLines:
			b.WriteRune(r)
		case r == utf8.RuneError && size <= 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, `\x%02x`, r)
		case r >= 0x80 && r < 0xa0:
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}
