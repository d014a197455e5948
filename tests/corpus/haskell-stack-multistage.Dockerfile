FROM haskell:9.6.5-slim-buster AS build
WORKDIR /opt/app
COPY stack.yaml package.yaml stack.yaml.lock ./
RUN stack build --only-dependencies --system-ghc
COPY . .
RUN stack install --system-ghc --local-bin-path /opt/bin

FROM debian:buster-20240612-slim
RUN apt-get update \
    && apt-get install -y --no-install-recommends libgmp10=2:6.1.2+dfsg-4+deb10u1 \
    && rm -rf /var/lib/apt/lists/*
COPY --from=build /opt/bin/server /usr/local/bin/server
USER 10001
HEALTHCHECK CMD ["/usr/local/bin/server", "--ping"]
CMD ["/usr/local/bin/server"]
