package k8scheck

import (
	"fmt"
	"slices"
	"strings"

	"github.com/wscheck/wscheck/report"
)

var annotationController = &rule{
	doc: report.Rule{
		Name:     "ingress-annotation-controller",
		Severity: report.Warning,
		Title:    "WebSocket annotations of one Ingress controller on an Ingress another serves, or annotation names no controller reads",
		Why: `An Ingress controller reads only its own annotations; every other annotation is
ignored without a word. ingress-nginx reads nginx.ingress.kubernetes.io/* (docs
user-guide/nginx-configuration/annotations.md), NGINX Inc's controller nginx.org/* and
nginx.com/* (its docs "Advanced configuration with annotations"; internal/configs/annotations.go).
The class (spec.ingressClassName or the kubernetes.io/ingress.class annotation) picks the
controller; without one, GKE serves an Ingress that carries networking.gke.io/*,
cloud.google.com/* or kubernetes.io/ingress.global-static-ip-name, and the AWS Load
Balancer Controller one with alb.ingress.kubernetes.io/*. So the
nginx.ingress.kubernetes.io/proxy-read-timeout: "3600" copied into a GKE manifest
never applies, and the WebSocket is closed by the load balancer's own default:
GCE's backend service timeout, 30 s (Compute Engine BackendService.timeoutSec, "The
default is 30 seconds"; ingress-gce's examples/websocket: "the websocket connection will
be destroyed by the HTTP(S) Load Balancer after 30 seconds ... not an idle timeout"),
set through a BackendConfig's timeoutSec on the Service; or the ALB's connection idle
timeout, 60 s (AWS ELB docs "Edit attributes for your Application Load Balancer",
Connection idle timeout: "By default, ELB sets the idle timeout value for your load
balancer to 60 seconds"), set with alb.ingress.kubernetes.io/load-balancer-attributes:
idle_timeout.timeout_seconds=N. nginx.org/* next to nginx.ingress.kubernetes.io/* on one
object means one of the two sets never applies, whichever controller serves it (both
default to the class "nginx"). And a name no controller knows is a silent no-op: the
common one is nginx.ingress.kubernetes.io/websocket-services, which exists only as NGINX
Inc's nginx.org/websocket-services (kubernetes-ingress examples/websocket; ingress-nginx
needs no annotation for WebSockets, docs user-guide/miscellaneous.md "Websockets").
Known names are every name of ingress-nginx's annotations.md over its history and of
NGINX Inc's annotation sources, so an older controller's names are not flagged.

One finding per Ingress, at the first annotation that never applies; the message lists
them all. A chart's values files (values*.yaml) hold the annotations its Ingress template
renders: their annotation maps are judged for names no controller reads (no class is known
there). A class or annotation a template renders is unknown, and an Ingress whose class
no file shows (the cluster's default class serves it) is judged only for unknown names.`,
		Fix: `Configure the controller that serves the Ingress: on GKE a BackendConfig with
timeoutSec (cloud.google.com/backend-config on the Service), on ALB
alb.ingress.kubernetes.io/load-balancer-attributes: idle_timeout.timeout_seconds=3600; keep
only the serving nginx controller's annotations; correct misspelt names.`,
	},
	check: checkAnnotationController,
}

func checkAnnotationController(p *pass, o *object) {
	var s serving
	switch o.kind {
	case "Ingress":
		s = o.servedBy()
	case "values":
	default:
		return
	}
	var never, unknown []annotation
	var notes []string
	for _, a := range o.annotations {
		for _, f := range nginxFamilies {
			if note, ok := f.unknownName(a.key); ok {
				unknown = append(unknown, a)
				notes = append(notes, note)
			} else if f.isWebSocket(a.key) && (s.both || (s.family != nil && s.family != f)) {
				never = append(never, a)
			}
		}
	}
	if len(never) == 0 && len(unknown) == 0 {
		return
	}
	first := slices.MinFunc(append(slices.Clone(never), unknown...), func(a, b annotation) int { return a.line - b.line })
	head := fmt.Sprintf("Ingress %s: ", quoted(o.name))
	if o.kind == "values" {
		head = fmt.Sprintf("Helm values %s: ", o.name)
	}
	var parts []string
	if len(never) > 0 {
		keys := make([]string, len(never))
		for i, a := range never {
			keys[i] = a.key
		}
		switch {
		case s.both:
			head = fmt.Sprintf("Ingress %s carries annotations of both nginx controllers (ingress-nginx's nginx.ingress.kubernetes.io/*, NGINX Inc's nginx.org/*): ", quoted(o.name))
			parts = append(parts, fmt.Sprintf("only one controller serves it, so of %s one set never applies; keep the serving controller's", strings.Join(keys, ", ")))
		default:
			head = fmt.Sprintf("Ingress %s is served by %s, so ", quoted(o.name), s.family.name)
			msg := fmt.Sprintf("%s never %s", strings.Join(keys, ", "), plural(len(keys), "applies", "apply"))
			if s.family.lbTimeout != "" && !o.setsLBTimeout(s.family) {
				msg += ": " + s.family.lbTimeout
			}
			parts = append(parts, msg)
		}
	}
	parts = append(parts, notes...)
	reason := ""
	if len(never) > 0 {
		reason = "judged by the serving controller: " + s.why
	}
	p.report(first.line, first.col, reason, "%s%s", head, strings.Join(parts, "; "))
}

// setsLBTimeout: the Ingress already sets the load balancer's own timeout.
func (o *object) setsLBTimeout(f *family) bool {
	if f != alb {
		return false // GCE's timeout lives in a BackendConfig, not on the Ingress
	}
	a, ok := o.annotation("alb.ingress.kubernetes.io/load-balancer-attributes")
	return ok && (a.unknown || strings.Contains(a.text, "idle_timeout.timeout_seconds"))
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
