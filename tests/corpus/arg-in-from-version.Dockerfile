ARG ALPINE_VERSION=3.20.3
ARG REGISTRY=docker.io/library

FROM ${REGISTRY}/alpine:${ALPINE_VERSION}
ARG ALPINE_VERSION
LABEL org.opencontainers.image.base.name="alpine:${ALPINE_VERSION}"
RUN apk add --no-cache ca-certificates=20240705-r0
USER 65534
HEALTHCHECK NONE
CMD ["sh", "-c", "cat /etc/alpine-release"]
