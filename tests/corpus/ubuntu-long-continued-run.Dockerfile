FROM ubuntu:24.04

ENV buildDeps="autoconf automake libtool pkg-config"
ENV runtimeDeps="libssl3 zlib1g"

# One long layer that builds a library from source and cleans up after itself.
RUN set -eux; \
    apt-get update; \
    apt-get install -y --no-install-recommends $buildDeps $runtimeDeps; \
    mkdir -p /usr/src/libexample; \
    cd /usr/src/libexample; \
    curl -fsSLo libexample.tar.gz https://downloads.example.org/libexample-2.4.1.tar.gz; \
    echo "8b1a9953c4611296a827abf8c47804d7e6c49c6b59d4b3d0d0c4b0e9f2c3f1a7  libexample.tar.gz" | sha256sum -c -; \
    tar -xzf libexample.tar.gz --strip-components=1; \
    ./autogen.sh; \
    ./configure --prefix=/usr/local \
        --enable-shared \
        --disable-static; \
    make -j"$(nproc)"; \
    make install; \
    ldconfig; \
    cd /; \
    rm -rf /usr/src/libexample; \
    apt-get purge -y --auto-remove $buildDeps; \
    rm -rf /var/lib/apt/lists/*

USER nobody
CMD ["/usr/local/bin/example"]
