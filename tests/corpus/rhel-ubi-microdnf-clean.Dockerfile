FROM registry.access.redhat.com/ubi9/ubi-minimal:9.4-1134

RUN microdnf install -y --nodocs java-17-openjdk-headless-17.0.11.0.9-2.el9 shadow-utils-4.9-8.el9 \
    && microdnf clean all \
    && useradd --uid 10001 --no-create-home --shell /sbin/nologin app

WORKDIR /deployments
COPY --chown=10001:0 target/quarkus-app/ /deployments/

USER 10001
EXPOSE 8080
HEALTHCHECK --start-period=20s CMD ["curl", "-fsS", "http://localhost:8080/q/health/live"]
ENTRYPOINT ["java", "-jar", "/deployments/quarkus-run.jar"]
