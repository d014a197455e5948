FROM node:20.15.1-alpine AS first
COPY package.json .
COPY src/ src/
RUN npm ci

FROM first AS second
COPY README.md docs/

FROM alpine:3.20
WORKDIR /app
COPY --from=first package.json ./
USER 1000
CMD ["ls"]
