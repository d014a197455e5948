FROM python:3.12.4-alpine3.20

WORKDIR /app
COPY requirements.txt /app/requirements.txt

# Build dependencies live in a virtual package and are removed in the same layer.
RUN apk add --no-cache --virtual .build-deps \
        gcc=13.2.1_git20240309-r0 \
        musl-dev=1.2.5-r0 \
        libffi-dev=3.4.6-r0 \
    && pip install --no-cache-dir -r requirements.txt \
    && apk del .build-deps

COPY src/ /app/src/
RUN adduser -D -u 10002 worker
USER worker
HEALTHCHECK CMD ["python3", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/health')"]
CMD ["python3", "-m", "src.main"]
