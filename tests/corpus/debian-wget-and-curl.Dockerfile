FROM debian:12.6-slim

RUN apt-get update && apt-get install -y --no-install-recommends curl wget ca-certificates \
    && rm -rf /var/lib/apt/lists/*
RUN wget https://downloads.example.org/tool-1.2.0-linux-amd64.tar.gz -O /tmp/tool.tar.gz
RUN curl -fsSLo /usr/local/bin/helper https://downloads.example.org/helper-0.9.1 && chmod +x /usr/local/bin/helper
RUN tar -xzf /tmp/tool.tar.gz -C /usr/local/bin && rm /tmp/tool.tar.gz

USER 1000
CMD ["tool"]
