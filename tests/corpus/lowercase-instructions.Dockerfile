from alpine:3.20
run apk add --no-cache curl=8.9.0-r0
workdir /app
copy . .
Run echo mixed
user 1000
cmd ["sh"]
