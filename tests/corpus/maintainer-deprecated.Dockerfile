FROM alpine:3.20
MAINTAINER Jane Doe <jane@example.com>
LABEL org.opencontainers.image.authors="jane@example.com"
RUN apk add --no-cache curl=8.9.0-r0
USER 1000
CMD ["curl", "--version"]
