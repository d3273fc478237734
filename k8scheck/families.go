package k8scheck

import (
	"fmt"
	"strings"

	"github.com/wscheck/wscheck/report"
)

// family is one Ingress controller and the annotations it reads.
type family struct {
	id, name string
	prefixes []string
	// known: the names (after the prefix) it reads; nil when not checked.
	known map[string]map[string]bool
	// websocket: the names that decide whether a WebSocket works or stays
	// open behind it.
	websocket map[string]bool
	// lbTimeout says how the load balancer ends a WebSocket by default,
	// and how to raise it; "" when no default is documented.
	lbTimeout string
}

var (
	ingressNginx = &family{
		id: "ingress-nginx", name: "ingress-nginx",
		prefixes: []string{"nginx.ingress.kubernetes.io/"},
		known:    map[string]map[string]bool{"nginx.ingress.kubernetes.io/": ingressNginxNames},
		websocket: fields(`proxy-read-timeout proxy-send-timeout proxy-http-version connection-proxy-header
			configuration-snippet server-snippet affinity affinity-mode upstream-hash-by proxy-buffering`),
	}
	nginxInc = &family{
		id: "nginx-inc", name: "NGINX Inc's controller",
		prefixes: []string{"nginx.org/", "nginx.com/"},
		known:    map[string]map[string]bool{"nginx.org/": nginxOrgNames, "nginx.com/": nginxComNames},
		websocket: fields(`proxy-read-timeout proxy-send-timeout websocket-services location-snippets
			server-snippets proxy-buffering lb-method sticky-cookie-services`),
	}
	gce = &family{
		id: "gce", name: "GKE's load balancer (GCE)",
		prefixes: []string{"networking.gke.io/", "cloud.google.com/", "ingress.gcp.kubernetes.io/"},
		lbTimeout: "the GCE load balancer ends every WebSocket when its backend service timeout runs out, " +
			"30 s after it opens by default; set timeoutSec in a BackendConfig attached to the Service",
	}
	alb = &family{
		id: "alb", name: "the AWS Load Balancer Controller (ALB)",
		prefixes: []string{"alb.ingress.kubernetes.io/"},
		lbTimeout: "the ALB closes a connection idle for 60 s by default; set " +
			"alb.ingress.kubernetes.io/load-balancer-attributes: idle_timeout.timeout_seconds=3600",
	}
	// Controllers known by their class only: their own settings are not judged.
	byClass = []*family{
		{id: "traefik", name: "Traefik", prefixes: []string{"traefik.ingress.kubernetes.io/"}},
		{id: "haproxy", name: "the HAProxy ingress controller", prefixes: []string{"haproxy.org/", "haproxy-ingress.github.io/"}},
		{id: "kong", name: "Kong", prefixes: []string{"konghq.com/"}},
		{id: "contour", name: "Contour", prefixes: []string{"projectcontour.io/"}},
		{id: "istio", name: "Istio"},
		{id: "cilium", name: "Cilium"},
		{id: "azure", name: "the Azure Application Gateway controller", prefixes: []string{"appgw.ingress.kubernetes.io/"}},
	}
	nginxFamilies = []*family{ingressNginx, nginxInc}
)

// prefixOf is the prefix of a family's that key has, or "".
func (f *family) prefixOf(key string) string {
	for _, p := range f.prefixes {
		if strings.HasPrefix(key, p) {
			return p
		}
	}
	return ""
}

// unknownName reports an annotation under the family's prefix that it
// does not read, with a hint at the name meant.
func (f *family) unknownName(key string) (string, bool) {
	p := f.prefixOf(key)
	if p == "" || f.known[p] == nil {
		return "", false
	}
	name := strings.TrimPrefix(key, p)
	if f.known[p][name] {
		return "", false
	}
	for _, other := range nginxFamilies {
		if other == f {
			continue
		}
		for op, names := range other.known {
			if names[name] {
				return fmt.Sprintf("%s is no %s annotation (only %s has %s%s)", key, f.name, other.name, op, name), true
			}
		}
	}
	if f == ingressNginx && strings.Contains(name, "websocket") {
		return fmt.Sprintf("%s is no %s annotation (ingress-nginx proxies WebSockets without one)", key, f.name), true
	}
	best, dist := "", 3
	for n := range f.known[p] {
		if d := report.EditDistance(name, n); d < dist || (d == dist && n < best) {
			best, dist = n, d
		}
	}
	if best != "" {
		return fmt.Sprintf("%s is no %s annotation (did you mean %s%s?)", key, f.name, p, best), true
	}
	return fmt.Sprintf("%s is no %s annotation", key, f.name), true
}

func (f *family) isWebSocket(key string) bool {
	p := f.prefixOf(key)
	return p != "" && f.websocket[strings.TrimPrefix(key, p)]
}

// classFamily maps an IngressClass name to its controller; nginx names
// are ambiguous (both nginx controllers default to the class "nginx").
func classFamily(class string) (f *family, nginx bool) {
	c := strings.ToLower(class)
	switch {
	case strings.Contains(c, "nginx"):
		return nil, true
	case c == "gce" || strings.HasPrefix(c, "gce-"):
		return gce, false
	case c == "alb":
		return alb, false
	case strings.Contains(c, "traefik"):
		return byClass[0], false
	case strings.Contains(c, "haproxy"):
		return byClass[1], false
	case strings.Contains(c, "kong"):
		return byClass[2], false
	case c == "contour":
		return byClass[3], false
	case c == "istio":
		return byClass[4], false
	case c == "cilium":
		return byClass[5], false
	case c == "azure/application-gateway":
		return byClass[6], false
	}
	return nil, false
}

// serving is the controller judged to serve an Ingress, and why.
type serving struct {
	family *family // nil: unknown
	// both: both nginx families' annotations on an object whose class
	// does not say which of them serves it.
	both bool
	why  string
}

func (o *object) uses(f *family) (first annotation, ok bool) {
	for _, a := range o.annotations {
		if f.prefixOf(a.key) != "" {
			return a, true
		}
	}
	return annotation{}, false
}

// servedBy decides the controller from the class, or without one from
// the object's own annotations: GKE manifests carry ingress-nginx
// timeouts next to GCE annotations and never name a class.
func (o *object) servedBy() serving {
	inc, hasInc := o.uses(nginxInc)
	comm, hasComm := o.uses(ingressNginx)
	nginx := func(why string) serving {
		switch {
		case hasInc && hasComm:
			return serving{both: true, why: why}
		case hasInc:
			return serving{family: nginxInc, why: why + fmt.Sprintf(", and its annotations are NGINX Inc's (%s, line %d)", inc.key, inc.line)}
		}
		return serving{family: ingressNginx, why: why}
	}
	if o.class != nil && !o.class.unknown {
		why := fmt.Sprintf("its class is %q (%s, line %d)", o.class.text, o.classFrom, o.class.line)
		f, isNginx := classFamily(o.class.text)
		if isNginx {
			return nginx(why)
		}
		if f == nil {
			return serving{}
		}
		return serving{family: f, why: why}
	}
	undecided := o.class != nil || o.openClass // a template renders the class
	// The first annotation that only one load balancer's controller reads.
	for _, a := range o.annotations {
		f := gce
		switch {
		case a.key == "kubernetes.io/ingress.global-static-ip-name" || gce.prefixOf(a.key) != "":
		case alb.prefixOf(a.key) != "":
			f = alb
		default:
			continue
		}
		if undecided {
			break
		}
		return serving{family: f, why: fmt.Sprintf("it names no class and carries %s (line %d), which only %s reads", a.key, a.line, f.name)}
	}
	switch {
	case hasComm && hasInc:
		// Whichever nginx controller a rendered class picks, one set
		// never applies.
		return serving{both: true, why: "no class the file shows says which nginx controller serves it"}
	case undecided:
		return serving{}
	case hasComm:
		return serving{family: ingressNginx, why: fmt.Sprintf("it names no class and its annotations are ingress-nginx's (%s, line %d)", comm.key, comm.line)}
	case hasInc:
		return serving{family: nginxInc, why: fmt.Sprintf("it names no class and its annotations are NGINX Inc's (%s, line %d)", inc.key, inc.line)}
	}
	return serving{}
}
