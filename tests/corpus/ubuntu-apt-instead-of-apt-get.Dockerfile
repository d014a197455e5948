FROM ubuntu:22.04

RUN apt update && apt install -y nginx curl
RUN apt upgrade -y
RUN apt-get clean

COPY site/ /var/www/html/
EXPOSE 80
CMD ["nginx", "-g", "daemon off;"]
