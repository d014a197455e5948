FROM --platform=linux/amd64 ubuntu:22.04 AS legacy-amd64
RUN echo "only runs on amd64"

FROM --platform=linux/arm64 alpine:3.20 AS builder
RUN echo "constant platform"

FROM --platform=$TARGETPLATFORM debian:12.6-slim AS redundant
RUN echo "redundant platform"

FROM --platform=${BUILDPLATFORM} golang:1.22.5 AS cross
ARG TARGETARCH
RUN GOARCH=$TARGETARCH go version

FROM debian:12.6-slim
COPY --from=cross /usr/local/go/bin/go /usr/local/bin/go
USER 1000
CMD ["go", "version"]
