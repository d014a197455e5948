# A small API service on Alpine, packages pinned and no cache left behind.
FROM alpine:3.20.3

RUN apk add --no-cache \
        ca-certificates=20240705-r0 \
        tini=0.19.0-r3 \
    && addgroup -S -g 10001 svc \
    && adduser -S -D -H -u 10001 -G svc svc

WORKDIR /srv/api
COPY --chown=10001:10001 bin/api /srv/api/api

USER 10001:10001
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=3s CMD ["/srv/api/api", "healthcheck"]
ENTRYPOINT ["/sbin/tini", "--"]
CMD ["/srv/api/api", "serve"]
