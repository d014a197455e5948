# syntax=docker/dockerfile:1.9
FROM ghcr.io/astral-sh/uv:0.4.9 AS uv

FROM python:3.12.5-slim-bookworm
COPY --from=uv /uv /usr/local/bin/uv
ENV UV_COMPILE_BYTECODE=1 UV_LINK_MODE=copy

WORKDIR /app
RUN --mount=type=cache,target=/root/.cache/uv \
    --mount=type=bind,source=uv.lock,target=uv.lock \
    --mount=type=bind,source=pyproject.toml,target=pyproject.toml \
    uv sync --frozen --no-install-project --no-dev

COPY . /app
RUN <<EOT
set -e
uv sync --frozen --no-dev
useradd --uid 10001 --no-create-home web
EOT

USER 10001
HEALTHCHECK CMD ["python", "-c", "print('ok')"]
CMD ["/app/.venv/bin/fastapi", "run", "app/main.py", "--port", "8080"]
