# syntax=docker/dockerfile:1
FROM rust:1.79.0-alpine3.20 AS build
RUN apk add --no-cache musl-dev=1.2.5-r0
WORKDIR /usr/src/tool
COPY Cargo.toml Cargo.lock ./
COPY src ./src
RUN --mount=type=cache,target=/usr/local/cargo/registry \
    --mount=type=cache,target=/usr/src/tool/target \
    cargo build --release --locked && cp target/release/tool /tool

FROM scratch
COPY --from=build /tool /tool
USER 10001
ENTRYPOINT ["/tool"]
