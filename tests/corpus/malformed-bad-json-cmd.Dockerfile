FROM alpine:3.20
CMD ["echo", "unterminated]
ENTRYPOINT ["/bin/sh" "-c"]
HEALTHCHECK CMD ["true",]
SHELL /bin/bash -c
USER 1000
