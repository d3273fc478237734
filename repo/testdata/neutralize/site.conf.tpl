# Terraform templatefile()
server {
    listen 80;
%{ for path in ws_paths ~}
    location ${path} {
        proxy_pass http://${upstream};
        proxy_set_header X-Literal $${not_interpolated};
    }
%{ endfor ~}
}
