# A minimal image holding only a static dbpod, for
#   kubectl debug -it pg-0 --image=dbpod:0.1.0 --target=postgres -- /dbpod doctor
#   docker run --rm --pid=container:pg dbpod:0.1.0 doctor
# (an ephemeral or sidecar container that shares the database's PID
# namespace), and for the snapshot sidecar of deploy/.
#
#   docker build -t dbpod:0.1.0 .
#
# BASE names the Debian 12 image to build on, for a machine without a
# registry (tests/truth/podman.sh builds it from a local debootstrap).
ARG BASE=debian:12
FROM ${BASE} AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends gcc make autoconf automake \
      pkg-config libproc2-dev libjson-c-dev zlib1g-dev libyaml-dev libc6-dev file \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN ./bootstrap \
 && ./configure --enable-static-binary --without-cmocka \
 && make -j"$(nproc)" \
 && strip dbpod \
 && file dbpod | grep -q 'statically linked'

FROM scratch
COPY --from=build /src/dbpod /dbpod
# nobody: every check works unprivileged; root adds the signal set tini
# waits for and the environments of other users' processes
USER 65534
ENTRYPOINT ["/dbpod"]
CMD ["doctor"]
