FROM opensuse/leap:15.6

RUN zypper --non-interactive install --no-recommends \
        curl=8.6.0-150400.5.44.1 \
        ca-certificates-mozilla=2.68-150200.33.1 \
    && zypper clean --all \
    && useradd --uid 10001 --no-create-home app

USER 10001
HEALTHCHECK CMD ["curl", "-fsS", "http://127.0.0.1:9000/ping"]
CMD ["/usr/local/bin/service"]
