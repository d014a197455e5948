FROM alpine:3.20

WORKDIR /app
COPY package.json package-lock.json /app
COPY a.txt b.txt c.txt /app/data/
ADD one.conf two.conf /etc/app
COPY ["x.json", "y.json", "/app/config"]
COPY single.txt /app/single.txt
USER 1000
CMD ["ls", "/app"]
