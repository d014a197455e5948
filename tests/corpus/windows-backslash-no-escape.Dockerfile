FROM mcr.microsoft.com/windows/servercore:ltsc2022
SHELL ["cmd", "/S", "/C"]
WORKDIR C:/app
COPY bin/ C:/app/
RUN dir C:\app
ENTRYPOINT ["C:/app/worker.exe"]
