FROM debian:12-slim

RUN --mount=type=tmpfs,target=/var/lib/apt/lists \
    apt-get update && apt-get install -y --no-install-recommends rsync=3.2.7-1

USER 1000
ENTRYPOINT ["rsync"]
