FROM alpine:3.20

LABEL org.opencontainers.image.title="inventory" \
      org.opencontainers.image.source="https://github.com/example/inventory" \
      org.opencontainers.image.licenses="Apache-2.0" \
      org.opencontainers.image.created="2024-07-12T10:00:00Z" \
      org.opencontainers.image.revision="3f2a1b9"
LABEL Version="1.0" \
      com.docker.extension.api="0.3.4" \
      my..label=broken \
      -leading-dash=bad \
      trailing-=bad
LABEL "quoted key"="value with spaces"
USER 1000
CMD ["true"]
