FROM alpine:3.20
RUN apk add --no-cache \

    curl=8.9.0-r0 \
    # a comment inside the continuation
    jq=1.7.1-r0
RUN echo done \
USER 1000
