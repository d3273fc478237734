server {
    listen {{ .interface }}:{{ .port }} default_server;
    allow  {{ .supervisor_ip }};
    deny   all;

    location / {
        proxy_pass http://backend;
        proxy_set_header Host $host;
        proxy_set_header Upgrade $http_upgrade;
        proxy_set_header Connection "upgrade";
        proxy_read_timeout {{ .timeout }};
{{- if .legacy }}
        proxy_http_version 1.0;
{{- end }}
    }

    location /api/websocket {
        proxy_pass http://backend;
        proxy_set_header Host $host;
        proxy_set_header Upgrade $http_upgrade;
        proxy_set_header Connection "upgrade";
        proxy_read_timeout 1h;
    }
}
