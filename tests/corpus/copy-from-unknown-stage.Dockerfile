FROM golang:1.22.5 AS builder
WORKDIR /src
COPY . .
RUN go build -o /out/app ./...
COPY --from=builder /out/app /tmp/app

FROM alpine:3.20
COPY --from=bulder /out/app /usr/local/bin/app
COPY --from=3 /etc/passwd /etc/passwd
COPY --from=0 /out/app /usr/local/bin/app2
COPY --from=busybox:1.36.1 /bin/busybox /bin/busybox
COPY --from=builder / /
USER 1000
ENTRYPOINT ["/usr/local/bin/app"]
