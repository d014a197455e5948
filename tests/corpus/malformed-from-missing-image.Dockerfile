FROM
FROM AS builder
FROM alpine:3.20 AS
FROM alpine:3.20 AS two words
ARG
ENV
EXPOSE
USER 1000
