FROM --platform=$BUILDPLATFORM mcr.microsoft.com/dotnet/sdk:8.0.303-alpine3.20 AS build
ARG TARGETARCH
WORKDIR /source
COPY --link *.csproj .
RUN dotnet restore -a $TARGETARCH
COPY --link . .
RUN dotnet publish -a $TARGETARCH --no-restore -o /app

FROM mcr.microsoft.com/dotnet/aspnet:8.0.7-jammy-chiseled
WORKDIR /app
COPY --link --from=build /app .
USER $APP_UID
HEALTHCHECK NONE
ENTRYPOINT ["./aspnetapp"]
