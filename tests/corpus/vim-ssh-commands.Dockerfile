FROM ubuntu:22.04

RUN apt-get update && apt-get install -y --no-install-recommends vim openssh-client procps \
    && rm -rf /var/lib/apt/lists/*
RUN ssh-keyscan github.com >> /etc/ssh/ssh_known_hosts
RUN ssh git@github.com || true
RUN service nginx start
RUN ps aux | grep nginx
RUN vim -c ':wq' /etc/hosts
RUN shutdown -h now
RUN free -m && top -bn1 && kill -9 1 || true
RUN mount -t tmpfs none /mnt
USER 1000
CMD ["bash"]
