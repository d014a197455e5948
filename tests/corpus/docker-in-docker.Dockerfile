FROM docker:27.0.3-dind

RUN apk add --no-cache bash
VOLUME /var/run/docker.sock
COPY ci-runner.sh /usr/local/bin/
RUN chmod +x /usr/local/bin/ci-runner.sh && chmod 666 /var/run/docker.sock || true
ENTRYPOINT ["dockerd-entrypoint.sh"]
CMD ["/usr/local/bin/ci-runner.sh"]
