FROM alpine:3.20
RUN --network=none --security=insecure apk add --no-cache curl
RUN --device=/dev/fuse echo device
COPY --parents --exclude=*.md docs/ /docs/
COPY --bogus=1 a /a
FROM --bogus alpine:3.20
RUN --mount=type=unknown,target=/x echo x
USER 1000
