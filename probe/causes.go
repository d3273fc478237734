package probe

import (
	"fmt"
	"slices"
	"strings"

	"github.com/wscheck/wscheck/report"
)

// Cause is one verdict of a probe. Names are stable, like rule names, and
// never equal a rule's: `wscheck explain` looks up both.
type Cause struct {
	Name     string
	Severity report.Severity
	Title    string
	Why      string
	Fix      string
	// See names the static rules whose findings produce this cause, so a
	// person can go from what the chain does to the line to edit.
	See []string
}

// Explain renders the cause as `wscheck explain` prints rules.
func (c Cause) Explain() string {
	r := report.Rule{Name: c.Name, Half: "probe", Severity: c.Severity, Title: c.Title, Why: c.Why, Fix: c.Fix}
	s := r.Explain()
	if len(c.See) > 0 {
		s += fmt.Sprintf("\nStatic rules that produce it (wscheck explain RULE): %s\n", strings.Join(c.See, ", "))
	}
	return s
}

// Cause names.
const (
	CauseOK                  = "ok"
	CauseUpgradeNotForwarded = "upgrade-not-forwarded"
	CauseOriginRejected      = "origin-rejected"
	CauseHTTPVersion         = "http-version"
	CauseNotUpgraded         = "not-upgraded"
	CauseRedirected          = "redirected"
	CauseAuthRequired        = "auth-required"
	CauseForbidden           = "forbidden"
	CauseNotFound            = "not-found"
	CauseProxyError          = "proxy-error"
	CauseBadAccept           = "bad-accept"
	CauseFramesNotRelayed    = "frames-not-relayed"
	CauseNoAnswer            = "no-answer"
	CauseConnectFailed       = "connect-failed"
	CauseTLSFailed           = "tls-failed"
	CauseBadResponse         = "bad-response"
	CauseIdleTimeout         = "idle-timeout"
	CauseUnknown             = "unknown"
)

var causes = []Cause{
	{Name: CauseOK, Severity: report.Info, Title: "the chain upgraded the handshake and relayed a ping and its pong",
		Why: `The answer was 101 Switching Protocols with the Sec-WebSocket-Accept that RFC 6455 section 4.2.2
computes from the key sent, and a ping sent after it came back as a pong: every hop
forwarded the upgrade and relays frames both ways.`},
	{Name: CauseUpgradeNotForwarded, Severity: report.Error,
		Title: "a WebSocket server answered, but the request reached it without a usable Upgrade/Connection pair",
		Why: `Upgrade and Connection are hop-by-hop headers: a proxy drops them unless told to send them
(nginx: proxy_set_header Upgrade/Connection). The backend then sees a plain GET and refuses:
gorilla/websocket 400 "Bad Request" with a Sec-Websocket-Version header (Upgrader.Upgrade),
coder/websocket 426 "WebSocket protocol violation: Connection header ... does not contain
Upgrade" (verifyClientRequest), Node ws 400 "Invalid Upgrade header" (handleUpgrade) or 426
"Upgrade Required" from its own HTTP server, Python websockets 426 "Failed to open a WebSocket
connection: invalid Connection header" (ServerProtocol.accept). The probe names this cause when
such a signature answers, or when the same request without Upgrade and Connection gets the very
same answer: the upgrade headers never arrived.`,
		Fix: `Forward both headers in the proxy's WebSocket location: proxy_http_version 1.1;
proxy_set_header Upgrade $http_upgrade; proxy_set_header Connection $connection_upgrade (with the
map on $http_upgrade). Check that a nested location or an include does not replace the list.`,
		See: []string{"missing-upgrade-header", "missing-connection-header", "dropped-inherited-headers", "broken-upgrade-map"}},
	{Name: CauseOriginRejected, Severity: report.Error,
		Title: "the backend refuses the browser's Origin: 403 with it, 101 without it or with the host the backend sees",
		Why: `Servers that check Origin (gorilla's default CheckOrigin, coder/websocket's authenticateOrigin,
code-server, n8n) compare its host[:port] with the Host or X-Forwarded-Host they receive. A proxy
that sends its upstream's name ($proxy_host) or $host without the port the browser used makes a
correct Origin look foreign, and the answer is 403. The probe repeats the handshake without
Origin and with an Origin of the host without its port: a 101 to either shows the Origin check is
what refuses.`,
		Fix: `Send the host the browser used: proxy_set_header Host $http_host (or, from nginx 1.29.3,
$host$is_request_port$request_port), and keep X-Forwarded-Host consistent with it; or list the
real origin in the backend's allowed origins.`,
		See: []string{"host-drops-port", "host-not-forwarded", "forwarded-host-port"}},
	{Name: CauseHTTPVersion, Severity: report.Error, Title: "the backend refused the handshake because it arrived as HTTP/1.0",
		Why: `RFC 6455 section 4.1 requires HTTP/1.1. nginx before 1.29.7 proxies with HTTP/1.0 unless
proxy_http_version 1.1 is set; coder/websocket answers 426 "handshake request must be at least
HTTP/1.1" (verifyClientRequest), and Python websockets refuses it too. Lenient backends (gorilla,
Node ws) accept it, so the same config works or fails depending on the backend.`,
		Fix: `Set proxy_http_version 1.1 in the WebSocket location (or a level it inherits from).`,
		See: []string{"missing-http-version"}},
	{Name: CauseNotUpgraded, Severity: report.Error, Title: "a 2xx page answered the handshake: the path is served, not proxied as WebSocket",
		Why: `A server that does not know the request is a WebSocket handshake answers it as a plain GET:
a static file, an SPA's index.html, or an application route. Browsers fail the handshake on any
status other than 101.`,
		Fix: `Route the path to the WebSocket backend (a location for it in front of the catch-all, or
the right path in the client's URL).`},
	{Name: CauseRedirected, Severity: report.Error, Title: "the handshake got a redirect, which browsers never follow for a WebSocket",
		Why: `The WHATWG WebSocket standard fails the connection on any status other than 101: a 301/302/307/308
(http-to-https, a trailing slash, a login page) ends the handshake. The probe reports the Location
and does not follow it.`,
		Fix: `Point the client at the final URL (wss:// when the site redirects to https), or exempt the
WebSocket path from the redirect.`},
	{Name: CauseAuthRequired, Severity: report.Error, Title: "the handshake needs credentials (401 or 407)",
		Why: `Browsers cannot add an Authorization header to a WebSocket handshake; they send cookies only. A
401 from basic auth in front of the path, or 407 from a forward proxy, ends the handshake.`,
		Fix: `Authenticate with a cookie or a token in the URL or first message, or exempt the path from
basic auth; pass -H 'Authorization: ...' or -H 'Cookie: ...' to probe as a logged-in client.`},
	{Name: CauseForbidden, Severity: report.Error, Title: "403, and the handshake without Origin is refused too",
		Why: `The refusal does not depend on the Origin: an allow/deny list, a WAF, or an application check
refuses the request itself.`,
		Fix: `Find the hop in the answered-by line and the excerpt; allow the client there.`},
	{Name: CauseNotFound, Severity: report.Error, Title: "404: nothing serves this path",
		Why: `No location or route matches the path as it arrives: a missing location, a proxy_pass with a
URI part that rewrites the path, or a backend mounted elsewhere.`,
		Fix: `Compare the path the backend serves with the one the proxy sends (proxy_pass with or
without a trailing URI).`},
	{Name: CauseProxyError, Severity: report.Error, Title: "a proxy could not reach its upstream (502, 503 or 504)",
		Why: `The proxy answered for a backend that refused the connection, was down, or did not answer in
time (nginx: "connect() failed" or "upstream timed out" in its error log).`,
		Fix: `Check that the backend runs and listens where proxy_pass points, and the proxy's error log.`},
	{Name: CauseBadAccept, Severity: report.Error, Title: "101 without the Sec-WebSocket-Accept the key requires",
		Why: `RFC 6455 section 4.2.2: the accept value is base64(SHA-1(key + GUID)). A missing or wrong value
means a hop answered 101 itself or replayed a cached answer; browsers fail the connection.`,
		Fix: `Find the hop that answers 101 (answered-by); it must pass the backend's answer through.`},
	{Name: CauseFramesNotRelayed, Severity: report.Error, Title: "101 came back, but a ping got no pong",
		Why: `RFC 6455 section 5.5.2 requires a pong to every ping. A chain that answers 101 but buffers or
drops the tunnel (a proxy that does not support upgrades, response buffering, an inspecting
middlebox) relays no frames, and the application hangs after connecting.`,
		Fix: `Find the hop that does not tunnel after the upgrade; for a load balancer or CDN, enable its
WebSocket support.`},
	{Name: CauseNoAnswer, Severity: report.Error, Title: "the connection opened but no answer came before the timeout, or it closed without one",
		Why: `Something accepted the TCP connection and then said nothing: a firewall that blackholes, a
server expecting TLS (try wss://), or one that closed the connection on the request.`,
		Fix: `Check the scheme and port, then the hop that accepted the connection.`},
	{Name: CauseConnectFailed, Severity: report.Error, Title: "the TCP connection could not be opened",
		Why: `The name did not resolve, the port refused, or the connect timed out.`,
		Fix: `Check the host, port, --resolve and any proxy (HTTPS_PROXY, --no-proxy).`},
	{Name: CauseTLSFailed, Severity: report.Error, Title: "the TLS handshake failed",
		Why: `The certificate did not verify against the system roots (or --cacert), did not name the host,
or the server does not speak TLS on this port.`,
		Fix: `Fix the certificate chain or name; pass --cacert for a private CA (--insecure only to look).`},
	{Name: CauseBadResponse, Severity: report.Error, Title: "the answer is not valid HTTP or exceeds the probe's limits",
		Why: `The status line or a header is malformed, the headers exceed 16 KiB or 100 lines, or a frame
after the upgrade is malformed or oversized, or the 101 names a subprotocol that was not asked
for (RFC 6455 section 4.1) or none when --subprotocol asked for one (Chrome fails it: "Sent
non-empty 'Sec-WebSocket-Protocol' header but no response was received"). A browser fails
such a connection too.`,
		Fix: `Find the hop that answers (the excerpt shows what came back).`},
	{Name: CauseIdleTimeout, Severity: report.Warning, Title: "the tunnel closed during the --idle period of silence",
		Why: `Proxies close a tunnel that is silent longer than their read timeout: nginx proxy_read_timeout
(default 60 s), HAProxy timeout tunnel (or timeout client/server without it), cloud load
balancers' idle timeouts (AWS ALB 60 s by default). Applications without their own pings see
their connections drop after that time.`,
		Fix: `Raise the proxy's timeout for the WebSocket location (nginx: proxy_read_timeout 1h), or
have the application ping more often than the shortest timeout in the chain.`,
		See: []string{"short-read-timeout", "haproxy-tunnel-timeout"}},
	{Name: CauseUnknown, Severity: report.Error, Title: "an answer the probe cannot attribute to a known cause",
		Why: `The status and excerpt are shown as received; no signature of a known proxy or library explains
them.`,
		Fix: `Read the status, answered-by and excerpt; run the static checks on the proxy config.`},
}

// Causes lists every cause in order.
func Causes() []Cause { return slices.Clone(causes) }

// LookupCause finds a cause by name.
func LookupCause(name string) (Cause, bool) {
	i := slices.IndexFunc(causes, func(c Cause) bool { return c.Name == name })
	if i < 0 {
		return Cause{}, false
	}
	return causes[i], true
}

func mustCause(name string) Cause {
	c, ok := LookupCause(name)
	if !ok {
		panic("probe: no cause " + name) // a programming error: every name is a constant above
	}
	return c
}
