FROM oven/bun:1.1.20-alpine
WORKDIR /usr/src/app
COPY package.json bun.lockb ./
RUN bun install --frozen-lockfile --production
COPY src ./src
USER bun
EXPOSE 3000/tcp
HEALTHCHECK CMD ["bun", "run", "src/health.ts"]
ENTRYPOINT ["bun", "run", "src/index.ts"]
