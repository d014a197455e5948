FROM alpine:3.20
RUN apk add --no-cache bash
USER 1000
CMD ["bash"]
