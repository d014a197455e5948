FROM alpine:3.20
RUN apk add curl \
    jq
USER root
CMD ["sh"]
