# syntax=docker/dockerfile:1
FROM alpine:3.20

RUN <<-EOF
	set -eu
	apk add --no-cache bash=5.2.26-r0
	mkdir -p /opt/scripts
	EOF

COPY <<-EOF /opt/scripts/hello.sh
	#!/bin/bash
	echo "hello from $(hostname)"
	EOF

RUN <<-SCRIPT bash
	set -euo pipefail
	chmod 0755 /opt/scripts/hello.sh
	cd /opt/scripts && ./hello.sh | tee /tmp/hello.log
	SCRIPT

USER 1000
HEALTHCHECK NONE
CMD ["/opt/scripts/hello.sh"]
