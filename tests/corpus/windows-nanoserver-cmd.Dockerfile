# escape=`
FROM mcr.microsoft.com/windows/nanoserver:ltsc2022

USER ContainerAdministrator
RUN mkdir C:\tools && `
    setx /M PATH "%PATH%;C:\tools"
COPY tools\ C:\tools\
USER ContainerUser
WORKDIR C:\data
CMD ["cmd", "/S", "/C", "C:\\tools\\runner.exe"]
