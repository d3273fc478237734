package probe

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/wscheck/wscheck/report"
)

// WriteJSON prints {"probes": [...]}. Response bytes that are not UTF-8
// are replaced by U+FFFD, so the document stays valid.
func WriteJSON(w io.Writer, results []Result) error {
	clean := make([]Result, len(results))
	for i, r := range results {
		r.Message = strings.ToValidUTF8(r.Message, "\uFFFD")
		r.AnsweredBy = strings.ToValidUTF8(r.AnsweredBy, "\uFFFD")
		vs := make([]Variant, len(r.Variants))
		for j, v := range r.Variants {
			v.BodyExcerpt = strings.ToValidUTF8(v.BodyExcerpt, "\uFFFD")
			h := make(map[string][]string, len(v.Headers))
			for k, vals := range v.Headers {
				var out []string
				for _, s := range vals {
					out = append(out, strings.ToValidUTF8(s, "\uFFFD"))
				}
				h[strings.ToValidUTF8(k, "\uFFFD")] = out
			}
			v.Headers = h
			vs[j] = v
		}
		r.Variants = vs
		clean[i] = r
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(struct {
		Probes []Result `json:"probes"`
	}{clean})
}

// SGR sequences, as report's text printer uses them.
const (
	sgrReset  = "\x1b[0m"
	sgrBold   = "\x1b[1m"
	sgrDim    = "\x1b[2m"
	sgrRed    = "\x1b[31m"
	sgrYellow = "\x1b[33m"
	sgrGreen  = "\x1b[32m"
)

// WriteText prints one line per URL, `URL: severity: message (cause)`,
// and the evidence on indented lines. Every byte that came from a
// response is escaped (report.Escape): a hostile server cannot move the
// cursor or forge a line.
func WriteText(w io.Writer, results []Result, color bool) error {
	paint := func(sgr, s string) string {
		if !color {
			return s
		}
		return sgr + s + sgrReset
	}
	var b strings.Builder
	for _, r := range results {
		sev, sgr := "ok", sgrGreen
		if !r.OK() {
			c := mustCause(r.Cause)
			sev, sgr = c.Severity.String(), sgrRed
			if c.Severity == report.Warning {
				sgr = sgrYellow
			}
		}
		fmt.Fprintf(&b, "%s: %s: %s %s\n", paint(sgrBold, report.Escape(r.URL)), paint(sgr, sev), report.Escape(r.Message), paint(sgrDim, "("+r.Cause+")"))
		if r.AnsweredBy != "" {
			fmt.Fprintf(&b, "    answered by: %s\n", report.Escape(r.AnsweredBy))
		}
		for _, v := range r.Variants {
			fmt.Fprintf(&b, "    %s: %s\n", v.Name, variantLine(v))
		}
		if r.Idle != nil {
			if r.Idle.ClosedBy == "" {
				fmt.Fprintf(&b, "    idle: open after %g s of silence\n", r.Idle.RequestedS)
			} else {
				fmt.Fprintf(&b, "    idle: closed after %g s of %g s (%s", r.Idle.ClosedAfterS, r.Idle.RequestedS, r.Idle.ClosedBy)
				if r.Idle.CloseCode != 0 {
					fmt.Fprintf(&b, " %d", r.Idle.CloseCode)
				}
				b.WriteString(")\n")
			}
		}
		if len(r.See) > 0 {
			fmt.Fprintf(&b, "    see: %s (wscheck explain %s)\n", strings.Join(r.See, ", "), r.Cause)
		} else if !r.OK() {
			fmt.Fprintf(&b, "    see: wscheck explain %s\n", r.Cause)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func variantLine(v Variant) string {
	if v.Error != "" {
		return fmt.Sprintf("no answer after %d ms: %s", v.ElapsedMS, report.Escape(v.Error))
	}
	s := fmt.Sprintf("%d in %d ms", v.Status, v.ElapsedMS)
	var keys []string
	for k := range v.Headers {
		switch k {
		case "Server", "Location", "Sec-Websocket-Version", "Sec-Websocket-Accept", "Upgrade", "Connection", "Content-Type":
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	for _, k := range keys {
		s += fmt.Sprintf(", %s: %s", k, report.Escape(clip(strings.Join(v.Headers[k], ", "), 120)))
	}
	if ex := strings.TrimSpace(v.BodyExcerpt); ex != "" {
		if len(ex) > 160 {
			ex = ex[:160]
			for !utf8.ValidString(ex) && len(ex) > 0 {
				ex = ex[:len(ex)-1]
			}
			ex += "..."
		}
		s += fmt.Sprintf(", body %q", ex)
	}
	return s
}
