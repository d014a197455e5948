FROM alpine:3.18

RUN apk add --no-cache curl bash
RUN curl -fsSL https://get.example-installer.sh | sh
RUN wget -qO- https://raw.example.com/tool/install.sh | bash -s -- --prefix /usr/local
RUN curl -sSL https://example.com/setup.tar.gz | tar -xz -C /opt

ENTRYPOINT ["/usr/local/bin/tool"]
