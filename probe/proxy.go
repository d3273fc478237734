package probe

import (
	"fmt"
	"net"
	"net/url"
	"strings"
)

// ProxyFromEnv picks a proxy as curl does: HTTPS_PROXY (or https_proxy)
// for wss://, http_proxy (or HTTP_PROXY) for ws://, ALL_PROXY for either,
// none for a host NO_PROXY lists (a name matches itself and its
// subdomains, "*" matches all). Loopback hosts are never proxied: the
// probe of a local server must reach it.
func ProxyFromEnv(getenv func(string) string) func(*url.URL) (*url.URL, error) {
	first := func(keys ...string) string {
		for _, k := range keys {
			if v := getenv(k); v != "" {
				return v
			}
		}
		return ""
	}
	httpsProxy := first("HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy")
	httpProxy := first("http_proxy", "HTTP_PROXY", "ALL_PROXY", "all_proxy")
	noProxy := first("NO_PROXY", "no_proxy")
	return func(u *url.URL) (*url.URL, error) {
		raw := httpProxy
		if u.Scheme == "https" {
			raw = httpsProxy
		}
		host := strings.ToLower(u.Hostname())
		if raw == "" || isLoopback(host) || noProxyMatches(noProxy, host) {
			return nil, nil
		}
		if !strings.Contains(raw, "://") {
			raw = "http://" + raw // curl's default proxy scheme
		}
		pu, err := url.Parse(raw)
		if err != nil || pu.Host == "" {
			return nil, fmt.Errorf("proxy %q from the environment is not a URL", raw)
		}
		return pu, nil
	}
}

func isLoopback(host string) bool {
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func noProxyMatches(list, host string) bool {
	for _, entry := range strings.Split(list, ",") {
		entry = strings.ToLower(strings.TrimSpace(entry))
		if entry == "" {
			continue
		}
		if entry == "*" {
			return true
		}
		if h, _, err := net.SplitHostPort(entry); err == nil {
			entry = h
		}
		entry = strings.TrimPrefix(entry, ".")
		if host == entry || strings.HasSuffix(host, "."+entry) {
			return true
		}
	}
	return false
}
