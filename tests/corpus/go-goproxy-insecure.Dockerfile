FROM golang:1.21.12

ENV GOINSECURE=git.internal.example.com
ENV GONOSUMDB=* GONOSUMCHECK=1 GOFLAGS=-insecure
ENV GOPROXY=direct GOSUMDB=off
RUN git config --global http.sslVerify false
RUN git config --global url."http://git.internal.example.com/".insteadOf "https://git.internal.example.com/"
WORKDIR /src
COPY . .
RUN go build -o /app ./...
CMD ["/app"]
