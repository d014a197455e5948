FROM ubuntu:latest AS one
RUN echo one

FROM redis
RUN echo two

FROM python@sha256:3f1f2b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708 AS three
RUN echo three

FROM ghcr.io/example/tool:latest@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
COPY --from=one /etc/os-release /one
USER 1000
CMD ["tool"]
