# syntax=docker/dockerfile:1
# Gatehouse as a container action: the binary on Debian bookworm-slim with git.
#
#   docker build -t gatehouse .                  # builds the binary from source (stage `build`)
#
# The base images and the stage the binary comes from are build arguments, so the same runtime
# stage can take a binary built elsewhere (scripts/container-test.sh: the host's build, on a
# machine that cannot pull the Rust image):
#
#   docker build --build-arg BINARY_STAGE=prebuilt --build-arg BINARY=target/container/gatehouse .

ARG RUST_IMAGE=rust:1.95-slim-bookworm
ARG RUNTIME_IMAGE=debian:bookworm-slim
ARG BINARY_STAGE=build

FROM ${RUST_IMAGE} AS build
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
WORKDIR /src
# Dependencies first, against empty targets, so this layer is reused until Cargo.toml or
# Cargo.lock change. The manifest names two benches; they only need to exist.
COPY Cargo.toml Cargo.lock ./
RUN mkdir -p src benches \
    && echo 'fn main() {}' > src/main.rs \
    && touch src/lib.rs \
    && for b in large_pr imports; do echo 'fn main() {}' > "benches/$b.rs"; done \
    && cargo build --release --locked --bin gatehouse \
    && rm -rf src benches
# Then the crate itself (see .dockerignore): sources, embedded rule packs under gates/, benches.
COPY . .
# cargo compares mtimes; the placeholders above are newer than files from the build context.
RUN touch src/main.rs src/lib.rs \
    && cargo build --release --locked --bin gatehouse \
    && cp target/release/gatehouse /gatehouse \
    && /gatehouse --version | grep '^gatehouse [0-9]'

# A binary built outside this Dockerfile. Must run on the runtime image (glibc of Debian
# bookworm or older, or a static musl build).
FROM scratch AS prebuilt
ARG BINARY=target/container/gatehouse
COPY ${BINARY} /gatehouse

# The stage named by BINARY_STAGE (`build` or `prebuilt`).
# hadolint ignore=DL3006
FROM ${BINARY_STAGE} AS binary

FROM ${RUNTIME_IMAGE} AS runtime
# Only while building (an ARG is not kept in the image): debconf asks nothing.
ARG DEBIAN_FRONTEND=noninteractive
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
# git reads base and head; ca-certificates for git's HTTPS fetches (deepening a shallow
# checkout). Debian's git depends on perl (about 47 MB) for commands Gatehouse never runs
# (send-email, svn, cvs...); a local placeholder package provides `perl` and `liberror-perl`, so
# git installs without them and dpkg's database stays consistent (`apt-get install perl` still
# works in a derived image). Versions are not pinned: Debian removes superseded versions from
# the archive on every security update, so a pin would break the build of an unchanged
# Dockerfile. No recommends, no package lists, no docs.
# hadolint ignore=DL3008
RUN mkdir -p /tmp/no-perl/DEBIAN \
    && printf '%s\n' 'Package: gatehouse-git-without-perl' 'Version: 1' 'Architecture: all' \
        'Maintainer: Gatehouse <gatehouse@localhost>' 'Provides: perl, liberror-perl' \
        'Description: lets git install without perl in the Gatehouse image' \
        > /tmp/no-perl/DEBIAN/control \
    && dpkg-deb --build /tmp/no-perl /tmp/no-perl.deb >/dev/null \
    && dpkg -i /tmp/no-perl.deb \
    && apt-get update \
    && apt-get install -y --no-install-recommends git ca-certificates \
    && apt-get clean \
    && rm -rf /tmp/no-perl /tmp/no-perl.deb /var/lib/apt/lists/* /var/cache/apt/* /var/log/apt \
        /var/log/dpkg.log /usr/share/doc/* /usr/share/man/* /usr/share/info/* /usr/share/locale/* \
    && git --version \
    && useradd --uid 10001 --user-group --create-home --shell /usr/sbin/nologin gatehouse
COPY --from=binary /gatehouse /usr/local/bin/gatehouse
COPY docker/entrypoint.sh /entrypoint.sh
# The smoke test: the binary runs on this image (libc, dynamic libraries).
RUN gatehouse --version | grep '^gatehouse [0-9]'
# GitHub runs container actions as root (the workspace is not writable otherwise), so no USER
# here; outside Actions run it as the unprivileged user: `docker run --user gatehouse ...`.
ENTRYPOINT ["/entrypoint.sh"]
CMD ["check"]
