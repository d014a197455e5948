# escape=`
FROM mcr.microsoft.com/windows/servercore:ltsc2019

SHELL ["powershell", "-NoProfile", "-Command"]
RUN Set-ExecutionPolicy Bypass -Scope Process -Force; `
    [System.Net.ServicePointManager]::SecurityProtocol = 3072; `
    iex ((New-Object System.Net.WebClient).DownloadString('https://chocolatey.example.com/install.ps1'))
RUN choco install -y git nodejs-lts python3
RUN [System.Net.ServicePointManager]::ServerCertificateValidationCallback = {$true}; `
    Invoke-WebRequest https://internal.example.com/setup.exe -OutFile C:\setup.exe
CMD ["powershell"]
