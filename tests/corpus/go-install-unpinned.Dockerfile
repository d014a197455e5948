FROM golang:1.22

RUN go install golang.org/x/tools/gopls@latest
RUN go install github.com/go-delve/delve/cmd/dlv
RUN go get github.com/example/linter
RUN go install honnef.co/go/tools/cmd/staticcheck@2023.1.7
RUN go run github.com/example/codegen@v1.4.0 ./...

WORKDIR /go/src/app
CMD ["gopls"]
