# syntax=docker/dockerfile:1.7
FROM python:3.12.4-slim

WORKDIR /app
COPY requirements.txt ./
RUN --mount=type=cache,target=/root/.cache/pip \
    pip install -r requirements.txt

COPY . .
USER 1000
HEALTHCHECK NONE
CMD ["python", "main.py"]
