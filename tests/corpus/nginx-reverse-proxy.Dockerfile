FROM nginx:1.27.0-alpine3.19-slim
RUN rm /etc/nginx/conf.d/default.conf \
    && chown -R nginx:nginx /var/cache/nginx /etc/nginx/conf.d \
    && touch /var/run/nginx.pid \
    && chown nginx:nginx /var/run/nginx.pid
COPY --chown=nginx:nginx proxy.conf /etc/nginx/conf.d/proxy.conf
USER nginx
EXPOSE 8443
STOPSIGNAL SIGQUIT
HEALTHCHECK --interval=30s CMD ["wget", "-q", "--spider", "--no-check-certificate", "https://127.0.0.1:8443/healthz"]
CMD ["nginx", "-g", "daemon off;"]
