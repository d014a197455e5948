# This Dockerfile was emptied during a refactor.
# syntax=docker/dockerfile:1

# TODO: restore the build
