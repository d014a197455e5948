FROM alpine:3.20 AS plain
ENTRYPOINT exec /usr/local/bin/server --port 8080
CMD --verbose

FROM alpine:3.20 AS with-shell
SHELL ["/bin/ash", "-eo", "pipefail", "-c"]
CMD /usr/local/bin/server --port 8080

FROM alpine:3.20
CMD ["/usr/local/bin/server", "--port", "8080"]
ENTRYPOINT ['/bin/sh', '-c']
USER 1000
