FROM postgres:16.3-bookworm AS db
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --start-interval=2s --retries=5 \
    CMD ["pg_isready", "-U", "postgres"]
USER postgres

FROM redis:7.2.5-alpine AS cache
HEALTHCHECK NONE
USER redis

FROM caddy:2.8.4-alpine
HEALTHCHECK --interval=1m CMD wget -q --spider http://localhost:2019/config/ || exit 1
USER 1000
