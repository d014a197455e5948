FROM lukemathwalker/cargo-chef:0.1.67-rust-1.79-slim-bookworm AS chef
WORKDIR /app

FROM chef AS planner
COPY . .
RUN cargo chef prepare --recipe-path recipe.json

FROM chef AS builder
COPY --from=planner /app/recipe.json recipe.json
RUN cargo chef cook --release --recipe-path recipe.json
COPY . .
RUN cargo build --release --locked --bin api

FROM debian:12.6-slim AS runtime
RUN useradd --uid 10001 --no-create-home api
COPY --from=builder /app/target/release/api /usr/local/bin/api
USER 10001
EXPOSE 3000
HEALTHCHECK CMD ["/usr/local/bin/api", "--check"]
ENTRYPOINT ["/usr/local/bin/api"]
