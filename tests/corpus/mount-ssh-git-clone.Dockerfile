# syntax=docker/dockerfile:1
FROM alpine:3.20 AS fetch
RUN apk add --no-cache git=2.45.2-r0 openssh-client=9.7_p1-r4 \
    && mkdir -p -m 0700 ~/.ssh \
    && ssh-keyscan github.com >> ~/.ssh/known_hosts
RUN --mount=type=ssh \
    git clone --depth 1 --branch v2.1.0 git@github.com:example/private-lib.git /src/private-lib

FROM alpine:3.20
COPY --from=fetch /src/private-lib /opt/private-lib
RUN --mount=type=secret,id=aws,target=/root/.aws/credentials \
    --mount=type=secret,id=api_token,env=API_TOKEN \
    /opt/private-lib/bin/publish
USER 10001
HEALTHCHECK NONE
CMD ["/opt/private-lib/bin/run"]
