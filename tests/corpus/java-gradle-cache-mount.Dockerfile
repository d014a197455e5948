# syntax=docker/dockerfile:1
FROM gradle:8.8.0-jdk21 AS build
WORKDIR /home/gradle/project
COPY --chown=gradle:gradle . .
RUN --mount=type=cache,target=/home/gradle/.gradle/caches,uid=1000,gid=1000 \
    gradle --no-daemon bootJar

FROM bellsoft/liberica-openjre-alpine:21.0.3
COPY --from=build /home/gradle/project/build/libs/service.jar /service.jar
USER 1000
HEALTHCHECK CMD ["wget", "-q", "--spider", "http://127.0.0.1:8080/health"]
ENTRYPOINT ["java", "-jar", "/service.jar"]
