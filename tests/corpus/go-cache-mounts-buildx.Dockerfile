# syntax=docker/dockerfile:1
ARG GO_VERSION=1.22.5
FROM --platform=${BUILDPLATFORM} golang:${GO_VERSION}-alpine AS base
WORKDIR /src
RUN --mount=type=cache,target=/go/pkg/mod \
    --mount=type=bind,source=go.sum,target=go.sum \
    --mount=type=bind,source=go.mod,target=go.mod \
    go mod download -x

FROM base AS build
ARG TARGETOS TARGETARCH
RUN --mount=type=cache,target=/go/pkg/mod \
    --mount=type=bind,target=. \
    CGO_ENABLED=0 GOOS=${TARGETOS} GOARCH=${TARGETARCH} go build -o /bin/worker ./cmd/worker

FROM alpine:3.20 AS final
RUN --mount=type=cache,target=/var/cache/apk \
    apk --update add ca-certificates=20240705-r0 tzdata=2024a-r1 && update-ca-certificates
ARG UID=10001
RUN adduser --disabled-password --gecos "" --home "/nonexistent" --shell "/sbin/nologin" --no-create-home --uid "${UID}" appuser
USER appuser
COPY --from=build /bin/worker /bin/
HEALTHCHECK CMD ["/bin/worker", "ping"]
ENTRYPOINT [ "/bin/worker" ]
