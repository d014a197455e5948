FROM node:20.15.1-bookworm-slim

ARG NPM_TOKEN
ARG GITHUB_TOKEN
ARG DB_PASSWORD=postgres
ARG PUBLIC_KEY_FILE=/etc/keys/public.pem
ARG APP_VERSION=1.0.0

RUN echo "//npm.registry.example.com/:_authToken=${NPM_TOKEN}" > ~/.npmrc \
    && npm ci \
    && rm ~/.npmrc
RUN git clone https://x-access-token:${GITHUB_TOKEN}@github.com/example/private.git /src
ENV PGPASSWORD=$DB_PASSWORD
USER node
CMD ["node", "/src/index.js"]
