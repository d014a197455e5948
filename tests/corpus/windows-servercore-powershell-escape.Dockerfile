# escape=`

FROM mcr.microsoft.com/windows/servercore:ltsc2022

SHELL ["powershell", "-Command", "$ErrorActionPreference = 'Stop'; $ProgressPreference = 'SilentlyContinue';"]

RUN Invoke-WebRequest -Uri https://downloads.example.com/agent/agent-2.3.1.msi -OutFile C:\agent.msi; `
    Start-Process msiexec.exe -ArgumentList '/i', 'C:\agent.msi', '/quiet', '/norestart' -Wait; `
    Remove-Item C:\agent.msi -Force

WORKDIR C:\app
COPY publish\ C:\app\

ENV ASPNETCORE_URLS=http://+:80
EXPOSE 80
HEALTHCHECK CMD powershell -Command "try { Invoke-WebRequest -UseBasicParsing http://localhost/health } catch { exit 1 }"
ENTRYPOINT ["C:\\app\\Service.exe"]
