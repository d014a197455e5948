FROM fedora:40

RUN dnf install gcc make cmake
RUN dnf -y install git vim-enhanced
RUN dnf -y upgrade

WORKDIR /work
CMD ["/bin/bash"]
