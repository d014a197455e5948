FROM alpine:3.20

COPY id_rsa /root/.ssh/id_rsa
COPY .env /app/.env
COPY .npmrc /root/.npmrc
COPY credentials.json /etc/gcloud/credentials.json
ADD server.key /etc/ssl/private/server.key
COPY .aws/ /root/.aws/
COPY README.md /app/README.md
USER 1000
CMD ["sh"]
