FROM maven:3.9.8-eclipse-temurin-21 AS build
WORKDIR /workspace
COPY pom.xml .
RUN mvn -B -q dependency:go-offline
COPY src ./src
RUN mvn -B -q package -DskipTests

FROM eclipse-temurin:21.0.3_9-jre-jammy
RUN groupadd --system spring && useradd --system --gid spring --uid 10010 spring
WORKDIR /opt/app
COPY --from=build --chown=spring:spring /workspace/target/*.jar /opt/app/app.jar
USER spring
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=3s CMD ["wget", "-qO-", "http://localhost:8080/actuator/health"]
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-jar", "/opt/app/app.jar"]
