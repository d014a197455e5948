# syntax=docker/dockerfile:1.7
FROM alpine:3.20 AS tools

RUN --mount=type=cache,target=/var/cache/apk \
    apk add jq=1.7.1-r0 yq=4.44.1-r2 git=2.45.2-r0

FROM alpine:3.20
COPY --from=tools /usr/bin/jq /usr/bin/yq /usr/local/bin/
USER 65534
HEALTHCHECK NONE
ENTRYPOINT ["/usr/local/bin/jq"]
