FROM denoland/deno:alpine-1.45.2
WORKDIR /app
COPY deno.json deno.lock ./
COPY deps.ts .
RUN deno cache deps.ts
COPY . .
RUN deno cache main.ts
USER deno
EXPOSE 8000
HEALTHCHECK NONE
CMD ["run", "--allow-net", "--allow-env", "main.ts"]
