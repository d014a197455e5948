FROM golang:1.22.5 AS Builder
WORKDIR /src
COPY . .
RUN go build -o /bin/app .

FROM alpine:3.20 as Runtime
COPY --from=Builder /bin/app /bin/app
USER 1000
ENTRYPOINT ["/bin/app"]
