FROM debian:12.6-slim

ENV LANG C.UTF-8
ENV JAVA_HOME /usr/lib/jvm/java-17
ENV PATH $JAVA_HOME/bin:$PATH
LABEL version 1.0
LABEL description "A legacy image"
ENV A=1 B=2
USER 1000
CMD ["java", "-version"]
