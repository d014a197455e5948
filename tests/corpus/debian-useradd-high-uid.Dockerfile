FROM debian:12.6-slim

# UIDs from a corporate directory are large; without -l the lastlog file grows huge.
RUN useradd -u 123456789 -m corpuser
RUN useradd --no-log-init --uid 987654321 svc
RUN groupadd -g 2000 team && useradd -u 2000 -g team small

USER corpuser
CMD ["id"]
