package k8scheck

import "strings"

// The annotation names each nginx controller reads. An annotation under
// one of these prefixes that is not listed is read by no controller.
//
// ingress-nginx: every name in docs/user-guide/nginx-configuration/annotations.md
// over the file's history (removed names included: older controllers still
// read them) and the annotation constants of internal/ingress/annotations/*,
// read from kubernetes/ingress-nginx at dbb11b92 (2026-03).
var ingressNginxNames = fields(`
	add-base-url affinity affinity-canary-behavior affinity-mode allowlist-source-range app-root
	auth-always-set-cookie auth-cache-duration auth-cache-key auth-keepalive
	auth-keepalive-requests auth-keepalive-share-vars auth-keepalive-timeout auth-method
	auth-proxy-set-headers auth-realm auth-request-redirect auth-response-headers auth-secret
	auth-secret-type auth-signin auth-signin-redirect-param auth-snippet auth-tls-error-page
	auth-tls-match-cn auth-tls-pass-certificate-to-upstream auth-tls-secret auth-tls-verify-client
	auth-tls-verify-depth auth-type auth-url backend-protocol base-url-scheme canary
	canary-by-cookie canary-by-header canary-by-header-pattern canary-by-header-value canary-weight
	canary-weight-total client-body-buffer-size configuration-snippet connection-proxy-header
	cors-allow-credentials cors-allow-headers cors-allow-methods cors-allow-origin
	cors-expose-headers cors-max-age custom-headers custom-http-errors default-backend
	denylist-source-range disable-proxy-intercept-errors enable-access-log enable-cors
	enable-global-auth enable-influxdb enable-modsecurity enable-opentelemetry enable-opentracing
	enable-owasp-core-rules enable-rewrite-log fastcgi-index fastcgi-params-configmap
	force-ssl-redirect from-to-www-redirect global-rate-limit global-rate-limit-ignored-cidrs
	global-rate-limit-key global-rate-limit-window grpc-backend http2-push-preload influxdb-host
	influxdb-measurement influxdb-port influxdb-server-name limit-allowlist limit-burst-multiplier
	limit-connections limit-rate limit-rate-after limit-rpm limit-rps limit-whitelist load-balance
	lua-resty-waf lua-resty-waf-allow-unknown-content lua-resty-waf-allow-unknown-content-types
	lua-resty-waf-debug lua-resty-waf-disable-multipart-body lua-resty-waf-extra-rules
	lua-resty-waf-ignore-rulesets lua-resty-waf-process-multipart-body lua-resty-waf-score
	lua-resty-waf-score-threshold mirror-host mirror-request-body mirror-target mirror-uri
	modsecurity-snippet modsecurity-transaction-id opentelemetry-operation-name
	opentelemetry-trust-incoming-span opentelemetry-trust-incoming-spans
	opentracing-trust-incoming-span permanent-redirect permanent-redirect-code
	preserve-trailing-slash proxy-body-size proxy-buffer-number proxy-buffer-size proxy-buffering
	proxy-buffers-number proxy-busy-buffers-size proxy-connect-timeout proxy-cookie-domain
	proxy-cookie-path proxy-http-version proxy-max-temp-file-size proxy-next-upstream
	proxy-next-upstream-timeout proxy-next-upstream-tries proxy-read-timeout proxy-redirect-from
	proxy-redirect-to proxy-request-buffering proxy-send-timeout proxy-ssl-ciphers proxy-ssl-name
	proxy-ssl-protocols proxy-ssl-secret proxy-ssl-server-name proxy-ssl-session-reuse
	proxy-ssl-verify proxy-ssl-verify-depth relative-redirects rewrite-log rewrite-target satisfy
	secure-backends secure-verify-ca-secret server-alias server-snippet service-upstream
	session-cookie-change-on-failure session-cookie-conditional-samesite-none session-cookie-domain
	session-cookie-expires session-cookie-hash session-cookie-max-age session-cookie-name
	session-cookie-path session-cookie-samesite session-cookie-secure ssl-ciphers ssl-passthrough
	ssl-prefer-server-ciphers ssl-redirect stream-snippet temporal-redirect temporal-redirect-code
	upstream-fail-timeout upstream-hash-by upstream-hash-by-subset upstream-hash-by-subset-size
	upstream-max-fails upstream-vhost use-port-in-redirects use-regex whitelist-source-range
	x-forwarded-prefix
`)

// NGINX Inc's controller (nginx/kubernetes-ingress): every nginx.org/ and
// nginx.com/ key of internal/configs/annotations.go and internal/k8s/validation.go
// over their history, read at 0eb3072d (2026-08).
var nginxOrgNames = fields(`
	add-header add-header-inherit app-root basic-auth-realm basic-auth-secret
	client-body-buffer-size client-max-body-size custom-http-errors fail-timeout grpc-services hsts
	hsts-behind-proxy hsts-include-subdomains hsts-max-age http-redirect-code keepalive lb-method
	limit-req-burst limit-req-delay limit-req-dry-run limit-req-key limit-req-log-level
	limit-req-no-delay limit-req-rate limit-req-reject-code limit-req-scale limit-req-zone-size
	listen-ports listen-ports-ssl location-snippets max-conns max-fails mergeable-ingress-type
	path-regex policies proxy-buffer-size proxy-buffering proxy-buffers proxy-busy-buffers-size
	proxy-connect-timeout proxy-hide-headers proxy-max-temp-file-size proxy-next-upstream
	proxy-next-upstream-timeout proxy-next-upstream-tries proxy-pass-headers proxy-read-timeout
	proxy-redirect-from proxy-redirect-to proxy-send-timeout proxy-set-headers redirect-to-https
	rewrite-target rewrites server-snippets server-tokens ssl-ciphers ssl-prefer-server-ciphers
	ssl-redirect ssl-services sticky-cookie-services upstream-zone-size use-cluster-ip
	websocket-services
`)

var nginxComNames = fields(`
	health-checks health-checks-mandatory health-checks-mandatory-queue jwt-key jwt-login-url
	jwt-realm jwt-token policies slow-start sticky-cookie-services
`)

func fields(s string) map[string]bool {
	m := map[string]bool{}
	for _, f := range strings.Fields(s) {
		m[f] = true
	}
	return m
}
