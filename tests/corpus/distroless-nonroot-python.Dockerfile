FROM python:3.11.9-slim-bookworm AS build
RUN python -m venv /venv
COPY requirements.txt /requirements.txt
RUN /venv/bin/pip install --no-cache-dir --disable-pip-version-check -r /requirements.txt

FROM gcr.io/distroless/python3-debian12:nonroot
COPY --from=build /venv /venv
COPY app/ /app/
WORKDIR /app
USER nonroot
HEALTHCHECK NONE
ENTRYPOINT ["/venv/bin/python3", "main.py"]
