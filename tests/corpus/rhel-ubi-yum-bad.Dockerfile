FROM registry.access.redhat.com/ubi8/ubi

RUN yum install httpd php php-mysqlnd
RUN yum update -y
RUN yum install -y mod_ssl

COPY index.php /var/www/html/
EXPOSE 80
CMD ["/usr/sbin/httpd", "-D", "FOREGROUND"]
