# syntax=docker/dockerfile:1
FROM alpine:3.20

ARG GREETING=hello
COPY <<"EOF" /usr/local/bin/greet
#!/bin/sh
echo "${GREETING:-hi} from $HOSTNAME"
EOF

COPY --chmod=0755 <<'EOF' /usr/local/bin/entry
#!/bin/sh
exec /usr/local/bin/greet "$@"
EOF

RUN <<'EOF' sh
set -e
chmod 0755 /usr/local/bin/greet
apk add --no-cache tini
EOF

USER nobody
HEALTHCHECK NONE
ENTRYPOINT ["/usr/local/bin/entry"]
