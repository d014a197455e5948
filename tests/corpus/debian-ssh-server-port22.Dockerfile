FROM debian:11

RUN apt-get update && apt-get install -y openssh-server sudo
RUN mkdir /var/run/sshd
RUN echo 'root:changeme' | chpasswd
RUN sed -i 's/#PermitRootLogin prohibit-password/PermitRootLogin yes/' /etc/ssh/sshd_config
RUN useradd -m deploy && echo "deploy:deploy123" | chpasswd && adduser deploy sudo

EXPOSE 22
CMD ["/usr/sbin/sshd", "-D"]
