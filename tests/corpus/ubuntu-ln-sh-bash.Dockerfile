FROM ubuntu:22.04

RUN ln -sf /bin/bash /bin/sh
RUN rm /bin/sh && ln -s /bin/bash /bin/sh

RUN echo "shell is now $0"
USER ubuntu
CMD ["bash"]
