# syntax=docker/dockerfile:1
# check=skip=StageNameCasing,JSONArgsRecommended;error=true

FROM alpine:3.20 AS Build
RUN echo build > /out

FROM alpine:3.20
COPY --from=Build /out /out
USER 1000
CMD cat /out
