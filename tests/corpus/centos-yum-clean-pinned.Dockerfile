FROM centos:7.9.2009

RUN yum -y install epel-release-7-14 \
    && yum -y install nginx-1.20.1-10.el7 \
    && yum clean all \
    && rm -rf /var/cache/yum

COPY conf/nginx.conf /etc/nginx/nginx.conf
USER nginx
EXPOSE 8080
HEALTHCHECK CMD ["curl", "-f", "http://localhost:8080/"]
CMD ["nginx", "-g", "daemon off;"]
