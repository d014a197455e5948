FROM eclipse-temurin:21.0.3_9-jdk-alpine AS jre
RUN jlink --add-modules java.base,java.logging,java.net.http,java.sql \
        --strip-debug --no-man-pages --no-header-files --compress=zip-6 \
        --output /jre

FROM eclipse-temurin:21.0.3_9-jdk-alpine AS app
WORKDIR /src
COPY . .
RUN ./mvnw -B -q package -DskipTests

FROM gcr.io/distroless/base-nossl-debian12:nonroot
COPY --from=jre /jre /opt/jre
COPY --from=app /src/target/app.jar /app/app.jar
USER nonroot
HEALTHCHECK NONE
ENTRYPOINT ["/opt/jre/bin/java", "-jar", "/app/app.jar"]
