# syntax=docker/dockerfile:1
FROM debian:12.6-slim

RUN <<EOF
set -eu
apt-get update
apt-get install -y --no-install-recommends \
    python3 \
    python3-venv
rm -rf /var/lib/apt/lists/*
EOF

RUN <<EOF
apt-get update
apt-get install nodejs npm
EOF

USER 1000
CMD ["python3"]
