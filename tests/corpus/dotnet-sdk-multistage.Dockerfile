FROM mcr.microsoft.com/dotnet/sdk:8.0.303 AS build
ARG BUILD_CONFIGURATION=Release
WORKDIR /src
COPY ["Shop.Api/Shop.Api.csproj", "Shop.Api/"]
RUN dotnet restore "Shop.Api/Shop.Api.csproj"
COPY . .
WORKDIR "/src/Shop.Api"
RUN dotnet publish "Shop.Api.csproj" -c $BUILD_CONFIGURATION -o /app/publish /p:UseAppHost=false

FROM mcr.microsoft.com/dotnet/aspnet:8.0.7 AS final
WORKDIR /app
EXPOSE 8080
COPY --from=build /app/publish .
USER $APP_UID
HEALTHCHECK CMD ["dotnet", "Shop.Api.dll", "--health"]
ENTRYPOINT ["dotnet", "Shop.Api.dll"]
