FROM node:20.15.1-alpine AS build
WORKDIR /app
COPY . .
RUN npm ci && npm run build

FROM node:20.15.1-alpine AS build
WORKDIR /app
RUN echo "shadowing the first stage"

FROM alpine:3.20 AS scratch
RUN echo reserved

FROM alpine:3.20 AS context
RUN echo reserved too

FROM nginx:1.27.0-alpine
COPY --from=build /app/dist /usr/share/nginx/html
USER nginx
