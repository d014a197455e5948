# syntax=docker/dockerfile:1
FROM golang:1.22.5 AS tools
RUN go install github.com/bufbuild/buf/cmd/buf@v1.34.0

FROM golang:1.22.5 AS gen
WORKDIR /src
RUN --mount=type=bind,from=tools,source=/go/bin/buf,target=/usr/local/bin/buf \
    --mount=type=bind,target=/src,rw \
    buf generate && cp -r gen /out

FROM scratch AS export
COPY --from=gen /out /
