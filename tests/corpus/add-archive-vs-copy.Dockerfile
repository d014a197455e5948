FROM debian:12.6-slim

COPY vendor.tar.gz /tmp/
RUN tar -xzf /tmp/vendor.tar.gz -C /opt && rm /tmp/vendor.tar.gz
COPY assets.zip /tmp/assets.zip
RUN unzip /tmp/assets.zip -d /srv
ADD rootfs.tar.xz /
ADD config.yml /etc/app/config.yml
ADD --chown=1000:1000 scripts/ /opt/scripts/
USER 1000
CMD ["/opt/scripts/run"]
