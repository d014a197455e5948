FROM alpine:latest
MAINTAINER Ops Team <ops@example.org>

RUN apk update && apk upgrade
RUN apk add --update nginx
RUN mkdir -p /run/nginx && chmod 777 /run/nginx

COPY nginx.conf /etc/nginx/nginx.conf
EXPOSE 80 443
CMD nginx -g "daemon off;"
