FROM python:3.12-slim

ENV FLASK_APP=app.py
ENV SECRET_KEY=5f2b1c9e8d7a6b5c4d3e2f1a0b9c8d7e
ENV DATABASE_PASSWORD=hunter2
ARG AWS_SECRET_ACCESS_KEY
ARG API_TOKEN=dev-token-123
ENV AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE

WORKDIR /srv
COPY . .
RUN pip install --no-cache-dir -r requirements.txt
USER 1000
CMD ["flask", "run", "--host=0.0.0.0"]
