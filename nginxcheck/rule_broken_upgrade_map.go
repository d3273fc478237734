package nginxcheck

import (
	"fmt"
	"strings"

	"github.com/wscheck/wscheck/nginxcheck/load"

	"github.com/wscheck/wscheck/report"
)

var brokenUpgradeMap = &rule{
	doc: report.Rule{
		Name:     "broken-upgrade-map",
		Severity: report.Error,
		Title:    "the map feeding Connection does not yield upgrade for a WebSocket handshake",
		Why: `The usual Connection value comes from a map on $http_upgrade. The map is evaluated as
nginx evaluates it (ngx_http_map_find: exact keys case-insensitively, then regexes in
order, then the default) for a browser's handshake ("Upgrade: websocket",
"Connection: Upgrade" or "keep-alive, Upgrade"), maps feeding maps followed through.
If what it yields is not a Connection list with the token "upgrade" (keep-alive, close,
"upgraded", "", or $http_upgrade's "websocket"), or the map reads a variable other than
the client's Upgrade and none of its values asks for an upgrade, every handshake
reaches the backend with that Connection value and is refused: gorilla 400 "'upgrade'
token not found in 'Connection' header", coder/websocket 426 "Connection header
\"keep-alive\" does not contain Upgrade" (observed through nginx 1.22.1).`,
		Fix: `Use "map $http_upgrade $connection_upgrade { default upgrade; '' close; }" in http {}
(from nginx 1.29.7: '' '' instead of '' close, which keeps upstream keep-alive).`,
	},
	onLocation: func(p *pass, ws *wsLocation) {
		if ws.headers.unknown {
			return
		}
		conns := ws.headers.get("connection")
		if ok, _, _ := p.m.judge(conns, asksUpgrade); ok {
			return
		}
		for _, h := range conns {
			for _, name := range variables(h.value) {
				md := p.m.maps[name]
				if md == nil {
					continue
				}
				if problem := p.m.connectionMapProblem(h, name, md); problem != "" {
					p.report(h.Site, "Connection comes from $%s, but the map at %s:%d %s: the backend refuses the handshake (400); use \"%s\"%s",
						name, md.node.File.Path, md.node.Line, problem, recommendedMap(p.opts.NginxVersion, name), because(ws))
					p.fixLast("make the map yield upgrade for a handshake", func(r *repair) { r.fixMap(h, md) })
					return
				}
			}
		}
	},
}

// connectionMapProblem says why the map behind a Connection entry makes
// it lack "upgrade" in a browser's handshake, or "" when it does not (or
// cannot be told).
func (m *model) connectionMapProblem(h header, name string, md *mapDef) string {
	if md.unknown {
		return ""
	}
	only := strings.TrimSpace(h.value) == "$"+name || strings.TrimSpace(h.value) == "${"+name+"}"
	for _, hs := range handshakes {
		full, known := m.evalFor(h.value, hs)
		if known && asksUpgrade(full) {
			continue
		}
		in, ok := m.evalFor(md.source, hs)
		if !ok {
			// The map reads something the handshake does not decide: it is
			// broken only if no value it can yield asks for an upgrade.
			if only && !m.anyOutputAsksUpgrade(md, hs) {
				return fmt.Sprintf("reads %s, not $http_upgrade, and none of its values asks for an upgrade", md.source)
			}
			return ""
		}
		if !known {
			return "" // another variable in the value could supply it
		}
		out, ok := md.eval(in)
		if !ok {
			return ""
		}
		v, _ := m.evalFor(out, hs)
		what := fmt.Sprintf("%q", v)
		if v != out {
			what = fmt.Sprintf("%s (%q)", out, v)
		}
		from := ""
		if strings.Contains(strings.ToLower(md.source), "$http_connection") {
			from = " (" + hs.browser + "'s handshake)"
		}
		if v == "" {
			return fmt.Sprintf("yields nothing for %s %q%s (nginx then drops the header)", md.source, in, from)
		}
		return fmt.Sprintf("yields %s for %s %q%s, not a Connection that asks for an upgrade", what, md.source, in, from)
	}
	return ""
}

// anyOutputAsksUpgrade: some entry or the default of the map could yield
// a value with the "upgrade" token (or one that cannot be evaluated).
func (m *model) anyOutputAsksUpgrade(md *mapDef, hs handshake) bool {
	outs := []string{md.def}
	for _, e := range md.entries {
		outs = append(outs, e.value)
	}
	for _, o := range outs {
		if v, ok := m.evalFor(o, hs); !ok || asksUpgrade(v) {
			return true
		}
	}
	return false
}

// fixMap makes the entry a handshake's Upgrade selects (or the default)
// yield "upgrade". Only a map on $http_upgrade read alone is repaired:
// for any other input, which entry should yield upgrade is a choice.
func (r *repair) fixMap(h header, md *mapDef) {
	v := strings.TrimSpace(h.value)
	if !strings.EqualFold(md.source, "$http_upgrade") || !strings.EqualFold(v, "$"+strings.TrimPrefix(md.node.Arg(1), "$")) {
		r.refuse(fmt.Sprintf("the map reads %s and the header sends %s: which entry should yield upgrade is a choice", md.source, h.value))
		return
	}
	var node *load.Node
	for _, hs := range handshakes {
		_, n, ok := md.match(hs.upgrade)
		if !ok {
			r.refuse("the map cannot be evaluated")
			return
		}
		if node != nil && n != node {
			r.refuse("the browsers' handshakes select different entries")
			return
		}
		node = n
	}
	if node == nil {
		if len(md.node.Children) == 0 {
			r.refuse("the map is empty")
			return
		}
		r.insertBefore(md.node.Children[0], "default upgrade;")
		return
	}
	r.replaceArg(node, 0, "upgrade")
}
