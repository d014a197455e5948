# syntax=docker/dockerfile:1.4
FROM nginx:1.27.0-alpine3.19

COPY <<EOF /etc/nginx/conf.d/default.conf
server {
    listen 8080;
    location / {
        root /usr/share/nginx/html;
        try_files \$uri /index.html;
    }
    location /health {
        return 200 'ok';
    }
}
EOF

COPY <<index.html <<robots.txt /usr/share/nginx/html/
<!doctype html><title>hello</title>
index.html
User-agent: *
Disallow: /
robots.txt

USER nginx
EXPOSE 8080
HEALTHCHECK CMD ["wget", "-q", "--spider", "http://127.0.0.1:8080/health"]
