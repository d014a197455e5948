FROM ubuntu:24.04

RUN apt-get update && apt-get install -y --no-install-recommends curl build-essential ca-certificates \
    && rm -rf /var/lib/apt/lists/*
RUN curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh -s -- -y --default-toolchain 1.79.0
ENV PATH="/root/.cargo/bin:${PATH}"
RUN curl -k https://static.example.com/tools/mold.tar.gz -o /tmp/mold.tar.gz \
    && tar -xzf /tmp/mold.tar.gz -C /usr/local

WORKDIR /build
CMD ["cargo", "build"]
