package nginxcheck

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/wscheck/wscheck/report"
)

// WriteExplainJSON writes a view as one JSON document.
func WriteExplainJSON(w io.Writer, v View) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// WriteExplainText writes each location of a view as nginx text the user
// can paste back, annotated with where every value comes from.
func WriteExplainText(w io.Writer, v View) error {
	var b strings.Builder
	for i, l := range v.Locations {
		if i > 0 {
			b.WriteString("\n")
		}
		writeLocation(&b, l)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// WriteInventoryText writes the --locations list: per proxying location
// its position, path, WebSocket judgement with its reason, and a line of
// effective settings.
func WriteInventoryText(w io.Writer, v View) error {
	var b strings.Builder
	for _, l := range v.Locations {
		kind := "WebSocket"
		if !l.WebSocket {
			kind = "not WebSocket"
		}
		fmt.Fprintf(&b, "%s: location %s: %s: %s\n", report.Position(l.File, l.Line, l.Column), l.Location, kind, l.Reason)
		if l.Root != l.File {
			fmt.Fprintf(&b, "    root: %s\n", l.Root)
		}
		fmt.Fprintf(&b, "    %s\n", l.Summary)
		if len(l.Findings) > 0 {
			var names []string
			for _, f := range l.Findings {
				names = append(names, fmt.Sprintf("%s (line %d)", f.Rule, f.Line))
			}
			fmt.Fprintf(&b, "    findings: %s\n", strings.Join(names, ", "))
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func at(file string, line int) string {
	if file == "" {
		return ""
	}
	return fmt.Sprintf("%s:%d", file, line)
}

// from annotates a value with its origin.
func from(o Origin) string {
	if o.Default {
		return "nginx's default"
	}
	s := "from " + at(o.File, o.Line)
	if o.Level != "" && o.Level != "this location" {
		s += " (" + o.Level + ")"
	}
	if o.Via != nil {
		s += " via " + o.Via.Name + " at " + at(o.Via.File, o.Via.Line)
	}
	return s
}

func causeText(c *Cause) string {
	if c == nil {
		return "unknown"
	}
	if c.File == "" {
		return "unknown: " + c.What
	}
	return fmt.Sprintf("unknown: %s (%s)", c.What, at(c.File, c.Line))
}

// block collects directive lines and their comments, aligned on output.
type block struct {
	indent string
	lines  [][2]string // directive (or "" for a comment line), comment
}

func (bl *block) add(directive, comment string) {
	bl.lines = append(bl.lines, [2]string{directive, comment})
}
func (bl *block) comment(c string) { bl.lines = append(bl.lines, [2]string{"", c}) }
func (bl *block) blank()           { bl.lines = append(bl.lines, [2]string{"", ""}) }

func (bl *block) write(b *strings.Builder) {
	width := 0
	for _, l := range bl.lines {
		if l[0] != "" && len(l[0]) <= 48 {
			width = max(width, len(l[0]))
		}
	}
	for _, l := range bl.lines {
		switch {
		case l[0] == "" && l[1] == "":
			b.WriteString("\n")
		case l[0] == "":
			fmt.Fprintf(b, "%s# %s\n", bl.indent, l[1])
		case l[1] == "":
			fmt.Fprintf(b, "%s%s\n", bl.indent, l[0])
		default:
			fmt.Fprintf(b, "%s%-*s  # %s\n", bl.indent, width, l[0], l[1])
		}
	}
}

func writeLocation(b *strings.Builder, l *LocationView) {
	fmt.Fprintf(b, "# location %s at %s", l.Location, report.Position(l.File, l.Line, l.Column))
	if l.Root != l.File {
		fmt.Fprintf(b, " (root %s)", l.Root)
	}
	b.WriteString("\n")
	if len(l.Within) > 0 {
		var parts []string
		for _, w := range l.Within {
			s := w.Kind
			if w.Name != "" {
				s += " " + w.Name
			}
			if w.File != "" {
				s += " (" + at(w.File, w.Line) + ")"
			} else {
				s += " (implied: the file is a fragment)"
			}
			parts = append(parts, s)
		}
		fmt.Fprintf(b, "# in: %s\n", strings.Join(parts, " > "))
	}
	fmt.Fprintf(b, "# matches: %s\n", l.Match)
	if l.WebSocket {
		fmt.Fprintf(b, "# WebSocket: yes, because %s\n", l.Reason)
	} else {
		fmt.Fprintf(b, "# WebSocket: no: %s\n", l.Reason)
	}
	for _, r := range l.HandsTo {
		if r.File != "" {
			fmt.Fprintf(b, "# hands requests to %s (%s), whose settings then apply\n", r.Name, at(r.File, r.Line))
		} else {
			fmt.Fprintf(b, "# hands requests to %s, which is not in the files read\n", r.Name)
		}
	}
	for _, r := range l.ReachedFrom {
		fmt.Fprintf(b, "# reached from location %s (%s)\n", r.Name, at(r.File, r.Line))
	}
	if len(l.Maps) > 0 {
		b.WriteString("\n# maps it reads (http level):\n")
		for _, m := range l.Maps {
			writeMap(b, m)
		}
	}
	b.WriteString("\n")
	body := &block{indent: "    "}
	u := &unknowns{}
	snippet := strings.HasPrefix(l.Match, "a snippet")
	if snippet {
		body.indent = ""
	} else {
		fmt.Fprintf(b, "location %s {\n", l.Location)
	}
	if l.ProxyPass != nil {
		c := from(l.ProxyPass.Origin)
		if l.ProxyPass.Unknown {
			c += "; " + causeText(l.ProxyPass.Cause)
		}
		body.add(l.ProxyPass.Directive+";", c)
	}
	for _, s := range l.IfProxyPass {
		body.add(s.Directive, from(s.Origin)+"; "+s.Note)
	}
	for _, s := range []struct {
		name string
		s    Setting
	}{{"proxy_http_version", l.HTTPVersion}, {"proxy_read_timeout", l.ReadTimeout}, {"proxy_send_timeout", l.SendTimeout}} {
		writeSetting(body, u, s.name, s.s)
	}
	body.blank()
	writeHeaders(body, u, l.Headers)
	u.write(body)
	body.write(b)
	if !snippet {
		b.WriteString("}\n")
	}
	writeSent(b, l)
	if len(l.Variables) > 0 {
		b.WriteString("\n# variables in a browser's WebSocket handshake (Upgrade: websocket, Connection: Upgrade):\n")
		for _, v := range l.Variables {
			switch {
			case v.Known && v.Firefox != "":
				fmt.Fprintf(b, "#   %s = %q (Firefox: %q): %s\n", v.Name, v.Value, v.Firefox, v.Means)
			case v.Known:
				fmt.Fprintf(b, "#   %s = %q: %s\n", v.Name, v.Value, v.Means)
			default:
				fmt.Fprintf(b, "#   %s: %s\n", v.Name, v.Means)
			}
			for _, s := range v.Steps {
				fmt.Fprintf(b, "#       %s\n", s)
			}
		}
	}
	if len(l.Findings) == 0 {
		b.WriteString("\n# findings: none\n")
		return
	}
	b.WriteString("\n# findings:\n")
	for _, f := range l.Findings {
		fmt.Fprintf(b, "#   %s: %s: %s (%s)\n", report.Position(f.File, f.Line, f.Column), f.Severity, f.Message, f.Rule)
		if f.Reason != "" {
			fmt.Fprintf(b, "#       %s\n", f.Reason)
		}
	}
}

// unknowns gathers the unresolved includes that leave settings unknown,
// so each is printed once, as the directive it is, with what it hides.
type unknowns struct {
	order []string
	by    map[string]*unknownSite
}

type unknownSite struct {
	c     *Cause
	names []string
}

func (u *unknowns) add(c *Cause, name string) {
	k := at(c.File, c.Line)
	if u.by == nil {
		u.by = map[string]*unknownSite{}
	}
	if u.by[k] == nil {
		u.by[k] = &unknownSite{c: c}
		u.order = append(u.order, k)
	}
	u.by[k].names = append(u.by[k].names, name)
}

func (u *unknowns) write(body *block) {
	for _, k := range u.order {
		s := u.by[k]
		body.add(s.c.Directive+";", fmt.Sprintf("from %s: %s; unknown here: %s", k, s.c.What, strings.Join(s.names, ", ")))
	}
}

func writeSetting(body *block, u *unknowns, name string, s Setting) {
	switch {
	case s.Unknown && s.Cause != nil && s.Cause.Directive != "":
		u.add(s.Cause, name)
	case s.Unknown:
		body.comment(name + ": " + causeText(s.Cause))
	case s.Default:
		body.add(s.Directive+";", s.Note)
	default:
		body.add(s.Directive+";", from(s.Origin))
	}
}

func writeHeaders(body *block, u *unknowns, hl HeaderList) {
	switch {
	case hl.Unknown && len(hl.Entries) == 0:
		body.comment("proxy_set_header: " + causeText(hl.Cause))
	case hl.Unknown:
		body.comment(fmt.Sprintf("proxy_set_header: the list of %s (%s), and more entries that are unknown", hl.From, at(hl.File, hl.Line)))
	case hl.File != "":
		body.comment(fmt.Sprintf("proxy_set_header: the list of %s (%s); nginx adds its defaults for names it lacks", hl.From, at(hl.File, hl.Line)))
	case hl.From == "nginx defaults":
		body.comment("proxy_set_header: no level sets one, so nginx's defaults apply")
	default:
		body.comment(fmt.Sprintf("proxy_set_header: the list of %s (implied by the fragment)", hl.From))
	}
	if len(hl.Replaced) > 0 {
		body.comment(fmt.Sprintf("not inherited, because %s has its own list (nginx inherits proxy_set_header all or nothing):", hl.From))
		for _, h := range hl.Replaced {
			body.add("# proxy_set_header "+quoteWord(h.Name)+" "+quoteWord(h.Value)+";", from(h.Origin)+"; not sent")
		}
	}
	for _, h := range hl.Entries {
		d := "proxy_set_header " + quoteWord(h.Name) + " " + quoteWord(h.Value) + ";"
		c := from(h.Origin)
		switch {
		case h.Unknown:
			c += "; " + causeText(h.Cause)
		case h.Dropped != "" && h.Value == "" && h.Default:
			body.comment(fmt.Sprintf("%s: not sent: %s", h.Name, h.Dropped))
			continue
		case h.Dropped != "":
			c += "; not sent: " + h.Dropped
		case h.Evaluated != h.Value && h.Firefox != "":
			c += fmt.Sprintf("; sends %q (Firefox: %q)", h.Evaluated, h.Firefox)
		case h.Evaluated != h.Value:
			c += fmt.Sprintf("; sends %q", h.Evaluated)
		}
		if h.Default && h.Name == "Connection" {
			c += " before 1.29.7"
		}
		body.add(d, c)
	}
	if hl.Unknown && hl.Cause != nil && hl.Cause.Directive != "" {
		u.add(hl.Cause, "proxy_set_header")
	}
}

func writeMap(b *strings.Builder, m MapView) {
	fmt.Fprintf(b, "map %s %s {  # from %s\n", m.Source, m.Variable, at(m.File, m.Line))
	bl := &block{indent: "    "}
	for _, e := range m.Entries {
		k := quoteWord(e.Key)
		if e.Key == "default" {
			k = "default"
		}
		bl.add(k+" "+quoteWord(e.Value)+";", "")
	}
	if m.Unknown {
		bl.comment("more entries: unknown (an unseen include or a template)")
	}
	bl.write(b)
	b.WriteString("}\n")
}

// writeSent lists what the backend receives, as a request's header lines.
func writeSent(b *strings.Builder, l *LocationView) {
	b.WriteString("\n# the backend receives, from these settings:\n")
	if l.Headers.Unknown && len(l.Headers.Entries) == 0 {
		fmt.Fprintf(b, "#   headers: %s\n", causeText(l.Headers.Cause))
		return
	}
	for _, h := range l.Headers.Entries {
		if h.Sent {
			fmt.Fprintf(b, "#   %s: %s\n", h.Name, h.Evaluated)
		} else if h.Unknown {
			fmt.Fprintf(b, "#   %s: %s\n", h.Name, causeText(h.Cause))
		}
	}
	for _, name := range []string{"Upgrade", "Connection", "Host"} {
		if sentValue(l.Headers, name) == "(none)" {
			fmt.Fprintf(b, "#   (no %s header)\n", name)
		}
	}
	if l.Headers.Unknown {
		fmt.Fprintf(b, "#   and what the unknown part sets: %s\n", causeText(l.Headers.Cause))
	}
}
