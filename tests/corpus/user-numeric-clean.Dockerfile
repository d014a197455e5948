FROM gcr.io/distroless/cc-debian12:nonroot
COPY --chown=65532:65532 target/release/daemon /usr/local/bin/daemon
USER 65532:65532
HEALTHCHECK NONE
ENTRYPOINT ["/usr/local/bin/daemon"]
