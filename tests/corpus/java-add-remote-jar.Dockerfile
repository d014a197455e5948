FROM openjdk:17

ADD https://repo.example.org/releases/agent/1.32.0/agent-1.32.0.jar /opt/agent.jar
ADD https://downloads.example.org/app/app-latest.tar.gz /opt/
ADD config /opt/config
ADD start.sh /start.sh
RUN chmod +x /start.sh

EXPOSE 8080 8443
ENTRYPOINT /start.sh
