FROM debian:12.6

RUN apt-get update && apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u6 gnupg=2.2.40-1.1 \
    && rm -rf /var/lib/apt/lists/*
RUN curl -fsSL https://repo.example.com/gpg.key | gpg --dearmor -o /etc/apt/keyrings/example.gpg
RUN grep -v '^#' /etc/services | sort | uniq > /tmp/services.txt

USER 1000
CMD ["cat", "/tmp/services.txt"]
