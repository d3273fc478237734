package k8scheck

import (
	"regexp"
	"strings"

	"github.com/wscheck/wscheck/report"
)

var gatewayRouteTimeout = &rule{
	doc: report.Rule{
		Name:     "gateway-route-timeout",
		Severity: report.Info,
		Title:    "an HTTPRoute rule for a WebSocket path sets timeouts.request or timeouts.backendRequest, a limit on the whole request",
		Why: `Gateway API's HTTPRouteTimeouts (GEP-1742; apis/v1 httproute_types.go) are not idle
timeouts: request "specifies the maximum duration for a gateway to respond to an HTTP
request" and is meant "to cover as close to the whole request-response transaction as
possible", and backendRequest covers one call to the backend "to when the full response
has been received". A WebSocket is one request that lasts as long as the connection, so
where an implementation applies the limit to the upgraded stream the gateway ends every
WebSocket that long after it opened, however busy it is (Envoy's route timeout did: envoy
issue 20062, connections closed every 15 s). It is the trap of migrating from ingress-nginx:
proxy-read-timeout: "3600" is an idle limit, timeouts.request: 3600s a lifetime
(kubernetes-sigs/ingress2gateway#315). The spec's zero duration ("0s") disables the
timeout, and is not a finding; a value a template renders is unknown.

A rule is judged a WebSocket rule when a match's path ends in a WebSocket endpoint (/ws,
/socket.io, /websocket, /cable, /hub, ...) or a backendRef names a Service for WebSockets.`,
		Fix: `Put the WebSocket path in a rule of its own without timeouts (or with
request: "0s"), and keep long-lived connections alive with the implementation's idle
timeout settings instead.`,
	},
	check: checkGatewayRouteTimeout,
}

// zeroDuration is a Gateway API duration (GEP-2257) of zero: "0s", "0h0m".
var zeroDuration = regexp.MustCompile(`^(0+(h|m|s|ms))+$|^0$`)

func checkGatewayRouteTimeout(p *pass, o *object) {
	if o.kind != "HTTPRoute" {
		return
	}
	for _, r := range o.rules {
		why := ""
		for _, path := range r.paths {
			if why = wsRoute(path, value{unknown: true}); why != "" {
				break
			}
		}
		for _, b := range r.backends {
			if why != "" {
				break
			}
			why = wsRoute(value{unknown: true}, b)
		}
		if why == "" {
			continue
		}
		for _, t := range r.timeouts {
			v := strings.TrimSpace(t.text)
			if t.unknown || v == "" || zeroDuration.MatchString(v) {
				continue
			}
			p.report(t.line, t.col, "judged a WebSocket rule because its "+why,
				"HTTPRoute %s: timeouts.%s %s limits the whole request, so the gateway may end a WebSocket %s after it opens; drop it for the WebSocket rule or set \"0s\"", quoted(o.name), t.field, v, v)
		}
	}
}
