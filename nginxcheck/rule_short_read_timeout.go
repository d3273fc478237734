package nginxcheck

import (
	"strconv"
	"strings"
	"time"

	"github.com/wscheck/wscheck/report"
)

var shortReadTimeout = &rule{
	doc: report.Rule{
		Name:     "short-read-timeout",
		Severity: report.Info,
		Title:    "WebSocket tunnel closes after 60 s or less of silence",
		Why: `After the 101 response, proxy_read_timeout (default 60s) applies to silence on the
tunnel: nginx closes an idle WebSocket when it expires (measured: closed at 60.06 s
with the default) unless the application pings more often.`,
		Fix: `Raise "proxy_read_timeout" (e.g. 1h) for the WebSocket location, or make sure the
application pings well within the timeout.`,
	},
	onLocation: func(p *pass, ws *wsLocation) {
		s := effective(ws.level, "proxy_read_timeout")
		if s.unknown {
			return
		}
		if s.node == nil {
			p.report(ws.node, "WebSocket location %q keeps nginx's default proxy_read_timeout of 60s: an idle tunnel is closed after a minute unless the application pings; set e.g. \"proxy_read_timeout 1h;\"%s", ws.name(), because(ws))
			return
		}
		d, ok := parseNginxTime(s.node.Arg(0))
		if ok && d <= time.Minute {
			p.report(s.site, "proxy_read_timeout %s closes an idle WebSocket tunnel after %s of silence unless the application pings; raise it (e.g. 1h)%s", s.node.Arg(0), d, because(ws))
		}
	},
}

// parseNginxTime reads nginx time values: "90", "30s", "1h30m", "500ms".
func parseNginxTime(v string) (time.Duration, bool) {
	units := map[string]time.Duration{"ms": time.Millisecond, "s": time.Second, "m": time.Minute, "h": time.Hour,
		"d": 24 * time.Hour, "w": 7 * 24 * time.Hour, "M": 30 * 24 * time.Hour, "y": 365 * 24 * time.Hour}
	if n, err := strconv.Atoi(v); err == nil {
		return time.Duration(n) * time.Second, true
	}
	var total time.Duration
	for v != "" {
		i := strings.IndexFunc(v, func(r rune) bool { return r < '0' || r > '9' })
		if i <= 0 {
			return 0, false
		}
		n, _ := strconv.Atoi(v[:i])
		v = v[i:]
		unit := v[:1]
		if strings.HasPrefix(v, "ms") {
			unit = "ms"
		}
		mult, ok := units[unit]
		if !ok {
			return 0, false
		}
		total += time.Duration(n) * mult
		v = v[len(unit):]
	}
	return total, true
}
