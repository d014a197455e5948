# escape=`
FROM mcr.microsoft.com/dotnet/framework/sdk:4.8.1-windowsservercore-ltsc2022 AS build
WORKDIR C:\src
COPY *.sln .
COPY Legacy.Web\*.csproj .\Legacy.Web\
COPY Legacy.Web\packages.config .\Legacy.Web\
RUN nuget restore
COPY Legacy.Web\. .\Legacy.Web\
RUN msbuild /p:Configuration=Release /p:DeployOnBuild=true `
    /p:PublishProfile=FolderProfile /p:PublishUrl=C:\publish

FROM mcr.microsoft.com/dotnet/framework/aspnet:4.8.1-windowsservercore-ltsc2022 AS runtime
WORKDIR C:\inetpub\wwwroot
COPY --from=build C:\publish\. .
