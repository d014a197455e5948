FROM ubuntu:20.04

RUN useradd -m builder && apt-get update && apt-get install -y sudo git make
USER builder
RUN sudo apt-get install -y gcc
RUN cd /home/builder && git clone https://github.com/example/project.git
RUN cd /home/builder/project && make && sudo make install
CMD ["project"]
