FROM debian:12.6-slim AS build
USER root
RUN echo build

FROM debian:12.6-slim
RUN useradd --uid 10001 app
USER app
RUN id
USER root
RUN chown -R app /srv
USER 0:0
CMD ["/srv/run.sh"]
