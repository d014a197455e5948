FROM tomcat:10.1.25-jre17-temurin-jammy

RUN rm -rf /usr/local/tomcat/webapps/* \
    && useradd --uid 8080 --no-create-home tomcat \
    && chown -R tomcat /usr/local/tomcat
COPY --chown=tomcat target/shop.war /usr/local/tomcat/webapps/ROOT.war
USER tomcat
EXPOSE 8080/tcp
HEALTHCHECK CMD ["curl", "-fs", "http://localhost:8080/"]
CMD ["catalina.sh", "run"]
