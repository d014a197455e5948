FROM debian:bullseye-20240701

RUN apt-get update && apt-get -y dist-upgrade && apt-get -y upgrade
RUN apt-get install -y --no-install-recommends openjdk-17-jre-headless \
 && rm -rf /var/lib/apt/lists/*

COPY target/app.jar /app.jar
USER 1000
CMD ["java", "-jar", "/app.jar"]
