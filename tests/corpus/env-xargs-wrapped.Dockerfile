FROM python:3.12.4-slim

COPY requirements/ /tmp/requirements/
RUN find /tmp/requirements -name '*.txt' -print0 | xargs -0 -n1 pip install --no-cache-dir -r
RUN xargs -a /tmp/requirements/extra.list pip install
RUN env PIP_NO_CACHE_DIR=1 pip install uvicorn==0.30.1
RUN PIP_NO_CACHE_DIR=1 pip install httpx==0.27.0
RUN timeout 300 pip install --no-cache-dir numpy
USER 1000
CMD ["python"]
