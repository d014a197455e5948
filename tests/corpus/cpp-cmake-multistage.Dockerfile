FROM debian:12.6-slim AS build
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        cmake=3.25.1-1 \
        g++=4:12.2.0-3 \
        make=4.3-4.1 \
        libboost-program-options-dev=1.74.0.3 \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY CMakeLists.txt ./
COPY src/ ./src/
RUN cmake -S . -B build -DCMAKE_BUILD_TYPE=Release \
    && cmake --build build --parallel \
    && cmake --install build --prefix /out

FROM debian:12.6-slim
RUN apt-get update \
    && apt-get install -y --no-install-recommends libboost-program-options1.74.0=1.74.0+ds1-21 \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 999 --no-create-home calc
COPY --from=build /out/bin/calc /usr/local/bin/calc
USER calc
HEALTHCHECK NONE
ENTRYPOINT ["/usr/local/bin/calc"]
