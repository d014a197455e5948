FROM debian:12.6-slim

RUN mkdir -p /data /shared && chmod 777 /data
RUN chmod -R 0777 /shared
RUN chmod a+rwx /tmp/cache || true
RUN chmod u+s /usr/local/bin/helper && chmod 4755 /usr/local/bin/other
RUN chmod 0755 /usr/local/bin/fine
COPY --chmod=777 entry.sh /entry.sh
USER 1000
ENTRYPOINT ["/entry.sh"]
