# syntax=docker/dockerfile:1
# Gatehouse as a container action: a static musl binary on a small Alpine image with git.

FROM rust:1.88-alpine3.22 AS build
# musl-dev: libc headers for the static build; ring (rustls) compiles a little C.
RUN apk add --no-cache musl-dev=~1.2
WORKDIR /src
# The whole crate (see .dockerignore): sources, embedded rule packs under gates/, benches.
COPY . .
RUN cargo build --release --locked --bin gatehouse \
    && cp target/release/gatehouse /gatehouse \
    && /gatehouse --version

FROM alpine:3.22
# git: gatehouse reads base/head with git; ca-certificates for api.github.com / GHES.
RUN apk add --no-cache git=~2.49 ca-certificates=~20250 \
    && adduser -D -u 10001 gatehouse
COPY --from=build /gatehouse /usr/local/bin/gatehouse
COPY docker/entrypoint.sh /entrypoint.sh
# GitHub runs container actions as root (the workspace is not writable otherwise), so no USER
# here; outside Actions run it as the unprivileged user: `docker run --user gatehouse ...`.
ENTRYPOINT ["/entrypoint.sh"]
CMD ["check"]
