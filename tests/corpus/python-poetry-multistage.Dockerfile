FROM python:3.12.4-slim AS base
ENV POETRY_VERSION=1.8.3 \
    POETRY_HOME=/opt/poetry \
    POETRY_VIRTUALENVS_IN_PROJECT=true

FROM base AS deps
RUN pip install --no-cache-dir "poetry==${POETRY_VERSION}"
WORKDIR /src
COPY pyproject.toml poetry.lock ./
RUN poetry install --only main --no-root --no-interaction

FROM base AS runtime
WORKDIR /src
COPY --from=deps /src/.venv /src/.venv
COPY app ./app
ENV PATH=/src/.venv/bin:$PATH
USER nobody
HEALTHCHECK CMD ["python", "-m", "app.health"]
CMD ["python", "-m", "app"]
