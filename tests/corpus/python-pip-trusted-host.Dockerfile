FROM python:3.10-slim

RUN pip config set global.trusted-host "pypi.internal.example.com"
RUN pip install --no-cache-dir --trusted-host pypi.internal.example.com \
    --index-url http://pypi.internal.example.com/simple internal-sdk==4.2.0
RUN PYTHONHTTPSVERIFY=0 python -c "import urllib.request; urllib.request.urlopen('https://self-signed.example.com')"
ENV PIP_TRUSTED_HOST=pypi.internal.example.com

USER 1000
CMD ["python"]
