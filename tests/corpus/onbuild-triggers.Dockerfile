FROM python:3.12.4-slim

WORKDIR /app
ONBUILD COPY requirements.txt /app/
ONBUILD RUN pip install -r requirements.txt
ONBUILD RUN apt-get update && apt-get install -y libpq-dev
ONBUILD RUN sudo chown -R app /app
ONBUILD COPY . /app/
ONBUILD ONBUILD RUN echo nested
ONBUILD FROM alpine:3.20
ONBUILD MAINTAINER someone@example.com
USER 1000
CMD ["python", "-m", "app"]
