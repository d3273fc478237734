package haproxycheck

import (
	"slices"
	"strings"

	"github.com/wscheck/wscheck/report"
)

var backendH2 = &rule{
	doc: report.Rule{
		Name:     "haproxy-backend-h2",
		Severity: report.Warning,
		Title:    "a server that receives WebSocket upgrades can only be spoken to in HTTP/2 (proto h2, alpn without http/1.1, ws h2)",
		Why: `HAProxy relays a WebSocket to a server in the protocol of the server connection (manual,
server keyword "ws": "auto ... will reuse the same protocol as the main one"). With "proto
h2" (the multiplexer forced for every connection to the server), an "alpn" list that
offers h2 without http/1.1 on an ssl server, or "ws h2", the WebSocket goes out as an
HTTP/2 extended CONNECT (RFC 8441): "the server must support RFC8441 or an error will be
reported by haproxy when relaying websockets". gorilla/websocket, coder/websocket and most
application servers do not implement it. Measured with Debian's HAProxy 2.6 in front of
gorilla/websocket served by Go's HTTP/2 stack (TLS offering h2 and http/1.1, or h2c): "alpn
h2" with ssl, "proto h2" and "ws h2" each answer the browser's handshake with 502, and the
backend receives no request at all.

It works only when the backend implements WebSocket over HTTP/2, as some servers do on
purpose, hence a warning that can be suppressed on the line. Not a finding: "alpn
h2,http/1.1" with the default "ws auto" (HAProxy 2.5 and later offer only http/1.1 for
WebSocket streams when the list contains it), "ws h1" next to "proto h2" or "alpn h2"
(forces HTTP/1.1 for WebSocket streams), and "alpn h2" on a server without ssl (ALPN is a
TLS extension): each measured 101, the backend receiving an HTTP/1.1 GET.`,
		Fix: `Add "ws h1" to the server (or default-server) line, so WebSocket streams use HTTP/1.1
while other requests keep HTTP/2; or offer "alpn h2,http/1.1"; or drop "proto h2". Keep
HTTP/2 only for a backend that implements RFC 8441, with a suppression saying so.`,
	},
	onBackend: func(p *pass, b wsBackend) {
		reason := "judged to carry WebSockets because " + b.why
		for _, d := range b.sec.Directives {
			if (d.Keyword() != "server" && d.Keyword() != "server-template") || d.Env {
				continue
			}
			o := serverOptions(b.proxy, d)
			name := d.Arg(0)
			switch ws := o["ws"]; {
			case ws.value == "h1":
				continue
			case ws.value == "h2":
				p.report(ws.d, 0, 0, reason,
					"server %s forces WebSockets onto HTTP/2 (ws h2): a backend without RFC 8441 support fails the handshake (HAProxy answers 502); use \"ws h1\" unless %s implements WebSocket over HTTP/2", name, name)
			case o["proto"].value == "h2":
				p.report(o["proto"].d, 0, 0, reason,
					"server %s speaks only HTTP/2 (proto h2): WebSocket upgrades reach it as HTTP/2 extended CONNECT, which gorilla, coder and most servers do not implement (HAProxy answers 502); add \"ws h1\" unless %s implements RFC 8441", name, name)
			case o["ssl"].value == "on" && o["alpn"].d != nil:
				protos := strings.Split(o["alpn"].value, ",")
				if slices.Contains(protos, "h2") && !slices.Contains(protos, "http/1.1") {
					p.report(o["alpn"].d, 0, 0, reason,
						"server %s offers only HTTP/2 (alpn %s): WebSockets go out as HTTP/2 extended CONNECT, which gorilla, coder and most servers do not implement (HAProxy answers 502); offer \"alpn h2,http/1.1\" or add \"ws h1\" unless %s implements RFC 8441", name, o["alpn"].value, name)
				}
			}
		}
	},
}

type option struct {
	value string
	d     *Directive // where it is written
}

// serverOptions are the options in effect on a server line: those of
// the default-server lines of its defaults chain (outermost first), those
// of its own section above it, then its own.
func serverOptions(b *proxy, srv *Directive) map[string]option {
	o := map[string]option{}
	var chain []*proxy
	for q := b.defaults; q != nil; q = q.defaults {
		chain = append(chain, q)
	}
	for _, q := range slices.Backward(chain) {
		for _, d := range q.sec.Directives {
			if d.Keyword() == "default-server" {
				readOptions(o, d, 1)
			}
		}
	}
	for _, d := range b.sec.Directives {
		if d == srv {
			break
		}
		if d.Keyword() == "default-server" {
			readOptions(o, d, 1)
		}
	}
	first := 3 // server NAME ADDR ...
	if srv.Keyword() == "server-template" {
		first = 4 // server-template PREFIX NUM FQDN ...
	}
	readOptions(o, srv, first)
	return o
}

func readOptions(o map[string]option, d *Directive, first int) {
	for i := first; i < len(d.Words); i++ {
		switch w := d.Words[i]; w {
		case "proto", "alpn", "ws":
			if i+1 < len(d.Words) {
				o[w] = option{d.Words[i+1], d}
				i++
			}
		case "ssl":
			o["ssl"] = option{"on", d}
		case "no-ssl":
			o["ssl"] = option{"off", d}
		}
	}
}
