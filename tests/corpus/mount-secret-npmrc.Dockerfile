# syntax=docker/dockerfile:1
FROM node:20.15.1-alpine3.20 AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN --mount=type=secret,id=npmrc,target=/root/.npmrc,required=true \
    npm ci --omit=dev

FROM node:20.15.1-alpine3.20
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY src ./src
USER node
HEALTHCHECK CMD ["node", "src/health.js"]
CMD ["node", "src/index.js"]
