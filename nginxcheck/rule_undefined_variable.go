package nginxcheck

import (
	"strings"

	"github.com/wscheck/wscheck/nginxcheck/load"
	"github.com/wscheck/wscheck/report"
)

var undefinedVariable = &rule{
	doc: report.Rule{
		Name:     "undefined-variable",
		Severity: report.Error,
		Title:    "the Upgrade/Connection value uses a variable nothing defines",
		Why: `$connection_upgrade is not built in: it exists only where a map defines it. With no
map, nginx refuses to start: nginx -t fails with 'unknown "connection_upgrade"
variable' and names no file or line. This is checked only for a complete nginx.conf
whose includes were all read; a fragment's map may live in a file wscheck cannot see.`,
		Fix: `Define the variable in http {}: "map $http_upgrade $connection_upgrade { default upgrade; '' close; }" (from nginx
1.29.7 '' '', which keeps upstream keep-alive).`,
	},
	onTree: func(p *pass) {
		if !p.complete {
			return
		}
		load.Walk(p.m.tree.Root.Nodes, func(n *load.Node) bool {
			if n.Name != "proxy_set_header" || !isUpgradeOrConnection(n.Arg(0)) {
				return true
			}
			for _, v := range variables(n.Arg(1)) {
				if !isBuiltin(v) && !p.m.defined[v] {
					p.report(n, "$%s in the %s header is neither built in nor defined by a map, geo or set anywhere in this configuration: nginx refuses to start (nginx -t: unknown \"%s\" variable); define it, e.g. \"%s\" in http {}", v, n.Arg(0), v, recommendedMap(p.opts.NginxVersion, v))
				}
			}
			return true
		})
	},
}

func isUpgradeOrConnection(name string) bool {
	return strings.EqualFold(name, "upgrade") || strings.EqualFold(name, "connection")
}
