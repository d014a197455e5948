# syntax=docker/dockerfile:1
FROM debian:12.6-slim

RUN <<INSTALL bash && <<CONFIGURE sh
set -e
apt-get update
apt-get install -y --no-install-recommends nginx
INSTALL
echo "daemon off;" >> /etc/nginx/nginx.conf
sudo chmod 777 /var/log/nginx
CONFIGURE

RUN cat <<ONE > /etc/motd && cat <<TWO > /etc/issue
Welcome to the build box.
ONE
Authorised use only.
TWO

RUN python3 <<PY
import os
print(os.getcwd())
PY

USER www-data
CMD ["nginx"]
