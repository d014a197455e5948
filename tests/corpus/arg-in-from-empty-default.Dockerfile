ARG VARIANT
ARG TAG=""
ARG IMAGE=python

FROM ${IMAGE}:${VARIANT}
RUN python3 --version

FROM node:${TAG} AS web
RUN node --version

FROM ${IMAGE}:3.12-${VARIANT:-slim}
USER 1000
CMD ["python3"]
