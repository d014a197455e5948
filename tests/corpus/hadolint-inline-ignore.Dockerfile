FROM debian:12.6-slim

# hadolint ignore=DL3008,DL3015
RUN apt-get update && apt-get install -y curl \
    && rm -rf /var/lib/apt/lists/*

# hadolint ignore=DL3003
RUN cd /tmp && touch file

# portcullis: ignore[DL3059] reason="kept separate for caching"
RUN echo one
RUN echo two

# hadolint global ignore=DL3059
USER 1000
CMD ["bash"]
