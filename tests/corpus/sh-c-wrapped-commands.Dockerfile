FROM debian:12.6-slim

RUN sh -c 'apt-get update && apt-get install -y curl'
RUN bash -c "cd /opt && sudo make install"
RUN /bin/sh -c "pip install requests"
RUN env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends tzdata
RUN nice -n 10 apt-get install -y git
RUN echo curl wget | xargs apt-get install -y
USER 1000
CMD ["bash"]
