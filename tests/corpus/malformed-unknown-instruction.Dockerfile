FROM debian:12.6-slim
RUNN apt-get update
COPPY . /app
INSTALL curl
USER 1000
CMD ["bash"]
