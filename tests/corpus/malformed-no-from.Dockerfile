LABEL maintainer="nobody@example.com"
RUN echo "no base image"
COPY . /app
CMD ["/app/run"]
