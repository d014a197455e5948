FROM alpine:3.20 as build
RUN echo build
from alpine:3.20 AS test
RUN echo test
FROM alpine:3.20 AS final
COPY --from=build /etc/hostname /h
USER 1000
