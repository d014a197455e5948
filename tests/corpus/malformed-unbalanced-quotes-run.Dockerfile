FROM debian:12.6-slim
RUN echo "this quote never closes && apt-get install -y curl
RUN if [ -f /etc/debian_version ]; then echo debian; fi fi
RUN for f in a b c; do echo $f
RUN sudo echo $(( 1 + ))
USER 1000
CMD ["bash"]
