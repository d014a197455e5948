FROM debian:12.6-slim

WORKDIR app
RUN touch marker
WORKDIR /proc
WORKDIR /
WORKDIR /usr/bin
WORKDIR /home/app
WORKDIR logs
WORKDIR "$HOME/cache"
USER 1000
CMD ["ls"]
