# syntax=docker/dockerfile:1
FROM amazonlinux:2023.5.20240708.0

RUN --mount=type=cache,target=/var/cache/dnf \
    dnf -y install tar-1.34-1.amzn2023.0.4 gzip-1.12-1.amzn2023.0.1

RUN --mount=type=cache,target=/var/cache/yum \
    yum -y install unzip

USER 1000
HEALTHCHECK NONE
CMD ["tar", "--version"]
