# syntax=docker/dockerfile:1
FROM node:20.15.1-alpine3.20 AS build
WORKDIR /repo
RUN corepack enable
COPY .yarnrc.yml package.json yarn.lock ./
COPY .yarn/releases ./.yarn/releases
RUN --mount=type=cache,target=/usr/local/share/.cache/yarn \
    --mount=type=cache,target=/repo/.yarn/cache \
    yarn install --immutable
COPY . .
RUN yarn workspace @acme/web build

FROM nginxinc/nginx-unprivileged:1.27.0-alpine
COPY --from=build /repo/packages/web/dist /usr/share/nginx/html
USER 101
HEALTHCHECK CMD ["wget", "-q", "--spider", "http://127.0.0.1:8080/"]
