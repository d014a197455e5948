FROM rust:1.79

RUN cargo install cargo-watch
RUN cargo install sqlx-cli --version 0.7.4 --no-default-features --features postgres
RUN cargo install --git https://github.com/example/devtool
WORKDIR /usr/src/app
COPY . .
CMD ["cargo", "watch", "-x", "run"]
