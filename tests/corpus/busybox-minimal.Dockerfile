FROM busybox:1.36.1-musl
COPY --chmod=0555 entry.sh /bin/entry.sh
USER 1000:1000
HEALTHCHECK CMD ["/bin/sh", "-c", "test -f /tmp/ready"]
ENTRYPOINT ["/bin/entry.sh"]
