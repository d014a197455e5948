FROM alpine:3.20

ENV APP_HOME=/opt/app APP_BIN=$APP_HOME/bin
ENV PATH=/usr/local/bin:$PATH
ENV BASE=/srv \
    DATA=${BASE}/data
ENV GOOD=/var/lib
ENV DERIVED=$GOOD/app
USER 1000
CMD ["sh", "-c", "echo $APP_BIN $DATA $DERIVED"]
