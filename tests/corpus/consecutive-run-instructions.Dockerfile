FROM alpine:3.20

RUN mkdir -p /opt/app
RUN mkdir -p /opt/app/logs
# a comment does not break the sequence
RUN touch /opt/app/logs/app.log
RUN addgroup -S app && adduser -S -G app app

RUN --mount=type=cache,target=/root/.cache echo cached
RUN echo "different flags"

USER app
CMD ["sh"]
