{{/* tempio: Home Assistant add-on ingress */}}
server {
    listen {{ .ingress_port }} default_server;
    allow  {{ .supervisor_ip }};
    deny   all;
    {{- if .websocket }}
    location /api/websocket {
        proxy_pass http://127.0.0.1:{{ .port }};
        proxy_set_header Upgrade $http_upgrade;
    }
    {{- end }}
    {{ $name := .name }}
    location / {
        proxy_pass http://backend{{ if .tls }}s{{ end }};
        {{ range .headers -}}
        proxy_set_header {{ .name }} "{{ .value }}";
        {{ end -}}
    }
}
