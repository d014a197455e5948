FROM redis:7.2.5-bookworm
COPY --chown=redis:redis redis.conf /usr/local/etc/redis/redis.conf
VOLUME ["/data"]
WORKDIR /data
USER redis
EXPOSE 6379
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=10s CMD ["redis-cli", "ping"]
CMD ["redis-server", "/usr/local/etc/redis/redis.conf"]
