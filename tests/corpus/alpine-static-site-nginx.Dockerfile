FROM node:20.15.1-alpine3.20 AS build
WORKDIR /site
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build

FROM nginxinc/nginx-unprivileged:1.27.0-alpine3.19
COPY --from=build /site/dist /usr/share/nginx/html
COPY nginx/default.conf /etc/nginx/conf.d/default.conf
USER 101
EXPOSE 8080
HEALTHCHECK --interval=15s CMD ["wget", "-q", "--spider", "http://127.0.0.1:8080/"]
