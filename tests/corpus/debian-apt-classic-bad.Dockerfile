FROM debian:bookworm

RUN apt-get update
RUN apt-get install curl vim git build-essential
RUN apt-get install -y python3 python3-pip
RUN pip3 install flask requests

ADD app /opt/app
WORKDIR /opt/app
EXPOSE 5000
CMD ["python3", "app.py"]
