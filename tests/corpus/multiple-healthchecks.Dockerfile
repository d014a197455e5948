FROM nginx:1.27.0

HEALTHCHECK CMD curl -f http://localhost/ || exit 1
COPY site/ /usr/share/nginx/html/
HEALTHCHECK --interval=5s --timeout=2s CMD ["curl", "-f", "http://localhost/health"]
USER nginx
