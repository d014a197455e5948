FROM alpine:3.19

RUN apk update
RUN apk add curl bash git openssh-client
RUN apk add python3 py3-pip

WORKDIR /app
COPY . .

CMD python3 app.py
