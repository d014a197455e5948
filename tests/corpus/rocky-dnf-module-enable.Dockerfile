FROM rockylinux:9.3

RUN dnf -y module enable nodejs:20 \
    && dnf -y install nodejs npm \
    && npm install -g pm2

WORKDIR /srv
COPY app/ ./
RUN npm install
CMD ["pm2-runtime", "server.js"]
