FROM debian:12.6-slim

RUN echo "deb http://mirror.example.org/debian bookworm-backports main" > /etc/apt/sources.list.d/backports.list \
    && apt-get update \
    && apt-get install -y --no-install-recommends -t bookworm-backports \
        golang-1.22-go=1.22.3-1~bpo12+1 \
    && rm -rf /var/lib/apt/lists/*

ENV PATH=/usr/lib/go-1.22/bin:$PATH
USER 1000:1000
HEALTHCHECK NONE
CMD ["go", "version"]
