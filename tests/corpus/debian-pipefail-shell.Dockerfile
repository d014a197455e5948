FROM debian:12.6-slim

SHELL ["/bin/bash", "-o", "pipefail", "-c"]

RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates=20230311 gnupg=2.2.40-1.1 wget=1.21.3-1+b2 \
    && wget -q -O - https://packages.example.com/key.asc | gpg --dearmor > /usr/share/keyrings/example.gpg \
    && rm -rf /var/lib/apt/lists/*

USER 10001
HEALTHCHECK NONE
CMD ["bash"]
