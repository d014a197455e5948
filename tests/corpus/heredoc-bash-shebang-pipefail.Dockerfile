# syntax=docker/dockerfile:1
FROM ubuntu:24.04

SHELL ["/bin/bash", "-o", "pipefail", "-c"]

RUN <<EOF
apt-get update
apt-get install -y --no-install-recommends curl=8.5.0-2ubuntu10.1 ca-certificates=20240203
rm -rf /var/lib/apt/lists/*
EOF

RUN <<EOF
curl -fsSL https://keys.example.org/release.asc | gpg --dearmor > /usr/share/keyrings/release.gpg
cd /tmp
wget https://downloads.example.org/cli.tgz
EOF

USER ubuntu
HEALTHCHECK NONE
CMD ["bash"]
