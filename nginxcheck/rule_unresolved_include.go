package nginxcheck

import "github.com/wscheck/wscheck/report"

var unresolvedInclude = &rule{
	doc: report.Rule{
		Name:     "unresolved-include",
		Severity: report.Info,
		Title:    "an include names no readable file; what it could set is treated as unknown",
		Why: `Repositories rarely hold the deployment host's files (Certbot's options, a prefix the
repository does not mirror). nginx would fail on a missing file; wscheck cannot tell,
so it treats whatever the include could set at that level as unknown and reports
nothing that the unseen file could make false.`,
		Fix: `Point wscheck at the file: --prefix DIR (nginx's conf directory) or --path-map
/etc/nginx=deploy/nginx; use --strict-includes when the repository holds the whole tree.`,
	},
	onTree: func(p *pass) {
		if p.opts.StrictIncludes {
			return // reported as errors instead
		}
		for _, n := range p.m.tree.Unresolved {
			p.report(n, "include %q names no readable file (%s): whatever it could set here is treated as unknown, so findings it could affect are not reported; point wscheck at it with --prefix, --path-map or --host-root", n.Arg(0), n.Include.Reason)
		}
	},
}
