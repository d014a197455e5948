# syntax=docker/dockerfile:1.7
ARG NODE_VERSION=20.15.1

FROM node:${NODE_VERSION}-alpine AS build
WORKDIR /app
COPY package*.json ./
RUN npm ci
COPY <<EOF /app/.env.production
API_URL=https://api.example.com
LOG_LEVEL=info
EOF
COPY . .
RUN <<EOF
set -e
npm run lint
npm run build
npm prune --omit=dev
EOF

FROM node:${NODE_VERSION}-alpine
WORKDIR /app
COPY --from=build --chown=node:node /app/dist ./dist
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY <<-"EOF" /app/start.sh
	#!/bin/sh
	exec node dist/server.js "$@"
	EOF
USER node
HEALTHCHECK --interval=20s CMD ["node", "dist/health.js"]
ENTRYPOINT ["/bin/sh", "/app/start.sh"]
