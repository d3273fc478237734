package main

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"

	"github.com/wscheck/wscheck/probe"
	"github.com/wscheck/wscheck/report"
)

// probeCommand is `wscheck probe`; commands() lists it.
func probeCommand() command {
	return command{
		name: "probe", usage: "wscheck probe [flags] URL...",
		summary: "send a real WebSocket handshake through a deployed chain and name what breaks",
		about: "Send an RFC 6455 handshake with a fresh key, check 101 and Sec-WebSocket-Accept, then a ping\n" +
			"and its pong. When the handshake fails, a few bounded variants (without Origin, without\n" +
			"Upgrade) and the answer's signature (nginx, gorilla, coder, Node ws, Python websockets,\n" +
			"Socket.IO) name one cause per URL, with the static rules that produce it.\n" +
			"`wscheck explain CAUSE` documents each cause. Redirects are reported, never followed.",
		args: []argDoc{{"URL", "ws://, wss://, or http(s):// taken as its ws form"}},
		examples: []string{
			"wscheck probe wss://app.example.com/ws",
			"wscheck probe --idle 70s wss://app.example.com/ws",
			"wscheck probe --resolve app.example.com:443:10.0.0.5 --cacert ca.pem wss://app.example.com/ws",
			"wscheck probe --format json -H 'Cookie: session=...' 'https://app.example.com/socket.io/?EIO=4&transport=websocket'",
		},
		run: runProbe,
	}
}

func runProbe(args []string, e *env) int {
	fs := newFlagSet("probe")
	origin := fs.String("origin", "", "Origin to send (default: the http(s):// form of the URL's host; '' sends none)")
	headers := fs.StringArrayP("header", "H", nil, "extra request header 'Name: value' (repeatable; Host replaces the URL's)")
	subprotocol := fs.String("subprotocol", "", "Sec-WebSocket-Protocol to ask for")
	timeout := fs.Duration("timeout", probe.DefaultTimeout, "one bound for connect, TLS, handshake and pong, per URL")
	idle := fs.Duration("idle", 0, "after the pong, stay silent this long and report how the tunnel was closed")
	resolve := fs.StringArray("resolve", nil, "HOST:PORT:ADDR: connect to ADDR for HOST:PORT, as curl's --resolve (repeatable)")
	cacert := fs.String("cacert", "", "PEM file of CA certificates to verify wss:// servers with")
	insecure := fs.Bool("insecure", false, "do not verify the server's certificate")
	noProxy := fs.Bool("no-proxy", false, "ignore HTTPS_PROXY, HTTP_PROXY and ALL_PROXY")
	format := fs.String("format", "text", "output format: text or json")
	color := fs.String("color", "auto", "colour the text output: auto (on a terminal, unless NO_COLOR is set), always or never")
	if code, ok := parseFlags(fs, args, e); !ok {
		return code
	}
	bad := func(err error) int {
		fmt.Fprintf(e.stderr, "wscheck probe: %v\nRun 'wscheck probe --help' for usage.\n", err)
		return report.ExitBroken
	}
	if fs.NArg() == 0 {
		return bad(errors.New("want at least one URL"))
	}
	if *format != "text" && *format != "json" {
		return bad(fmt.Errorf("--format: unknown format %q (want text or json)", *format))
	}
	if *color != "auto" && *color != "always" && *color != "never" {
		return bad(fmt.Errorf("--color: unknown mode %q (want auto, always or never)", *color))
	}
	if strings.ContainsAny(*origin+*subprotocol, "\r\n") {
		return bad(errors.New("--origin and --subprotocol cannot hold a line break"))
	}
	if *timeout <= 0 || *idle < 0 {
		return bad(errors.New("--timeout must be positive and --idle not negative"))
	}
	o := probe.Options{Subprotocol: *subprotocol, Timeout: *timeout, Idle: *idle, Insecure: *insecure,
		Header: http.Header{}, Resolve: map[string]string{}}
	for _, h := range *headers {
		name, value, ok := strings.Cut(h, ":")
		name = strings.TrimSpace(name)
		if !ok || name == "" || strings.ContainsAny(name, " \t\r\n") || strings.ContainsAny(value, "\r\n") {
			return bad(fmt.Errorf("--header %q: want 'Name: value'", h))
		}
		o.Header.Add(name, strings.TrimSpace(value))
	}
	for _, r := range *resolve {
		hp, addr, err := parseResolve(r)
		if err != nil {
			return bad(err)
		}
		o.Resolve[hp] = addr
	}
	if *cacert != "" {
		pem, err := os.ReadFile(*cacert)
		if err != nil {
			return bad(fmt.Errorf("--cacert: %w", err))
		}
		o.RootCAs = x509.NewCertPool()
		if !o.RootCAs.AppendCertsFromPEM(pem) {
			return bad(fmt.Errorf("--cacert %s: no PEM certificate in it", *cacert))
		}
	}
	if !*noProxy {
		o.Proxy = probe.ProxyFromEnv(e.env)
	}
	var urls []*url.URL
	for _, raw := range fs.Args() {
		u, err := probe.ParseURL(raw)
		if err != nil {
			return bad(err)
		}
		urls = append(urls, u)
	}
	originSet := fs.Changed("origin")
	var results []probe.Result
	for _, u := range urls {
		uo := o
		uo.Origin = *origin
		if !originSet {
			uo.Origin = probe.DefaultOrigin(u)
		}
		results = append(results, probe.Run(context.Background(), u, uo))
	}
	var err error
	if *format == "json" {
		err = probe.WriteJSON(e.stdout, results)
	} else {
		err = probe.WriteText(e.stdout, results, colorFor(*color, e.env, isTerminal(e.stdout)))
	}
	if err != nil {
		fmt.Fprintf(e.stderr, "wscheck probe: writing: %v\n", err)
		return report.ExitBroken
	}
	for _, r := range results {
		if !r.OK() {
			return report.ExitFindings
		}
	}
	return report.ExitClean
}

// parseResolve reads HOST:PORT:ADDR (ADDR may be a bracketed IPv6).
func parseResolve(s string) (hostPort, addr string, err error) {
	parts := strings.SplitN(s, ":", 3)
	if len(parts) != 3 || parts[0] == "" || parts[2] == "" {
		return "", "", fmt.Errorf("--resolve %q: want HOST:PORT:ADDR", s)
	}
	if _, err := net.LookupPort("tcp", parts[1]); err != nil {
		return "", "", fmt.Errorf("--resolve %q: bad port %q", s, parts[1])
	}
	a := strings.TrimSuffix(strings.TrimPrefix(parts[2], "["), "]")
	if net.ParseIP(a) == nil {
		return "", "", fmt.Errorf("--resolve %q: %q is not an IP address", s, parts[2])
	}
	return net.JoinHostPort(parts[0], parts[1]), a, nil
}

// probeCause is the explain entry of a probe cause, for `wscheck explain`.
func probeCause(name string) (string, bool) {
	c, ok := probe.LookupCause(name)
	if !ok {
		return "", false
	}
	return c.Explain(), true
}
