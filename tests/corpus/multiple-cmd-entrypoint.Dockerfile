FROM alpine:3.20

ENTRYPOINT ["/bin/sh", "-c"]
CMD ["echo first"]
RUN apk add --no-cache curl=8.9.0-r0
ENTRYPOINT ["/usr/bin/curl"]
CMD ["--help"]
CMD ["--version"]
USER 1000
