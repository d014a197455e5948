FROM scratch
ADD rootfs.tar /
COPY --chown=0:0 hello /hello
CMD ["/hello"]
