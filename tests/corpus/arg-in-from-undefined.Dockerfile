ARG BASE_IMAGE=debian
ARG BASE_TAG=12.6-slim

FROM ${BASE_IMGE}:${BASE_TAG}
RUN echo "building on $BASE_IMAGE"
FROM $BUILDER_IMAGE AS build
RUN make
FROM ${BASE_IMAGE}:${BASE_TAG}
COPY --from=build /out /out
USER 1000
CMD ["/out/app"]
