FROM debian:12.6-slim

RUN apt-get -o Acquire::https::Verify-Peer=false update
RUN apt-get install -y --allow-unauthenticated --no-install-recommends legacy-tool
RUN curl -k -o /tmp/a.sh https://internal.example.com/a.sh
RUN curl --insecure -fsSL https://internal.example.com/b.sh -o /tmp/b.sh
RUN wget --no-check-certificate https://internal.example.com/c.tgz
RUN git -c http.sslVerify=false clone https://git.internal.example.com/team/repo.git /src
RUN pip install --trusted-host internal.example.com legacy-lib==0.1
RUN npm config set strict-ssl false
ENV GIT_SSL_NO_VERIFY=true
ENV NODE_TLS_REJECT_UNAUTHORIZED=0
ENV PYTHONHTTPSVERIFY=0
RUN apk add --allow-untrusted /tmp/local.apk || true
RUN rpm --nodigest --nosignature -i /tmp/local.rpm || true
USER 1000
CMD ["bash"]
