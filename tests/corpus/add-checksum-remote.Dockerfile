# syntax=docker/dockerfile:1.6
FROM alpine:3.20

ADD --checksum=sha256:24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d \
    https://github.com/example/tool/releases/download/v1.4.2/tool-linux-amd64 /usr/local/bin/tool
ADD --keep-git-dir=false https://github.com/example/config.git#v2.0.1 /etc/config
ADD https://github.com/example/tool/releases/download/v1.4.2/tool.sig /tmp/tool.sig
RUN chmod 0755 /usr/local/bin/tool
USER 65534
HEALTHCHECK NONE
ENTRYPOINT ["/usr/local/bin/tool"]
