from alpine:3.20.3 as base
run apk add --no-cache tini=0.19.0-r3
user 65534

from base
workdir /srv
copy --chown=65534:65534 app /srv/app
healthcheck none
entrypoint ["/sbin/tini", "--", "/srv/app"]
